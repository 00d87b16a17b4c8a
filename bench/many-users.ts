import pg from 'pg';

export const MANY_USERS = { users: 1000, transactions: 2_000_000 } as const;

/**
 * The "many users" mode: 999 more users beside the household, and their transactions up to
 * 2 000 000 in all, written by PostgreSQL itself (INSERT … SELECT over generate_series) through the
 * driver: going through the API would take hours and measure nothing new. Values are
 * deterministic functions of the row number. Returns the seconds it took.
 */
export async function addManyUsers(databaseUrl: string, householdTransactions: number): Promise<number> {
  const others = MANY_USERS.users - 1;
  const perUser = Math.ceil((MANY_USERS.transactions - householdTransactions) / others);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  try {
    await client.query(
      `insert into users (email, name, password_hash)
       select 'user-' || g || '@many.bench', 'Пользователь ' || g, 'not-a-login' from generate_series(1, $1::int) g`,
      [others],
    );
    await client.query(`insert into budget_accounts (user_id, name, kind, currency)
      select u.id, k.name, k.kind, 'RUB' from users u
      cross join (values ('Карта', 'card'), ('Наличные', 'cash'), ('Накопления', 'savings')) as k (name, kind)
      where u.email like '%@many.bench'`);
    await client.query(`insert into budget_categories (user_id, kind, name, color)
      select u.id, case when c <= 10 then 'expense' else 'income' end, 'Категория ' || c, '#9e9e9e' from users u
      cross join generate_series(1, 12) c
      where u.email like '%@many.bench'`);
    // In slices of 100 users, so one statement stays a few seconds long.
    for (let from = 1; from <= others; from += 100) {
      await client.query(
        `with owner as (
           select u.id,
             (select array_agg(a.id order by a.name) from budget_accounts a where a.user_id = u.id) as accounts,
             (select array_agg(c.id order by c.name) from budget_categories c where c.user_id = u.id and c.kind = 'expense') as expense,
             (select array_agg(c.id order by c.name) from budget_categories c where c.user_id = u.id and c.kind = 'income') as income
           from users u
           where u.email in (select 'user-' || g || '@many.bench' from generate_series($1::int, $2::int) g)
         )
         insert into budget_transactions (user_id, type, date, account_id, category_id, amount, description)
         select o.id,
           case when g % 10 = 0 then 'income' else 'expense' end,
           date '2016-12-01' + (g * 7919) % 3652,
           o.accounts[1 + g % 3],
           case when g % 10 = 0 then o.income[1 + (g / 10) % 2] else o.expense[1 + g % 10] end,
           1 + ((g * 104729) % 1500000) / 100.0,
           ''
         from owner o cross join generate_series(1, $3::int) g`,
        [from, Math.min(others, from + 99), perUser],
      );
    }
    // The month sums per account that the app keeps with every write (no transfers here).
    // Every transaction here is an income or an expense: legs and flows both count them all.
    await client.query(`insert into budget_account_months (user_id, account_id, month, delta, income, expense, legs, flows)
      select t.user_id, t.account_id, date_trunc('month', t.date)::date,
        sum(case when t.type = 'income' then t.amount else -t.amount end),
        sum(case when t.type = 'income' then t.amount else 0 end),
        sum(case when t.type = 'expense' then t.amount else 0 end),
        count(*)::int,
        count(*)::int
      from budget_transactions t join users u on u.id = t.user_id
      where u.email like '%@many.bench'
      group by t.user_id, t.account_id, date_trunc('month', t.date)`);
    await client.query('analyze');
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
}
