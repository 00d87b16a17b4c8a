import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { rowsOf } from '../../platform/db.js';
import { fxOfficialCoverage, fxOfficialRates, fxRefreshState, fxUserRates } from '../../db/schema.js';
import type { OfficialRate } from './cbr.js';

export type CoverageRow = typeof fxOfficialCoverage.$inferSelect;
export type UserRateRow = typeof fxUserRates.$inferSelect;

export async function upsertOfficialRates(db: Db, rates: OfficialRate[]): Promise<void> {
  for (let i = 0; i < rates.length; i += 500) {
    await db
      .insert(fxOfficialRates)
      .values(rates.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [fxOfficialRates.currency, fxOfficialRates.day],
        set: { value: sql`excluded.value`, nominal: sql`excluded.nominal`, fetchedAt: sql`now()` },
      });
  }
}

/**
 * Official rates of `currencies` for days in [from, to], plus the last one before `from` (the rate
 * that still applies on `from`).
 */
export async function officialRates(db: Db, currencies: string[], from: string, to: string) {
  if (currencies.length === 0) return [];
  return rowsOf<{ currency: string; day: string; value: string; nominal: number }>(
    db.execute(sql`select r.currency, r.day::text as day, r.value::text as value, r.nominal
      from ${fxOfficialRates} r
      where r.currency in ${currencies} and r.day <= ${to}
        and r.day >= coalesce((select max(p.day) from ${fxOfficialRates} p
          where p.currency = r.currency and p.day <= ${from}), ${from})
      order by r.currency, r.day`),
  );
}

export async function coverage(db: Db, currencies: string[]): Promise<CoverageRow[]> {
  if (currencies.length === 0) return [];
  return db.select().from(fxOfficialCoverage).where(inArray(fxOfficialCoverage.currency, currencies));
}

export async function allCoverage(db: Db): Promise<CoverageRow[]> {
  return db.select().from(fxOfficialCoverage);
}

/** Records the Bank of Russia's codes of currencies (from a daily answer). */
export async function saveCodes(db: Db, codes: { currency: string; cbrId: string }[]): Promise<void> {
  if (codes.length === 0) return;
  await db
    .insert(fxOfficialCoverage)
    .values(codes)
    .onConflictDoUpdate({ target: fxOfficialCoverage.currency, set: { cbrId: sql`excluded.cbr_id` } });
}

/** Widens the known range of a currency to include [from, to] (the caller fetched it whole). */
export async function extendCoverage(db: Db, currency: string, from: string, to: string): Promise<void> {
  await db
    .insert(fxOfficialCoverage)
    .values({ currency, fromDay: from, toDay: to, checkedAt: sql`now()` })
    .onConflictDoUpdate({
      target: fxOfficialCoverage.currency,
      set: {
        fromDay: sql`least(${fxOfficialCoverage.fromDay}, excluded.from_day)`,
        toDay: sql`greatest(${fxOfficialCoverage.toDay}, excluded.to_day)`,
        checkedAt: sql`now()`,
        failedAt: null,
      },
    });
}

/** `at` comes from the app's clock, which decides when to ask again. */
export async function markFailed(db: Db, currency: string, at: Date): Promise<void> {
  await db
    .insert(fxOfficialCoverage)
    .values({ currency, failedAt: at })
    .onConflictDoUpdate({ target: fxOfficialCoverage.currency, set: { failedAt: at } });
}

/**
 * Takes the daily refresh for `holdMs` unless another instance holds it: one atomic statement, so of
 * several instances exactly one gets `true`.
 */
export async function claimRefresh(db: Db, holdMs: number): Promise<boolean> {
  const rows = await rowsOf<{ source: string }>(
    db.execute(sql`insert into ${fxRefreshState} as s (source, claimed_until)
      values ('cbr', now() + ${`${holdMs} milliseconds`}::interval)
      on conflict (source) do update set claimed_until = excluded.claimed_until
        where s.claimed_until is null or s.claimed_until < now()
      returning s.source`),
  );
  return rows.length > 0;
}

export async function finishRefresh(db: Db, error: string | null): Promise<void> {
  await db
    .update(fxRefreshState)
    .set(
      error === null
        ? { okAt: sql`now()`, error: null, claimedUntil: null }
        : { failedAt: sql`now()`, error, claimedUntil: null },
    )
    .where(eq(fxRefreshState.source, 'cbr'));
}

export async function userRates(db: Db, userId: string, currencies: string[], from: string, to: string) {
  if (currencies.length === 0) return [];
  return db
    .select({ currency: fxUserRates.currency, day: fxUserRates.day, rate: fxUserRates.rate })
    .from(fxUserRates)
    .where(
      and(
        eq(fxUserRates.userId, userId),
        inArray(fxUserRates.currency, currencies),
        gte(fxUserRates.day, from),
        lte(fxUserRates.day, to),
      ),
    );
}

export async function listUserRates(db: Db, userId: string): Promise<UserRateRow[]> {
  return db
    .select()
    .from(fxUserRates)
    .where(eq(fxUserRates.userId, userId))
    .orderBy(asc(fxUserRates.currency), asc(fxUserRates.day));
}

/** Inserts the rate, or replaces the user's rate of the same currency and day. */
export async function saveUserRate(
  db: Db,
  userId: string,
  row: { currency: string; day: string; rate: string },
): Promise<UserRateRow> {
  const [saved] = await db
    .insert(fxUserRates)
    .values({ userId, ...row })
    .onConflictDoUpdate({
      target: [fxUserRates.userId, fxUserRates.currency, fxUserRates.day],
      set: { rate: row.rate },
    })
    .returning();
  return saved!;
}

export async function updateUserRate(
  db: Db,
  userId: string,
  id: string,
  row: { currency: string; day: string; rate: string },
): Promise<UserRateRow | undefined> {
  const [saved] = await db
    .update(fxUserRates)
    .set(row)
    .where(and(eq(fxUserRates.id, id), eq(fxUserRates.userId, userId)))
    .returning();
  return saved;
}

export async function deleteUserRate(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(fxUserRates)
    .where(and(eq(fxUserRates.id, id), eq(fxUserRates.userId, userId)))
    .returning({ id: fxUserRates.id });
  return rows.length > 0;
}
