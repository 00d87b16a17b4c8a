import { and, asc, eq, gte, sql } from 'drizzle-orm';
import {
  dailyCloseCoverage,
  dailyCloses,
  fxOfficialRates,
  fxUserRates,
  instruments,
  manualAssetPrices,
  operations,
  portfolioDailyValues,
  portfolios,
  portfolioSeriesState,
  portfolioTaxSettings,
  positions,
} from '../../db/schema.js';
import { rowsOf, type Db } from '../../platform/db.js';
import { replayColumns } from '../investments/operations.queries.js';

export type SeriesStateRow = typeof portfolioSeriesState.$inferSelect;

/** The user's portfolios with their ИИС mark. */
export async function portfoliosOf(db: Db, userId: string) {
  return db
    .select({
      id: portfolios.id,
      name: portfolios.name,
      kind: portfolios.kind,
      cashTracking: portfolios.cashTracking,
      iisType: portfolioTaxSettings.iisType,
    })
    .from(portfolios)
    .leftJoin(portfolioTaxSettings, eq(portfolioTaxSettings.portfolioId, portfolios.id))
    .where(eq(portfolios.userId, userId))
    .orderBy(asc(portfolios.createdAt), asc(portfolios.id));
}

export async function setIisType(
  db: Db,
  userId: string,
  portfolioId: string,
  iisType: string | null,
): Promise<boolean> {
  const rows = await rowsOf<{ portfolio_id: string }>(
    db.execute(sql`insert into ${portfolioTaxSettings} (portfolio_id, user_id, iis_type, updated_at)
      select p.id, p.user_id, ${iisType}, now() from ${portfolios} p
      where p.id = ${portfolioId} and p.user_id = ${userId}
      on conflict (portfolio_id) do update set iis_type = excluded.iis_type, updated_at = now()
      returning portfolio_id`),
  );
  return rows.length > 0;
}

/** Every operation of a portfolio with what valuing it needs, in the order they happened. */
export async function seriesOperations(db: Db, userId: string, portfolioId: string) {
  return db
    .select(replayColumns)
    .from(operations)
    .where(and(eq(operations.userId, userId), eq(operations.portfolioId, portfolioId)))
    .orderBy(asc(operations.date), asc(operations.occurredAt), asc(operations.createdAt), asc(operations.id));
}

/** Catalogue rows of instruments (kind, currency, nominal, ticker). */
export async function instrumentInfo(db: Db, uids: string[]) {
  if (uids.length === 0) return [];
  return rowsOf<{
    uid: string;
    ticker: string;
    name: string;
    kind: string;
    currency: string;
    nominal: string | null;
    nominal_currency: string | null;
  }>(
    db.execute(sql`select uid, ticker, name, kind, currency, nominal::text as nominal, nominal_currency
      from ${instruments} where uid in ${uids}`),
  );
}

export async function manualAssetInfo(db: Db, userId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return rowsOf<{ id: string; ticker: string; name: string; kind: string; currency: string }>(
    db.execute(sql`select id, ticker, name, kind, currency from manual_assets
      where user_id = ${userId} and id in ${ids}`),
  );
}

/**
 * Closes of instruments from `from` on, plus the last one before `from` (the close that still
 * applies then), ascending per instrument. The earlier close is one index probe per instrument.
 */
export async function closesFrom(db: Db, uids: string[], from: string) {
  if (uids.length === 0) return [];
  return rowsOf<{ key: string; day: string; close: string }>(
    db.execute(sql`select key, day, close from (
        select c.instrument_uid as key, c.day::text as day, c.close::text as close
          from ${dailyCloses} c where c.instrument_uid in ${uids} and c.day >= ${from}
        union all
        select i.uid, p.day::text, p.close::text
          from ${instruments} i
          cross join lateral (select day, close from ${dailyCloses}
            where instrument_uid = i.uid and day < ${from} order by day desc limit 1) p
          where i.uid in ${uids}
      ) x order by key, day`),
  );
}

/** The same for hand-entered prices of manual assets. */
export async function manualPricesFrom(db: Db, userId: string, ids: string[], from: string) {
  if (ids.length === 0) return [];
  return rowsOf<{ key: string; day: string; close: string }>(
    db.execute(sql`select key, day, close from (
        select m.manual_asset_id::text as key, m.date::text as day, m.price::text as close
          from ${manualAssetPrices} m
          where m.user_id = ${userId} and m.manual_asset_id in ${ids} and m.date >= ${from}
        union all
        select a.id::text, p.date::text, p.price::text
          from manual_assets a
          cross join lateral (select date, price from ${manualAssetPrices}
            where manual_asset_id = a.id and date < ${from} order by date desc limit 1) p
          where a.user_id = ${userId} and a.id in ${ids}
      ) x order by key, day`),
  );
}

export async function closeCoverage(db: Db, uids: string[]) {
  if (uids.length === 0) return [];
  return rowsOf<{ instrument_uid: string; from_day: string; to_day: string; checked_ms: string }>(
    db.execute(sql`select instrument_uid, from_day::text as from_day, to_day::text as to_day,
        floor(extract(epoch from checked_at) * 1000)::bigint::text as checked_ms
      from ${dailyCloseCoverage} where instrument_uid in ${uids}`),
  );
}

/** Stores closes; a close that did not change keeps its fetch time (it invalidates nothing). */
export async function upsertCloses(
  db: Db,
  uid: string,
  closes: { day: string; close: string }[],
  source: string,
  coverage: { from: string; to: string },
): Promise<void> {
  for (let i = 0; i < closes.length; i += 1000) {
    const part = closes.slice(i, i + 1000);
    await db
      .insert(dailyCloses)
      .values(part.map((c) => ({ instrumentUid: uid, day: c.day, close: c.close, source })))
      .onConflictDoUpdate({
        target: [dailyCloses.instrumentUid, dailyCloses.day],
        set: { close: sql`excluded.close`, source: sql`excluded.source`, fetchedAt: sql`now()` },
        setWhere: sql`${dailyCloses.close} is distinct from excluded.close`,
      });
  }
  await db.execute(sql`insert into ${dailyCloseCoverage} (instrument_uid, from_day, to_day, checked_at)
    values (${uid}, ${coverage.from}, ${coverage.to}, now())
    on conflict (instrument_uid) do update set
      from_day = least(${dailyCloseCoverage}.from_day, excluded.from_day),
      to_day = greatest(${dailyCloseCoverage}.to_day, excluded.to_day),
      checked_at = now()`);
}

export async function seriesState(db: Db, portfolioId: string): Promise<SeriesStateRow | undefined> {
  const [row] = await db
    .select()
    .from(portfolioSeriesState)
    .where(eq(portfolioSeriesState.portfolioId, portfolioId));
  return row;
}

export async function dbNow(db: Db): Promise<Date> {
  // Milliseconds, rounded down: a stamp a little early only recomputes a little more.
  const [row] = await rowsOf<{ ms: string }>(
    db.execute(sql`select floor(extract(epoch from now()) * 1000)::bigint::text as ms`),
  );
  return new Date(Number(row!.ms));
}

/**
 * What changed since a series was computed: the earliest day of operations, prices, closes and
 * official rates written after `since`, and the counts and user-rate key to compare.
 */
export async function changesSince(
  db: Db,
  userId: string,
  portfolioId: string,
  since: Date,
  instrumentUids: string[],
  currencies: string[],
) {
  const [row] = await rowsOf<{
    operations_count: number;
    operations_new: number;
    operations_day: string | null;
    prices_count: number;
    prices_new: number;
    prices_day: string | null;
    closes_day: string | null;
    rates_day: string | null;
    rates_key: string;
  }>(
    db.execute(sql`select
      (select count(*)::int from ${operations} where portfolio_id = ${portfolioId}) as operations_count,
      (select count(*)::int from ${operations} where portfolio_id = ${portfolioId} and created_at > ${since}) as operations_new,
      (select min(date)::text from ${operations} where portfolio_id = ${portfolioId} and updated_at > ${since}) as operations_day,
      (select count(*)::int from ${manualAssetPrices} m where m.user_id = ${userId} and m.manual_asset_id in
        (select manual_asset_id from ${operations} where portfolio_id = ${portfolioId} and manual_asset_id is not null)) as prices_count,
      (select count(*)::int from ${manualAssetPrices} m where m.user_id = ${userId} and m.created_at > ${since} and m.manual_asset_id in
        (select manual_asset_id from ${operations} where portfolio_id = ${portfolioId} and manual_asset_id is not null)) as prices_new,
      (select min(date)::text from ${manualAssetPrices} m where m.user_id = ${userId} and m.updated_at > ${since} and m.manual_asset_id in
        (select manual_asset_id from ${operations} where portfolio_id = ${portfolioId} and manual_asset_id is not null)) as prices_day,
      ${
        instrumentUids.length === 0
          ? sql`null::text`
          : sql`(select min(day)::text from ${dailyCloses} where instrument_uid in ${instrumentUids} and fetched_at > ${since})`
      } as closes_day,
      ${
        currencies.length === 0
          ? sql`null::text`
          : sql`(select min(day)::text from ${fxOfficialRates} where currency in ${currencies} and fetched_at > ${since})`
      } as rates_day,
      (select count(*)::text || ':' || coalesce(sum(hashtext(currency || day::text || rate::text)), 0)::text
        from ${fxUserRates} where user_id = ${userId}) as rates_key`),
  );
  return row!;
}

/**
 * Replaces the series from `from` on and records the state, in one transaction. Two requests (or
 * instances) saving the same portfolio take turns: without the lock the second one's delete would
 * not see the first one's rows and its insert would collide with them.
 */
export async function saveSeries(
  db: Db,
  portfolioId: string,
  from: string,
  days: { day: string; value: string; flow: string; netInvested: string; missing: number }[],
  state: Omit<SeriesStateRow, 'portfolioId'>,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`series:${portfolioId}`}, 0))`);
    await tx
      .delete(portfolioDailyValues)
      .where(and(eq(portfolioDailyValues.portfolioId, portfolioId), gte(portfolioDailyValues.day, from)));
    // Column arrays through unnest: one statement of six parameters for any number of days.
    const col = <T>(pick: (d: (typeof days)[number]) => T) => sql.param(days.map(pick));
    if (days.length > 0)
      await tx.execute(sql`insert into ${portfolioDailyValues} (portfolio_id, day, value, flow, net_invested, missing)
        select ${portfolioId}::uuid, * from unnest(${col((d) => d.day)}::date[], ${col((d) => d.value)}::numeric[],
          ${col((d) => d.flow)}::numeric[], ${col((d) => d.netInvested)}::numeric[], ${col((d) => d.missing)}::int[])`);
    await tx
      .insert(portfolioSeriesState)
      .values({ portfolioId, ...state })
      .onConflictDoUpdate({ target: portfolioSeriesState.portfolioId, set: state });
  });
}

export async function clearSeries(db: Db, portfolioId: string): Promise<void> {
  await db.delete(portfolioDailyValues).where(eq(portfolioDailyValues.portfolioId, portfolioId));
  await db.delete(portfolioSeriesState).where(eq(portfolioSeriesState.portfolioId, portfolioId));
}

/** The cached series of portfolios summed per day over [from, to] (ownership checked). */
export async function seriesRows(db: Db, userId: string, portfolioIds: string[], from: string, to: string) {
  if (portfolioIds.length === 0) return [];
  return rowsOf<{ day: string; value: string; flow: string; net_invested: string; missing: number }>(
    db.execute(sql`select v.day::text as day, sum(v.value)::text as value, sum(v.flow)::text as flow,
        sum(v.net_invested)::text as net_invested, sum(v.missing)::int as missing
      from ${portfolioDailyValues} v join ${portfolios} p on p.id = v.portfolio_id
      where p.user_id = ${userId} and v.portfolio_id in ${portfolioIds} and v.day between ${from} and ${to}
      group by v.day order by v.day`),
  );
}

/** The index's closes over [from, to] with the last one before. */
export async function benchmarkCloses(db: Db, uid: string, from: string, to: string) {
  return rowsOf<{ day: string; close: string }>(
    db.execute(sql`select day::text as day, close::text as close from ${dailyCloses} c
      where instrument_uid = ${uid} and day <= ${to}
        and day >= coalesce((select max(p.day) from ${dailyCloses} p
          where p.instrument_uid = ${uid} and p.day <= ${from}), ${from})
      order by day`),
  );
}

/** Cost of what is held now in the base currency (positions, not cash), per portfolio. */
export async function heldCost(db: Db, userId: string, portfolioIds: string[]) {
  if (portfolioIds.length === 0) return '0';
  const [row] = await rowsOf<{ cost: string | null }>(
    db.execute(sql`select coalesce(sum(cost_base), 0)::text as cost from ${positions}
      where user_id = ${userId} and portfolio_id in ${portfolioIds} and cash_currency is null
        and quantity > 0`),
  );
  return row?.cost ?? '0';
}
