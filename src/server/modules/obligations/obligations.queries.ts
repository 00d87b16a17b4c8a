import { and, asc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { obligations } from '../../db/schema.js';

export type ObligationRow = typeof obligations.$inferSelect;
export type ObligationValues = Pick<
  typeof obligations.$inferInsert,
  'title' | 'dueDate' | 'amount' | 'currency' | 'done' | 'paidDate' | 'recurrence' | 'seriesId'
>;

export interface MonthTotalsRow {
  currency: string;
  total: string;
  paid: string;
  unpaid: string;
  overdue: string;
  count: number;
}

const owned = (userId: string, id: string) => and(eq(obligations.id, id), eq(obligations.userId, userId));

export async function findObligation(db: Db, userId: string, id: string): Promise<ObligationRow | undefined> {
  const [row] = await db.select().from(obligations).where(owned(userId, id)).limit(1);
  return row;
}

export async function insertObligation(
  db: Db,
  userId: string,
  values: ObligationValues,
): Promise<ObligationRow> {
  const [row] = await db
    .insert(obligations)
    .values({ ...values, userId })
    .returning();
  if (!row) throw new Error('obligation insert returned nothing');
  return row;
}

export async function updateObligation(
  db: Db,
  userId: string,
  id: string,
  values: ObligationValues,
): Promise<ObligationRow | undefined> {
  const [row] = await db
    .update(obligations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(owned(userId, id))
    .returning();
  return row;
}

export async function deleteObligation(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db.delete(obligations).where(owned(userId, id)).returning({ id: obligations.id });
  return rows.length > 0;
}

/** The user's obligations due in [from, toExclusive). */
const dueIn = (userId: string, from: string, toExclusive: string) =>
  and(eq(obligations.userId, userId), gte(obligations.dueDate, from), lt(obligations.dueDate, toExclusive));

/** Lists go by due date, then in the order they were entered. */
const BY_DUE_DATE = [asc(obligations.dueDate), asc(obligations.createdAt), asc(obligations.id)];

/** Obligations due in [from, toExclusive), by due date. */
export async function listDue(
  db: Db,
  userId: string,
  from: string,
  toExclusive: string,
): Promise<ObligationRow[]> {
  return db
    .select()
    .from(obligations)
    .where(dueIn(userId, from, toExclusive))
    .orderBy(...BY_DUE_DATE);
}

/** Per-currency sums of the obligations due in [from, toExclusive), summed in SQL numeric. */
export async function totalsDue(
  db: Db,
  userId: string,
  from: string,
  toExclusive: string,
  today: string,
): Promise<MonthTotalsRow[]> {
  const zero = sql`0::numeric(20,2)`;
  return db
    .select({
      currency: obligations.currency,
      total: sql<string>`sum(${obligations.amount})::text`,
      paid: sql<string>`coalesce(sum(${obligations.amount}) filter (where ${obligations.done}), ${zero})::text`,
      unpaid: sql<string>`coalesce(sum(${obligations.amount}) filter (where not ${obligations.done}), ${zero})::text`,
      overdue: sql<string>`coalesce(sum(${obligations.amount}) filter (where not ${obligations.done} and ${obligations.dueDate} < ${today}::date), ${zero})::text`,
      count: sql<number>`count(*)::int`,
    })
    .from(obligations)
    .where(dueIn(userId, from, toExclusive))
    .groupBy(obligations.currency)
    .orderBy(asc(obligations.currency));
}

/** Unpaid obligations due in [from, through]. */
export async function listUnpaid(
  db: Db,
  userId: string,
  from: string,
  through: string,
): Promise<ObligationRow[]> {
  return db
    .select()
    .from(obligations)
    .where(
      and(
        eq(obligations.userId, userId),
        eq(obligations.done, false),
        gte(obligations.dueDate, from),
        lte(obligations.dueDate, through),
      ),
    )
    .orderBy(...BY_DUE_DATE);
}

/** Unpaid obligations due before `today`: the oldest `limit` of them, their count and sums per currency. */
export async function overdue(db: Db, userId: string, today: string, limit: number) {
  const where = and(
    eq(obligations.userId, userId),
    eq(obligations.done, false),
    lt(obligations.dueDate, today),
  );
  const [items, totals] = await Promise.all([
    db
      .select()
      .from(obligations)
      .where(where)
      .orderBy(...BY_DUE_DATE)
      .limit(limit),
    db
      .select({
        currency: obligations.currency,
        total: sql<string>`sum(${obligations.amount})::text`,
        count: sql<number>`count(*)::int`,
      })
      .from(obligations)
      .where(where)
      .groupBy(obligations.currency)
      .orderBy(asc(obligations.currency)),
  ]);
  return { items, totals };
}

/** Adds the next payment of a repeating series unless the series already has one on that day. */
export async function insertNextInSeries(db: Db, userId: string, values: ObligationValues): Promise<void> {
  await db
    .insert(obligations)
    .values({ ...values, userId })
    .onConflictDoNothing({
      target: [obligations.seriesId, obligations.dueDate],
      where: sql`${obligations.seriesId} is not null`,
    });
}

/** Every unpaid obligation due on or before `through`, overdue ones included. */
export async function unpaidThrough(db: Db, userId: string, through: string): Promise<ObligationRow[]> {
  return db
    .select()
    .from(obligations)
    .where(
      and(eq(obligations.userId, userId), eq(obligations.done, false), lte(obligations.dueDate, through)),
    )
    .orderBy(asc(obligations.dueDate), asc(obligations.id));
}
