import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../platform/db.js';
import { netWorthSnapshots, netWorthState } from '../../db/schema.js';
import type { NetWorthDay } from './net-worth-days.js';

export type StoredDay = NetWorthDay & { baseCurrency: string };

/** Every stored day of the user's history, ascending. */
export async function storedDays(db: Db, userId: string): Promise<StoredDay[]> {
  return db
    .select({
      day: netWorthSnapshots.day,
      baseCurrency: netWorthSnapshots.baseCurrency,
      assets: netWorthSnapshots.assets,
      liabilities: netWorthSnapshots.liabilities,
      netWorth: netWorthSnapshots.netWorth,
      portfolio: netWorthSnapshots.portfolio,
      missingRates: netWorthSnapshots.missingRates,
    })
    .from(netWorthSnapshots)
    .where(eq(netWorthSnapshots.userId, userId))
    .orderBy(asc(netWorthSnapshots.day));
}

/** The history's version; the row is made first, so that a first write waits for what reads it. */
export async function version(db: Db, userId: string): Promise<number> {
  await db.insert(netWorthState).values({ userId }).onConflictDoNothing();
  const [row] = await db
    .select({ version: netWorthState.version })
    .from(netWorthState)
    .where(eq(netWorthState.userId, userId));
  return row?.version ?? 0;
}

/**
 * In the writer's transaction: the stored days from `from` on (all with null) go, and the version
 * moves on so that a computation running meanwhile does not store what it read before the write.
 */
export async function forgetFrom(db: Db, userId: string, from: string | null): Promise<void> {
  await db.execute(sql`insert into ${netWorthState} (user_id, version) values (${userId}, 1)
    on conflict (user_id) do update set version = ${netWorthState.version} + 1`);
  await db
    .delete(netWorthSnapshots)
    .where(and(eq(netWorthSnapshots.userId, userId), from === null ? undefined : gte(netWorthSnapshots.day, from)));
}

/**
 * Replaces the days from `from` on (and any before `first`) with `days`, unless the history
 * changed since `seen` was read: then nothing is stored and the next request computes again.
 */
export async function saveDays(
  db: Db,
  userId: string,
  seen: number,
  first: string,
  from: string,
  baseCurrency: string,
  days: NetWorthDay[],
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [state] = await rowsOf<{ version: number }>(
      tx.execute(sql`select version from ${netWorthState} where user_id = ${userId} for update`),
    );
    if ((state?.version ?? 0) !== seen) return false;
    const mine = eq(netWorthSnapshots.userId, userId);
    await tx.delete(netWorthSnapshots).where(and(mine, gte(netWorthSnapshots.day, from)));
    await tx.delete(netWorthSnapshots).where(and(mine, lt(netWorthSnapshots.day, first)));
    for (let i = 0; i < days.length; i += 2000)
      await tx.insert(netWorthSnapshots).values(
        days.slice(i, i + 2000).map((d) => ({ userId, baseCurrency, ...d })),
      );
    return true;
  });
}
