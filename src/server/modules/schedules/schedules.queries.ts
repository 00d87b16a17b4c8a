import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { budgetAccounts, scheduleOccurrences, schedules, users } from '../../db/schema.js';

export type ScheduleRow = typeof schedules.$inferSelect;
export type NewSchedule = Omit<typeof schedules.$inferInsert, 'id' | 'userId' | 'createdAt' | 'updatedAt'>;
export type OccurrenceRow = typeof scheduleOccurrences.$inferSelect;
export type OccurrenceStatus = 'posted' | 'matched' | 'skipped' | 'changed';

const o = scheduleOccurrences;
const owned = (userId: string, id: string) => and(eq(schedules.id, id), eq(schedules.userId, userId));

export async function insertSchedule(db: Db, userId: string, values: NewSchedule): Promise<ScheduleRow> {
  const [row] = await db
    .insert(schedules)
    .values({ ...values, userId })
    .returning();
  if (!row) throw new Error('schedule insert returned nothing');
  return row;
}

export async function updateSchedule(
  db: Db,
  userId: string,
  id: string,
  values: Partial<NewSchedule>,
): Promise<ScheduleRow | undefined> {
  const [row] = await db
    .update(schedules)
    .set({ ...values, updatedAt: sql`now()` })
    .where(owned(userId, id))
    .returning();
  return row;
}

export async function findSchedule(db: Db, userId: string, id: string): Promise<ScheduleRow | undefined> {
  const [row] = await db.select().from(schedules).where(owned(userId, id)).limit(1);
  return row;
}

/** Locks the schedule's row for the rest of the transaction (edits from a day on). */
export async function lockSchedule(db: Db, userId: string, id: string): Promise<ScheduleRow | undefined> {
  const [row] = await db.select().from(schedules).where(owned(userId, id)).for('update').limit(1);
  return row;
}

export async function deleteSchedule(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db.delete(schedules).where(owned(userId, id)).returning({ id: schedules.id });
  return rows.length > 0;
}

export async function listSchedules(db: Db, userId: string, accountId?: string): Promise<ScheduleRow[]> {
  return db
    .select()
    .from(schedules)
    .where(
      and(
        eq(schedules.userId, userId),
        accountId === undefined ? undefined : eq(schedules.accountId, accountId),
      ),
    )
    .orderBy(asc(schedules.startDate), asc(schedules.id));
}

/** Currencies of the user's accounts, for the schedules' amounts. */
export async function accountCurrencies(db: Db, userId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: budgetAccounts.id, currency: budgetAccounts.currency })
    .from(budgetAccounts)
    .where(eq(budgetAccounts.userId, userId));
  return new Map(rows.map((r) => [r.id, r.currency]));
}

/** Every schedule posted automatically, with its owner's time zone: the posting job's work list. */
export async function autoSchedules(db: Db): Promise<(ScheduleRow & { timeZone: string })[]> {
  const rows = await db
    .select({ schedule: schedules, timeZone: users.timeZone })
    .from(schedules)
    .innerJoin(users, eq(users.id, schedules.userId))
    .where(eq(schedules.mode, 'auto'));
  return rows.map((r) => ({ ...r.schedule, timeZone: r.timeZone }));
}

export async function occurrenceRows(
  db: Db,
  userId: string,
  scheduleIds: string[],
  nominalFrom: string,
): Promise<OccurrenceRow[]> {
  if (scheduleIds.length === 0) return [];
  return db
    .select()
    .from(o)
    .where(and(eq(o.userId, userId), inArray(o.scheduleId, scheduleIds), gte(o.nominalDate, nominalFrom)));
}

/**
 * Claims an occurrence for posting or matching: inserts its key, or turns a changed (still
 * expected) one. Returns false when it is already posted, matched or skipped — by this instance or
 * another one, whose insert this waits for.
 */
export async function claimOccurrence(
  db: Db,
  key: { userId: string; scheduleId: string; nominalDate: string },
  values: { status: 'posted' | 'matched'; date: string; amount: string },
): Promise<boolean> {
  const rows = await db
    .insert(o)
    .values({ ...key, ...values })
    .onConflictDoUpdate({
      target: [o.scheduleId, o.nominalDate],
      set: { status: values.status, date: values.date, amount: values.amount, updatedAt: sql`now()` },
      setWhere: eq(o.status, 'changed'),
    })
    .returning({ id: o.id });
  return rows.length > 0;
}

export async function linkTransaction(
  db: Db,
  scheduleId: string,
  nominalDate: string,
  transactionId: string,
): Promise<void> {
  await db
    .update(o)
    .set({ transactionId })
    .where(and(eq(o.scheduleId, scheduleId), eq(o.nominalDate, nominalDate)));
}

/** Skips or changes an occurrence that is not posted or matched yet; false when it is. */
export async function overrideOccurrence(
  db: Db,
  key: { userId: string; scheduleId: string; nominalDate: string },
  values: { status: 'skipped' | 'changed'; date: string | null; amount: string | null },
): Promise<boolean> {
  const rows = await db
    .insert(o)
    .values({ ...key, ...values })
    .onConflictDoUpdate({
      target: [o.scheduleId, o.nominalDate],
      set: { ...values, updatedAt: sql`now()` },
      setWhere: inArray(o.status, ['skipped', 'changed']),
    })
    .returning({ id: o.id });
  return rows.length > 0;
}

/** Restores an occurrence to the rule's day and amount (undoes a skip or a change). */
export async function clearOverride(
  db: Db,
  userId: string,
  scheduleId: string,
  nominalDate: string,
): Promise<boolean> {
  const rows = await db
    .delete(o)
    .where(
      and(
        eq(o.userId, userId),
        eq(o.scheduleId, scheduleId),
        eq(o.nominalDate, nominalDate),
        inArray(o.status, ['skipped', 'changed']),
      ),
    )
    .returning({ id: o.id });
  return rows.length > 0;
}

/** Moves the occurrences from a day on to the schedule that continues the series. */
export async function moveOccurrences(
  db: Db,
  fromId: string,
  toId: string,
  nominalFrom: string,
): Promise<void> {
  await db
    .update(o)
    .set({ scheduleId: toId })
    .where(and(eq(o.scheduleId, fromId), gte(o.nominalDate, nominalFrom)));
}
