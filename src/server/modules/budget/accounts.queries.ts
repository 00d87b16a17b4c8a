import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { budgetAccountMonths, budgetAccounts, budgetTransactions } from '../../db/schema.js';

export type AccountRow = typeof budgetAccounts.$inferSelect;
export type AccountWithBalance = Pick<
  AccountRow,
  'id' | 'name' | 'kind' | 'currency' | 'openingBalance' | 'archived' | 'createdAt'
> & { balance: string; transactionCount: number };

/**
 * The legs of transactions: one on account_id (+amount for income, −amount otherwise, and the
 * amount as its income or expense), and for a transfer one on to_account_id (+amount_received).
 * `where` filters budget_transactions.
 */
function legs(where: SQL): SQL {
  const t = budgetTransactions;
  return sql`select leg.account_id, ${t.date} as date, leg.delta, leg.income, leg.expense
    from ${t}
    cross join lateral (values
      (
        ${t.accountId},
        case when ${t.type} = 'income' then ${t.amount} else -${t.amount} end,
        case when ${t.type} = 'income' then ${t.amount} else 0 end,
        case when ${t.type} = 'expense' then ${t.amount} else 0 end
      ),
      (${t.toAccountId}, ${t.amountReceived}, 0, 0)
    ) as leg (account_id, delta, income, expense)
    where ${where} and leg.account_id is not null`;
}

/**
 * Adds (sign 1) or takes away (sign −1) the legs of the given transactions to their account
 * months. Called in the same database transaction as the insert, update or delete it mirrors; rows
 * are upserted in key order so concurrent writers lock them in the same order.
 */
export async function adjustAccountMonths(db: Db, userId: string, transactionIds: string[], sign: 1 | -1) {
  if (transactionIds.length === 0) return;
  const t = budgetTransactions;
  const m = budgetAccountMonths;
  const factor = sql.raw(sign === 1 ? '1' : '-1');
  await db.execute(sql`insert into ${m} (user_id, account_id, month, delta, income, expense, legs)
    select ${userId}::uuid, l.account_id, date_trunc('month', l.date)::date,
      sum(l.delta) * ${factor}, sum(l.income) * ${factor}, sum(l.expense) * ${factor}, count(*)::int * ${factor}
    from (${legs(sql`${t.userId} = ${userId} and ${t.id} = any(${sql.param(transactionIds)}::uuid[])`)}) as l
    group by l.account_id, date_trunc('month', l.date)
    order by 2, 3
    on conflict (user_id, account_id, month) do update set
      delta = ${m.delta} + excluded.delta,
      income = ${m.income} + excluded.income,
      expense = ${m.expense} + excluded.expense,
      legs = ${m.legs} + excluded.legs`);
}

/**
 * Accounts with balance = opening + Σ legs, in SQL numeric: whole months from the month sums, and
 * with `before` (an exclusive day that is not a first of month) the rest of that month from the
 * transactions themselves.
 */
export async function listAccountsWithBalances(
  db: Db,
  userId: string,
  options: { includeArchived?: boolean; before?: string; accountId?: string } = {},
): Promise<AccountWithBalance[]> {
  const t = budgetTransactions;
  const m = budgetAccountMonths;
  const parts: SQL[] = [];
  const monthFilters: SQL[] = [sql`${m.userId} = ${userId}`];
  if (options.accountId !== undefined) monthFilters.push(sql`${m.accountId} = ${options.accountId}`);
  if (options.before !== undefined) {
    const monthStart = `${options.before.slice(0, 7)}-01`;
    monthFilters.push(sql`${m.month} < ${monthStart}`);
    if (monthStart !== options.before) {
      const legFilters = [
        sql`${t.userId} = ${userId}`,
        sql`${t.date} >= ${monthStart}`,
        sql`${t.date} < ${options.before}`,
      ];
      if (options.accountId !== undefined) {
        legFilters.push(
          sql`(${t.accountId} = ${options.accountId} or ${t.toAccountId} = ${options.accountId})`,
        );
      }
      parts.push(
        sql`select l.account_id, l.delta, 1 as legs from (${legs(sql.join(legFilters, sql` and `))}) as l`,
      );
    }
  }
  parts.unshift(sql`select ${m.accountId} as account_id, ${m.delta} as delta, ${m.legs} as legs
    from ${m} where ${sql.join(monthFilters, sql` and `)}`);
  const flows = sql`(
    select f.account_id, sum(f.delta) as delta, sum(f.legs)::int as n
    from (${sql.join(parts, sql` union all `)}) as f
    group by f.account_id
  ) as flows`;
  const a = budgetAccounts;
  return db
    .select({
      id: a.id,
      name: a.name,
      kind: a.kind,
      currency: a.currency,
      openingBalance: a.openingBalance,
      archived: a.archived,
      createdAt: a.createdAt,
      balance: sql<string>`(${a.openingBalance} + coalesce(flows.delta, 0))::numeric(20, 2)::text`,
      transactionCount: sql<number>`coalesce(flows.n, 0)`,
    })
    .from(a)
    .leftJoin(flows, sql`flows.account_id = ${a.id}`)
    .where(
      and(
        eq(a.userId, userId),
        options.includeArchived === true ? undefined : eq(a.archived, false),
        options.accountId === undefined ? undefined : eq(a.id, options.accountId),
      ),
    )
    .orderBy(asc(a.archived), asc(a.createdAt), asc(a.id));
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
