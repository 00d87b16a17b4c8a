import { and, asc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import { addDays, daysBetween } from '../../../common/dates.js';
import { rowsOf, type Db } from '../../platform/db.js';
import { netWorthSnapshots, netWorthState } from '../../db/schema.js';
import type { NetWorthDay } from './net-worth-days.js';

/** The stored days of [from, to], ascending. */
export async function storedDays(db: Db, userId: string, from: string, to: string): Promise<NetWorthDay[]> {
  if (from > to) return [];
  return db
    .select({
      day: netWorthSnapshots.day,
      assets: netWorthSnapshots.assets,
      liabilities: netWorthSnapshots.liabilities,
      netWorth: netWorthSnapshots.netWorth,
      portfolio: netWorthSnapshots.portfolio,
      missingRates: netWorthSnapshots.missingRates,
    })
    .from(netWorthSnapshots)
    .where(
      and(
        eq(netWorthSnapshots.userId, userId),
        gte(netWorthSnapshots.day, from),
        lte(netWorthSnapshots.day, to),
      ),
    )
    .orderBy(asc(netWorthSnapshots.day));
}

/**
 * The first day from `first` on that has to be computed again: the day after the stored ones, or
 * an earlier stored day computed in another base currency, lacking a rate, or whose portfolio
 * value differs from `portfolio` (days not given are 0). All of them when the stored days do not
 * run on from `first` without a gap.
 */
export async function firstStale(
  db: Db,
  userId: string,
  first: string,
  baseCurrency: string,
  portfolio: ReadonlyMap<string, string>,
): Promise<string> {
  const [row] = await rowsOf<{
    first_day: string | null;
    last_day: string | null;
    n: number;
    stale: string | null;
  }>(
    db.execute(sql`with p (day, value) as (
        select * from unnest(${sql.param([...portfolio.keys()])}::date[], ${sql.param([...portfolio.values()])}::numeric[])
      ), s as (
        select * from ${netWorthSnapshots} where user_id = ${userId} and day >= ${first}
      )
      select min(s.day)::text as first_day, max(s.day)::text as last_day, count(*)::int as n,
        min(s.day) filter (where s.base_currency <> ${baseCurrency} or cardinality(s.missing_rates) > 0
          or s.portfolio <> coalesce(p.value, 0))::text as stale
      from s left join p on p.day = s.day`),
  );
  if (row?.first_day !== first || row.last_day === null || row.n !== daysBetween(first, row.last_day) + 1)
    return first;
  return row.stale ?? addDays(row.last_day, 1);
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
    .where(
      and(eq(netWorthSnapshots.userId, userId), from === null ? undefined : gte(netWorthSnapshots.day, from)),
    );
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
    // One statement whatever the number of days: the columns as arrays.
    await tx.execute(sql`insert into ${netWorthSnapshots}
        (user_id, base_currency, day, assets, liabilities, net_worth, portfolio, missing_rates)
      select ${userId}, ${baseCurrency}, d.day, d.assets, d.liabilities, d.net_worth, d.portfolio,
        case when d.missing = '' then '{}'::text[] else string_to_array(d.missing, ',') end
      from unnest(${sql.param(days.map((d) => d.day))}::date[], ${sql.param(days.map((d) => d.assets))}::numeric[],
        ${sql.param(days.map((d) => d.liabilities))}::numeric[], ${sql.param(days.map((d) => d.netWorth))}::numeric[],
        ${sql.param(days.map((d) => d.portfolio))}::numeric[], ${sql.param(days.map((d) => d.missingRates.join(',')))}::text[])
        as d (day, assets, liabilities, net_worth, portfolio, missing)`);
    return true;
  });
}
