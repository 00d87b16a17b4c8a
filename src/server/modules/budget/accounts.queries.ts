import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { budgetAccounts, budgetTransactions } from '../../db/schema.js';

export type AccountRow = typeof budgetAccounts.$inferSelect;
export type AccountWithBalance = Pick<
  AccountRow,
  'id' | 'name' | 'kind' | 'currency' | 'openingBalance' | 'archived' | 'createdAt'
> & { balance: string; transactionCount: number };

/**
 * Accounts with balance = opening + Σ legs, in SQL numeric. A transaction has one leg on
 * account_id (+amount for income, −amount otherwise) and a transfer a second one on to_account_id
 * (+amount_received). `before` (exclusive day) gives balances at the end of an earlier period.
 */
export async function listAccountsWithBalances(
  db: Db,
  userId: string,
  options: { includeArchived?: boolean; before?: string; accountId?: string } = {},
): Promise<AccountWithBalance[]> {
  const t = budgetTransactions;
  const legFilters: SQL[] = [sql`${t.userId} = ${userId}`];
  if (options.before !== undefined) legFilters.push(sql`${t.date} < ${options.before}`);
  if (options.accountId !== undefined) {
    legFilters.push(sql`(${t.accountId} = ${options.accountId} or ${t.toAccountId} = ${options.accountId})`);
  }
  const flows = sql`(
    select leg.account_id, sum(leg.delta) as delta, count(*)::int as n
    from ${t}
    cross join lateral (values
      (${t.accountId}, case when ${t.type} = 'income' then ${t.amount} else -${t.amount} end),
      (${t.toAccountId}, ${t.amountReceived})
    ) as leg (account_id, delta)
    where ${sql.join(legFilters, sql` and `)} and leg.account_id is not null
    group by leg.account_id
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

/** All accounts of the user, archived too: few per user, looked up in memory by bulk inserts. */
export async function listAccounts(db: Db, userId: string): Promise<AccountRow[]> {
  return db.select().from(budgetAccounts).where(eq(budgetAccounts.userId, userId));
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
