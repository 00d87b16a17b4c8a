import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../platform/db.js';
import { monthOnOrAfter, monthStart } from './period.js';
import {
  budgetAccountMonths,
  budgetAccounts,
  budgetCategoryMonths,
  budgetTransactions,
} from '../../db/schema.js';

export type AccountRow = typeof budgetAccounts.$inferSelect;
export type AccountWithBalance = Pick<
  AccountRow,
  'id' | 'name' | 'kind' | 'currency' | 'openingBalance' | 'archived' | 'createdAt'
> & { balance: string; transactionCount: number };

/**
 * The legs of transactions: one on account_id (+amount for income, −amount otherwise, and the
 * amount as its income or expense; flow 1 unless a transfer), and for a transfer one on
 * to_account_id (+amount_received). `where` filters budget_transactions.
 */
function legs(where: SQL): SQL {
  const t = budgetTransactions;
  return sql`select leg.account_id, ${t.date} as date, leg.delta, leg.income, leg.expense, leg.flow
    from ${t}
    cross join lateral (values
      (
        ${t.accountId},
        case when ${t.type} = 'income' then ${t.amount} else -${t.amount} end,
        case when ${t.type} = 'income' then ${t.amount} else 0 end,
        case when ${t.type} = 'expense' then ${t.amount} else 0 end,
        case when ${t.type} = 'transfer' then 0 else 1 end
      ),
      (${t.toAccountId}, ${t.amountReceived}, 0, 0, 0)
    ) as leg (account_id, delta, income, expense, flow)
    where ${where} and leg.account_id is not null`;
}

/**
 * Adds (sign 1) or takes away (sign −1) the given transactions to their month sums: the legs to
 * their account months, the income and expense to their category months. Called in the same
 * database transaction as the insert, update or delete it mirrors, before a delete and after an
 * insert; rows are upserted in key order so concurrent writers lock them in the same order.
 */
export async function adjustMonthSums(db: Db, userId: string, transactionIds: string[], sign: 1 | -1) {
  if (transactionIds.length === 0) return;
  await adjustAccountMonths(db, userId, transactionIds, sign);
  await adjustCategoryMonths(db, userId, transactionIds, sign);
}

async function adjustCategoryMonths(db: Db, userId: string, transactionIds: string[], sign: 1 | -1) {
  const t = budgetTransactions;
  const m = budgetCategoryMonths;
  const factor = sql.raw(sign === 1 ? '1' : '-1');
  const columns = sql`user_id, month, account_id, type, category_id, amount, flows`;
  const add = sql`do update set amount = ${m.amount} + excluded.amount, flows = ${m.flows} + excluded.flows`;
  // Rows with a category and rows without are kept under two partial unique indexes.
  await db.execute(sql`with sums as (
      select ${userId}::uuid as user_id, date_trunc('month', ${t.date})::date as month,
        ${t.accountId} as account_id, ${t.type} as type, ${t.categoryId} as category_id,
        sum(${t.amount}) * ${factor} as amount, count(*)::int * ${factor} as flows
      from ${t}
      where ${t.userId} = ${userId} and ${t.id} = any(${sql.param(transactionIds)}::uuid[])
        and ${t.type} <> 'transfer'
      group by 2, 3, 4, 5
    ), categorised as (
      insert into ${m} (${columns})
      select ${columns} from sums where category_id is not null order by 2, 3, 4, 5
      on conflict (user_id, month, account_id, type, category_id) where category_id is not null ${add}
    )
    insert into ${m} (${columns})
    select ${columns} from sums where category_id is null order by 2, 3, 4
    on conflict (user_id, month, account_id, type) where category_id is null ${add}`);
}

async function adjustAccountMonths(db: Db, userId: string, transactionIds: string[], sign: 1 | -1) {
  const t = budgetTransactions;
  const m = budgetAccountMonths;
  const factor = sql.raw(sign === 1 ? '1' : '-1');
  await db.execute(sql`insert into ${m} (user_id, account_id, month, delta, income, expense, legs, flows)
    select ${userId}::uuid, l.account_id, date_trunc('month', l.date)::date,
      sum(l.delta) * ${factor}, sum(l.income) * ${factor}, sum(l.expense) * ${factor},
      count(*)::int * ${factor}, sum(l.flow)::int * ${factor}
    from (${legs(sql`${t.userId} = ${userId} and ${t.id} = any(${sql.param(transactionIds)}::uuid[])`)}) as l
    group by l.account_id, date_trunc('month', l.date)
    order by 2, 3
    on conflict (user_id, account_id, month) do update set
      delta = ${m.delta} + excluded.delta,
      income = ${m.income} + excluded.income,
      expense = ${m.expense} + excluded.expense,
      legs = ${m.legs} + excluded.legs,
      flows = ${m.flows} + excluded.flows`);
}

/**
 * Per account: Σ legs up to `toExclusive` (all history without a period) and, within the period,
 * Σ delta, income, expense, flows and legs. Whole months come from the month sums; the days of a
 * month cut by the period's ends come from the transactions themselves. Each row says whether it
 * counts towards the balance (everything before `toExclusive` once) and whether it lies in the period.
 */
function accountFlows(
  userId: string,
  accountId?: string,
  period?: { from: string; toExclusive: string },
): SQL {
  const t = budgetTransactions;
  const m = budgetAccountMonths;
  const legsOf = (from: string, toExclusive: string) => {
    const where = [sql`${t.userId} = ${userId}`, sql`${t.date} >= ${from}`, sql`${t.date} < ${toExclusive}`];
    if (accountId !== undefined)
      where.push(sql`(${t.accountId} = ${accountId} or ${t.toAccountId} = ${accountId})`);
    return legs(sql.join(where, sql` and `));
  };
  const monthFilters: SQL[] = [sql`${m.userId} = ${userId}`];
  if (accountId !== undefined) monthFilters.push(sql`${m.accountId} = ${accountId}`);
  const parts: SQL[] = [];
  if (period === undefined) {
    parts.push(sql`select ${m.accountId} as account_id, ${m.delta} as delta, ${m.income} as income,
      ${m.expense} as expense, ${m.flows} as flows, ${m.legs} as legs, true as to_balance, false as in_period
      from ${m} where ${sql.join(monthFilters, sql` and `)}`);
  } else {
    const { from, toExclusive } = period;
    const wholeFrom = monthOnOrAfter(from);
    const lastStart = monthStart(toExclusive);
    monthFilters.push(sql`${m.month} < ${lastStart}`);
    parts.push(sql`select ${m.accountId} as account_id, ${m.delta} as delta, ${m.income} as income,
      ${m.expense} as expense, ${m.flows} as flows, ${m.legs} as legs, true as to_balance,
      ${m.month} >= ${wholeFrom} as in_period
      from ${m} where ${sql.join(monthFilters, sql` and `)}`);
    // The days of the last month before toExclusive: the month sums do not cover them.
    if (lastStart !== toExclusive) {
      parts.push(sql`select l.account_id, l.delta, l.income, l.expense, l.flow, 1, true, l.date >= ${from}
        from (${legsOf(lastStart, toExclusive)}) as l`);
    }
    // The days of the first month before it is whole: in the month sums for the balance already.
    const headEnd = wholeFrom < lastStart ? wholeFrom : lastStart;
    if (from < headEnd) {
      parts.push(sql`select l.account_id, l.delta, l.income, l.expense, l.flow, 1, false, true
        from (${legsOf(from, headEnd)}) as l`);
    }
  }
  return sql`(
    select f.account_id,
      sum(f.delta) filter (where f.to_balance) as delta,
      sum(f.legs) filter (where f.to_balance)::int as n,
      sum(f.delta) filter (where f.in_period) as period_delta,
      sum(f.income) filter (where f.in_period) as period_income,
      sum(f.expense) filter (where f.in_period) as period_expense,
      sum(f.flows) filter (where f.in_period)::int as period_flows,
      sum(f.legs) filter (where f.in_period)::int as period_legs
    from (${sql.join(parts, sql` union all `)}) as f
    group by f.account_id
  ) as flows`;
}

const a = budgetAccounts;
const accountColumns = {
  id: a.id,
  name: a.name,
  kind: a.kind,
  currency: a.currency,
  openingBalance: a.openingBalance,
  archived: a.archived,
  createdAt: a.createdAt,
  balance: sql<string>`round(${a.openingBalance} + coalesce(flows.delta, 0), 2)::text`,
  transactionCount: sql<number>`coalesce(flows.n, 0)`,
};
const accountOrder = [asc(a.archived), asc(a.createdAt), asc(a.id)];

/** Accounts with balance = opening + Σ legs, in SQL numeric (from the month sums). */
export async function listAccountsWithBalances(
  db: Db,
  userId: string,
  options: { includeArchived?: boolean; accountId?: string } = {},
): Promise<AccountWithBalance[]> {
  return db
    .select(accountColumns)
    .from(a)
    .leftJoin(sql`${accountFlows(userId, options.accountId)}`, sql`flows.account_id = ${a.id}`)
    .where(
      and(
        eq(a.userId, userId),
        options.includeArchived === true ? undefined : eq(a.archived, false),
        options.accountId === undefined ? undefined : eq(a.id, options.accountId),
      ),
    )
    .orderBy(...accountOrder);
}

export type AccountInPeriod = AccountWithBalance & {
  /** What the period changed the balance by, and its income and expense. */
  periodDelta: string;
  periodIncome: string;
  periodExpense: string;
  /** Income and expense transactions in the period; legs also count transfers. */
  periodFlows: number;
  periodLegs: number;
};

/** Every account (archived too) with its balance at the end of the period and what moved within it. */
export async function accountsInPeriod(
  db: Db,
  userId: string,
  period: { from: string; toExclusive: string },
): Promise<AccountInPeriod[]> {
  const money = (column: string) => sql<string>`round(coalesce(flows.${sql.raw(column)}, 0), 2)::text`;
  return db
    .select({
      ...accountColumns,
      periodDelta: money('period_delta'),
      periodIncome: money('period_income'),
      periodExpense: money('period_expense'),
      periodFlows: sql<number>`coalesce(flows.period_flows, 0)`,
      periodLegs: sql<number>`coalesce(flows.period_legs, 0)`,
    })
    .from(a)
    .leftJoin(sql`${accountFlows(userId, undefined, period)}`, sql`flows.account_id = ${a.id}`)
    .where(eq(a.userId, userId))
    .orderBy(...accountOrder);
}

export async function findAccount(db: Db, userId: string, id: string): Promise<AccountRow | undefined> {
  const [row] = await db
    .select()
    .from(budgetAccounts)
    .where(and(eq(budgetAccounts.userId, userId), eq(budgetAccounts.id, id)))
    .limit(1);
  return row;
}

export async function insertAccount(
  db: Db,
  values: Pick<AccountRow, 'userId' | 'name' | 'kind' | 'currency' | 'openingBalance'>,
): Promise<AccountRow> {
  const [row] = await db.insert(budgetAccounts).values(values).returning();
  if (!row) throw new Error('account insert returned nothing');
  return row;
}

export async function updateAccount(
  db: Db,
  userId: string,
  id: string,
  values: Partial<Pick<AccountRow, 'name' | 'kind' | 'currency' | 'openingBalance' | 'archived'>>,
): Promise<AccountRow | undefined> {
  const [row] = await db
    .update(budgetAccounts)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(budgetAccounts.userId, userId), eq(budgetAccounts.id, id)))
    .returning();
  return row;
}

export async function accountHasTransactions(db: Db, userId: string, id: string): Promise<boolean> {
  const t = budgetTransactions;
  const [row] = await db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.userId, userId), or(eq(t.accountId, id), eq(t.toAccountId, id))))
    .limit(1);
  return row !== undefined;
}

export async function deleteAccount(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(budgetAccounts)
    .where(and(eq(budgetAccounts.userId, userId), eq(budgetAccounts.id, id)))
    .returning({ id: budgetAccounts.id });
  return rows.length > 0;
}

/**
 * Balances per currency for a day-by-day history: every account's opening balance plus its legs
 * before `from` (whole months from the month sums), then the legs' sum per currency and day over
 * [from, to]. Archived accounts count: their money was there.
 */
export async function balanceChanges(db: Db, userId: string, from: string, to: string) {
  const t = budgetTransactions;
  const m = budgetAccountMonths;
  const start = monthStart(from);
  const [before, days] = await Promise.all([
    rowsOf<{ currency: string; amount: string }>(
      db.execute(sql`select a.currency, sum(x.delta)::text as amount from (
          select ${a.id} as account_id, ${a.openingBalance} as delta from ${a} where ${a.userId} = ${userId}
          union all
          select ${m.accountId}, ${m.delta} from ${m} where ${m.userId} = ${userId} and ${m.month} < ${start}
          union all
          select l.account_id, l.delta
            from (${legs(sql`${t.userId} = ${userId} and ${t.date} >= ${start} and ${t.date} < ${from}`)}) as l
        ) x join ${a} a on a.id = x.account_id
        group by a.currency order by a.currency`),
    ),
    // The two sides of the legs summed apart (no lateral join: this reads every transaction of years).
    rowsOf<{ currency: string; day: string; amount: string }>(
      db.execute(sql`select a.currency, t.date::text as day,
          sum(case when t.type = 'income' then t.amount else -t.amount end)::text as amount
        from ${t} t join ${a} a on a.id = t.account_id
        where t.user_id = ${userId} and t.date >= ${from} and t.date <= ${to}
        group by 1, 2
        union all
        select a.currency, t.date::text, sum(t.amount_received)::text
        from ${t} t join ${a} a on a.id = t.to_account_id
        where t.user_id = ${userId} and t.to_account_id is not null and t.date >= ${from} and t.date <= ${to}
        group by 1, 2
        order by 2, 1`),
    ),
  ]);
  return { before, days };
}

/** The first day of the user's transactions; null without any. */
export async function firstTransactionDay(db: Db, userId: string): Promise<string | null> {
  const [row] = await rowsOf<{ day: string | null }>(
    db.execute(sql`select min(${budgetTransactions.date})::text as day from ${budgetTransactions}
      where ${budgetTransactions.userId} = ${userId}`),
  );
  return row?.day ?? null;
}
