import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { creditBlocks, creditEarlyRepayments, creditPayments } from '../../db/schema.js';

export type BlockRow = typeof creditBlocks.$inferSelect;
export type BlockValues = Omit<typeof creditBlocks.$inferInsert, 'id' | 'userId' | 'createdAt' | 'updatedAt'>;

export interface HistoryRow {
  kind: 'payment' | 'early';
  id: string;
  blockId: string;
  /** Payment number; null for an early repayment. */
  number: number | null;
  date: string;
  amount: string;
  /** Early repayment mode; null for a payment. */
  mode: 'reduce_term' | 'reduce_payment' | null;
}

export async function listBlocks(db: Db, userId: string, status?: 'active' | 'closed'): Promise<BlockRow[]> {
  return db
    .select()
    .from(creditBlocks)
    .where(
      and(
        eq(creditBlocks.userId, userId),
        status === undefined ? undefined : eq(creditBlocks.status, status),
      ),
    )
    .orderBy(asc(creditBlocks.createdAt), asc(creditBlocks.id));
}

/** The user's block; with `lock`, the row stays locked until the transaction ends (history edits). */
export async function findBlock(
  db: Db,
  userId: string,
  id: string,
  lock = false,
): Promise<BlockRow | undefined> {
  const query = db
    .select()
    .from(creditBlocks)
    .where(and(eq(creditBlocks.id, id), eq(creditBlocks.userId, userId)))
    .limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function insertBlock(db: Db, userId: string, values: BlockValues): Promise<BlockRow> {
  const [row] = await db
    .insert(creditBlocks)
    .values({ ...values, userId })
    .returning();
  if (!row) throw new Error('credit block insert returned nothing');
  return row;
}

export async function updateBlock(
  db: Db,
  userId: string,
  id: string,
  values: BlockValues,
): Promise<BlockRow | undefined> {
  const [row] = await db
    .update(creditBlocks)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(creditBlocks.id, id), eq(creditBlocks.userId, userId)))
    .returning();
  return row;
}

export async function deleteBlock(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(creditBlocks)
    .where(and(eq(creditBlocks.id, id), eq(creditBlocks.userId, userId)))
    .returning({ id: creditBlocks.id });
  return rows.length > 0;
}

/**
 * Payments and early repayments of the given blocks of the user, in one query. Ownership is
 * checked through the block, so a foreign block id yields nothing.
 */
export async function historyOf(db: Db, userId: string, blockIds: string[]): Promise<HistoryRow[]> {
  if (blockIds.length === 0) return [];
  const owned = db
    .select({ id: creditBlocks.id })
    .from(creditBlocks)
    .where(and(eq(creditBlocks.userId, userId), inArray(creditBlocks.id, blockIds)));
  const payments = db
    .select({
      kind: sql<HistoryRow['kind']>`'payment'`.as('kind'),
      id: creditPayments.id,
      blockId: creditPayments.blockId,
      number: sql<number | null>`${creditPayments.number}`.as('number'),
      date: creditPayments.paidDate,
      amount: creditPayments.amount,
      mode: sql<HistoryRow['mode']>`null::text`.as('mode'),
      createdAt: creditPayments.createdAt,
    })
    .from(creditPayments)
    .where(inArray(creditPayments.blockId, owned));
  const early = db
    .select({
      kind: sql<HistoryRow['kind']>`'early'`.as('kind'),
      id: creditEarlyRepayments.id,
      blockId: creditEarlyRepayments.blockId,
      number: sql<number | null>`null::integer`.as('number'),
      date: creditEarlyRepayments.repaymentDate,
      amount: creditEarlyRepayments.amount,
      mode: sql<HistoryRow['mode']>`${creditEarlyRepayments.mode}`.as('mode'),
      createdAt: creditEarlyRepayments.createdAt,
    })
    .from(creditEarlyRepayments)
    .where(inArray(creditEarlyRepayments.blockId, owned));
  // Per block, payments then early repayments by day; same-day ones in the order they were recorded.
  const rows = await payments.unionAll(early).orderBy(sql`3`, sql`1`, sql`5`, sql`4`, sql`8`, sql`2`);
  return rows.map(({ createdAt: _createdAt, ...row }) => row);
}

export async function insertPayments(
  db: Db,
  blockId: string,
  values: { number: number; date: string; amount: string }[],
): Promise<void> {
  if (values.length === 0) return;
  await db
    .insert(creditPayments)
    .values(values.map((v) => ({ blockId, number: v.number, paidDate: v.date, amount: v.amount })));
}

export async function insertEarlyRepayment(
  db: Db,
  blockId: string,
  value: { date: string; amount: string; mode: 'reduce_term' | 'reduce_payment' },
): Promise<void> {
  await db
    .insert(creditEarlyRepayments)
    .values({ blockId, repaymentDate: value.date, amount: value.amount, mode: value.mode });
}

/** Deletes a payment mark of the user's block; false when it is not theirs or does not exist. */
export async function deletePayment(db: Db, userId: string, blockId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(creditPayments)
    .where(
      and(
        eq(creditPayments.id, id),
        eq(creditPayments.blockId, blockId),
        sql`exists (select 1 from ${creditBlocks} where ${creditBlocks.id} = ${creditPayments.blockId} and ${creditBlocks.userId} = ${userId})`,
      ),
    )
    .returning({ id: creditPayments.id });
  return rows.length > 0;
}

export async function deleteEarlyRepayment(
  db: Db,
  userId: string,
  blockId: string,
  id: string,
): Promise<boolean> {
  const rows = await db
    .delete(creditEarlyRepayments)
    .where(
      and(
        eq(creditEarlyRepayments.id, id),
        eq(creditEarlyRepayments.blockId, blockId),
        sql`exists (select 1 from ${creditBlocks} where ${creditBlocks.id} = ${creditEarlyRepayments.blockId} and ${creditBlocks.userId} = ${userId})`,
      ),
    )
    .returning({ id: creditEarlyRepayments.id });
  return rows.length > 0;
}
