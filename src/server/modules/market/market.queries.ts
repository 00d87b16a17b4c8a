import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { rowsOf } from '../../platform/db.js';
import { instruments, lastPrices } from '../../db/schema.js';
import { moexUid, parseMoexUid } from './moex/iss-provider.js';

export type InstrumentRow = typeof instruments.$inferSelect;
export type InstrumentValues = typeof instruments.$inferInsert;
export type LastPriceRow = typeof lastPrices.$inferSelect;

const UPSERT_BATCH = 500;

/**
 * Rows already describing the same instruments, matched as one instrument across providers: the
 * same uid or T-Invest uid, else the same ticker and class code (board), else the same ISIN when
 * exactly one row of that kind has it.
 */
async function sameInstruments(
  db: Db,
  rows: readonly InstrumentValues[],
): Promise<Map<InstrumentValues, string>> {
  const ids = rows.map((r) => r.uid);
  const tickers = [...new Set(rows.map((r) => r.ticker))];
  const isins = [...new Set(rows.map((r) => r.isin ?? '').filter((i) => i !== ''))];
  const found = await db
    .select({
      uid: instruments.uid,
      tinvestUid: instruments.tinvestUid,
      ticker: instruments.ticker,
      classCode: instruments.classCode,
      isin: instruments.isin,
      kind: instruments.kind,
    })
    .from(instruments)
    .where(
      or(
        inArray(instruments.uid, ids),
        inArray(instruments.tinvestUid, ids),
        inArray(instruments.ticker, tickers),
        isins.length === 0 ? undefined : inArray(instruments.isin, isins),
      ),
    );
  const byId = new Map<string, string>();
  const byPair = new Map<string, string>();
  const byIsin = new Map<string, string[]>();
  for (const f of found) {
    byId.set(f.uid, f.uid);
    if (f.tinvestUid !== null) byId.set(f.tinvestUid, f.uid);
    byPair.set(`${f.ticker}\u0000${f.classCode}`, f.uid);
    if (f.isin !== '')
      byIsin.set(`${f.isin}\u0000${f.kind}`, [...(byIsin.get(`${f.isin}\u0000${f.kind}`) ?? []), f.uid]);
  }
  const result = new Map<InstrumentValues, string>();
  for (const r of rows) {
    const sameIsin = r.isin ? byIsin.get(`${r.isin}\u0000${r.kind}`) : undefined;
    const uid =
      byId.get(r.uid) ??
      byPair.get(`${r.ticker}\u0000${r.classCode ?? ''}`) ??
      (sameIsin?.length === 1 ? sameIsin[0] : undefined);
    if (uid !== undefined) result.set(r, uid);
  }
  return result;
}

/**
 * Inserts or updates catalogue rows from a provider. A row for an instrument already known (from
 * either provider) updates that row, so positions keep their instrument when the provider changes;
 * what one provider leaves empty (FIGI, the T-Invest uid) keeps the other's value.
 */
export async function upsertInstruments(db: Db, rows: InstrumentValues[]): Promise<string[]> {
  const written: string[] = [];
  for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
    const batch = rows.slice(i, i + UPSERT_BATCH);
    const known = await sameInstruments(db, batch);
    const merged = new Map<string, InstrumentValues>();
    for (const r of batch) {
      const uid = known.get(r) ?? r.uid;
      merged.set(uid, { ...r, uid });
      written.push(uid);
    }
    await db
      .insert(instruments)
      .values([...merged.values()])
      .onConflictDoUpdate({
        target: instruments.uid,
        set: {
          figi: sql`coalesce(nullif(excluded.figi, ''), ${instruments.figi})`,
          ticker: sql`excluded.ticker`,
          classCode: sql`excluded.class_code`,
          isin: sql`coalesce(nullif(excluded.isin, ''), ${instruments.isin})`,
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
          tinvestUid: sql`coalesce(excluded.tinvest_uid, ${instruments.tinvestUid})`,
          updatedAt: sql`now()`,
        },
      });
  }
  return written;
}

/** Rows whose app uid, T-Invest uid or MOEX id (`moex:BOARD:TICKER`: board and ticker) is one of `ids`. */
function anyIdIn(ids: readonly string[]) {
  const pairs = ids.map(parseMoexUid).filter((p) => p !== null);
  return or(
    inArray(instruments.uid, [...ids]),
    inArray(instruments.tinvestUid, [...ids]),
    ...pairs.map((p) => and(eq(instruments.ticker, p.secid), eq(instruments.classCode, p.board))),
  );
}

/** The instrument by the app's uid, its T-Invest uid or its MOEX id. */
export async function findInstrument(db: Db, id: string): Promise<InstrumentRow | undefined> {
  return (await findInstrumentsByAnyId(db, [id])).get(id);
}

export async function findInstruments(db: Db, uids: readonly string[]): Promise<InstrumentRow[]> {
  if (uids.length === 0) return [];
  return db
    .select()
    .from(instruments)
    .where(inArray(instruments.uid, [...uids]));
}

/** Instruments by the app's uid, their T-Invest uid or their MOEX id, keyed by the id asked for. */
export async function findInstrumentsByAnyId(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, InstrumentRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(instruments).where(anyIdIn(ids));
  const result = new Map<string, InstrumentRow>();
  for (const r of rows) {
    if (r.classCode !== '') result.set(moexUid(r.classCode, r.ticker), r);
    if (r.tinvestUid !== null) result.set(r.tinvestUid, r);
    result.set(r.uid, r);
  }
  return new Map(ids.filter((id) => result.has(id)).map((id) => [id, result.get(id)!]));
}

/** Boards whose listing is the one meant when a file names a ticker or an ISIN alone. */
const MAIN_BOARDS = ['TQBR', 'TQTF', 'TQOB', 'TQCB', 'TQIR', 'CETS'];

/**
 * Catalogue rows by ticker or ISIN (as a statement names them, any case), keyed by the symbol
 * asked for in upper case. Of several listings the tradable one on a main board wins.
 */
export async function findInstrumentsBySymbol(
  db: Db,
  symbols: readonly string[],
): Promise<Map<string, InstrumentRow>> {
  const wanted = [...new Set(symbols.map((x) => x.toUpperCase()))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select()
    .from(instruments)
    .where(or(inArray(sql`upper(${instruments.ticker})`, wanted), inArray(instruments.isin, wanted)));
  const rank = (r: InstrumentRow) => {
    const board = MAIN_BOARDS.indexOf(r.classCode);
    return (r.tradable ? 0 : 100) + (board === -1 ? MAIN_BOARDS.length : board);
  };
  rows.sort((a, b) => rank(a) - rank(b) || a.uid.localeCompare(b.uid));
  const result = new Map<string, InstrumentRow>();
  for (const r of rows) {
    for (const key of [r.ticker.toUpperCase(), r.isin]) if (!result.has(key)) result.set(key, r);
  }
  return new Map(wanted.filter((w) => result.has(w)).map((w) => [w, result.get(w)!]));
}

export async function setTinvestUid(db: Db, uid: string, tinvestUid: string): Promise<void> {
  await db.update(instruments).set({ tinvestUid }).where(eq(instruments.uid, uid));
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
  source: 'tinvest' | 'moex',
): Promise<LastPriceRow[]> {
  if (prices.length === 0) return [];
  const day = (col: unknown) => sql`(${col} at time zone 'Europe/Moscow')::date`;
  return db
    .insert(lastPrices)
    .values(
      prices.map((p) => ({
        instrumentUid: p.instrumentUid,
        price: p.price,
        priceTime: p.time,
        fetchedAt,
        source,
      })),
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
        source: sql`excluded.source`,
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
