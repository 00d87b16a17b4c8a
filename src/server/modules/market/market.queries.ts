import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { rowsOf } from '../../platform/db.js';
import { instruments, lastPrices, users } from '../../db/schema.js';

export type InstrumentRow = typeof instruments.$inferSelect;
export type InstrumentValues = typeof instruments.$inferInsert;
export type LastPriceRow = typeof lastPrices.$inferSelect;

/** What market calls need to know about a user: the base currency, time zone and own token. */
export async function findUserMarketSettings(
  db: Db,
  userId: string,
): Promise<{ baseCurrency: string; timeZone: string; tinvestTokenEnc: string | null } | undefined> {
  const [row] = await db
    .select({
      baseCurrency: users.baseCurrency,
      timeZone: users.timeZone,
      tinvestTokenEnc: users.tinvestTokenEnc,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}

const UPSERT_BATCH = 500;

/** Inserts or updates catalogue rows from the provider. */
export async function upsertInstruments(db: Db, rows: InstrumentValues[]): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
    const batch = rows.slice(i, i + UPSERT_BATCH);
    await db
      .insert(instruments)
      .values(batch)
      .onConflictDoUpdate({
        target: instruments.uid,
        set: {
          figi: sql`excluded.figi`,
          ticker: sql`excluded.ticker`,
          classCode: sql`excluded.class_code`,
          isin: sql`excluded.isin`,
          name: sql`excluded.name`,
          kind: sql`excluded.kind`,
          currency: sql`excluded.currency`,
          lot: sql`excluded.lot`,
          nominal: sql`excluded.nominal`,
          nominalCurrency: sql`excluded.nominal_currency`,
          aciValue: sql`coalesce(excluded.aci_value, ${instruments.aciValue})`,
          aciDate: sql`coalesce(excluded.aci_date, ${instruments.aciDate})`,
          minPriceIncrement: sql`excluded.min_price_increment`,
          maturityDate: sql`excluded.maturity_date`,
          couponsPerYear: sql`excluded.coupons_per_year`,
          tradable: sql`excluded.tradable`,
          updatedAt: sql`now()`,
        },
      });
  }
}

export async function findInstrument(db: Db, uid: string): Promise<InstrumentRow | undefined> {
  const [row] = await db.select().from(instruments).where(eq(instruments.uid, uid)).limit(1);
  return row;
}

export async function findInstruments(db: Db, uids: readonly string[]): Promise<InstrumentRow[]> {
  if (uids.length === 0) return [];
  return db
    .select()
    .from(instruments)
    .where(inArray(instruments.uid, [...uids]));
}

/** LIKE pattern matching `text` literally anywhere: %, _ and \ lose their special meaning. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function searchInstruments(
  db: Db,
  query: string,
  kind: string | undefined,
  limit: number,
): Promise<(InstrumentRow & { lastPrice: string | null; lastPriceTime: Date | null })[]> {
  const pattern = containsPattern(query);
  const exact = query.toUpperCase();
  const rows = await db
    .select({ i: instruments, lastPrice: lastPrices.price, lastPriceTime: lastPrices.priceTime })
    .from(instruments)
    .leftJoin(lastPrices, eq(lastPrices.instrumentUid, instruments.uid))
    .where(
      and(
        sql`(${instruments.ticker} ilike ${pattern} escape '\\' or ${instruments.name} ilike ${pattern} escape '\\'
          or ${instruments.isin} ilike ${pattern} escape '\\' or ${instruments.figi} = ${exact} or ${instruments.uid} = ${query})`,
        kind === undefined ? undefined : eq(instruments.kind, kind),
      ),
    )
    .orderBy(
      sql`upper(${instruments.ticker}) = ${exact} desc`,
      sql`upper(${instruments.ticker}) like ${`${exact.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\' desc`,
      sql`${instruments.tradable} desc`,
      instruments.ticker,
    )
    .limit(limit);
  return rows.map((r) => ({ ...r.i, lastPrice: r.lastPrice, lastPriceTime: r.lastPriceTime }));
}

export async function catalogueAge(db: Db): Promise<{ count: number; newest: Date | null }> {
  const [row] = await rowsOf<{ count: string; newest: Date | string | null }>(
    db.execute(sql`select count(*) as count, max(updated_at) as newest from instruments`),
  );
  const newest = row?.newest ?? null;
  return { count: Number(row?.count ?? 0), newest: newest === null ? null : new Date(newest) };
}

/** The instrument that prices each currency in RUB, preferring the liquid "tomorrow" contract. */
export async function findCurrencyInstruments(
  db: Db,
  isos: readonly string[],
): Promise<Map<string, InstrumentRow>> {
  if (isos.length === 0) return new Map();
  const rows = await db
    .select()
    .from(instruments)
    .where(and(eq(instruments.kind, 'currency'), inArray(instruments.nominalCurrency, [...isos])))
    .orderBy(
      sql`${instruments.tradable} desc`,
      sql`(${instruments.ticker} like '%TOM%') desc`,
      sql`length(${instruments.ticker})`,
      instruments.ticker,
    );
  const best = new Map<string, InstrumentRow>();
  for (const row of rows)
    if (row.nominalCurrency !== null && !best.has(row.nominalCurrency)) best.set(row.nominalCurrency, row);
  return best;
}

export async function findLastPrices(db: Db, uids: readonly string[]): Promise<Map<string, LastPriceRow>> {
  if (uids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(lastPrices)
    .where(inArray(lastPrices.instrumentUid, [...uids]));
  return new Map(rows.map((r) => [r.instrumentUid, r]));
}

/**
 * Stores fresh prices. When a price is from a later exchange day than the stored one, the stored
 * one becomes the previous close (the day change is measured against it).
 */
export async function upsertLastPrices(
  db: Db,
  prices: readonly { instrumentUid: string; price: string; time: Date }[],
  fetchedAt: Date,
): Promise<LastPriceRow[]> {
  if (prices.length === 0) return [];
  const day = (col: unknown) => sql`(${col} at time zone 'Europe/Moscow')::date`;
  return db
    .insert(lastPrices)
    .values(
      prices.map((p) => ({ instrumentUid: p.instrumentUid, price: p.price, priceTime: p.time, fetchedAt })),
    )
    .onConflictDoUpdate({
      target: lastPrices.instrumentUid,
      set: {
        prevClose: sql`case when ${day(lastPrices.priceTime)} < ${day(sql`excluded.price_time`)}
          then ${lastPrices.price} else ${lastPrices.prevClose} end`,
        prevCloseDate: sql`case when ${day(lastPrices.priceTime)} < ${day(sql`excluded.price_time`)}
          then ${day(lastPrices.priceTime)} else ${lastPrices.prevCloseDate} end`,
        price: sql`excluded.price`,
        priceTime: sql`excluded.price_time`,
        fetchedAt: sql`excluded.fetched_at`,
      },
    })
    .returning();
}

export async function setPrevClose(db: Db, uid: string, close: string, day: string): Promise<void> {
  await db
    .update(lastPrices)
    .set({ prevClose: close, prevCloseDate: day })
    .where(eq(lastPrices.instrumentUid, uid));
}

export async function setAccruedInterest(
  db: Db,
  uid: string,
  aci: string | null,
  day: string,
): Promise<void> {
  await db.update(instruments).set({ aciValue: aci, aciDate: day }).where(eq(instruments.uid, uid));
}
