import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import type { FastifyBaseLogger } from 'fastify';

import { addDays, dayInZone } from '../../../common/dates.js';
import type { Config } from '../../config.js';
import type { Cache } from '../../platform/cache.js';
import { decryptSecret } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, validationFailed } from '../../platform/errors.js';
import {
  MarketDataError,
  type Amortization,
  type BrokerAccount,
  type CandleInterval,
  type Coupon,
  type Dividend,
  type Instrument,
  type ListableInstrumentKind,
  type MarketDataProvider,
  type Operation,
  type Portfolio,
} from './provider.js';
import * as q from './market.queries.js';
import { MOEX_UID_PREFIX, moexUid } from './moex/iss-provider.js';
import type { CandlesQuery, CandlesResponse, InstrumentDto, MarketStatus } from './market.schemas.js';

export interface MarketServiceDeps {
  db: Db;
  cache: Cache;
  config: Config;
  /** T-Invest: market data with a server or user token, and everything about broker accounts. */
  market: MarketDataProvider | undefined;
  /** MOEX ISS: market data for whoever has no T-Invest token. */
  moex: MarketDataProvider | undefined;
  now: () => Date;
  logger: FastifyBaseLogger;
}

/** Where market data comes from: T-Invest with the server's or the user's token, or MOEX ISS. */
export interface MarketAccess {
  configured: boolean;
  source: 'server' | 'user' | 'moex' | 'none';
  /** Passed to the provider; undefined means the provider's own (server) token. */
  token: string | undefined;
  provider: MarketDataProvider | undefined;
}

/** The provider a price came from, as stored with it. */
export type PriceSource = 'tinvest' | 'moex';

type Identity = Pick<q.InstrumentRow, 'uid' | 'ticker' | 'classCode' | 'tinvestUid'>;

export interface UserMarketContext {
  userId: string;
  baseCurrency: string;
  timeZone: string;
  /** The user's own T-Invest token, decrypted; only ever sent to T-Invest. */
  userToken: string | undefined;
  access: MarketAccess;
}

export interface Quote {
  price: string;
  time: Date;
  prevClose: string | null;
  /** Fetched within the cache lifetime (or just now). */
  fresh: boolean;
  /** When it was fetched from the provider (as far as known). */
  fetchedAt: Date;
  source: PriceSource;
}

export interface QuoteSet {
  prices: Map<string, Quote>;
  stale: boolean;
  error: { code: string; message: string } | null;
}

/** Quotes are reused for this long (shared through the app cache, Redis when configured). */
export const QUOTE_TTL_SECONDS = 60;
/** A page waits at most this long for the provider; the call finishes in the background. */
const QUOTE_WAIT_MS = 4_000;
const SEARCH_WAIT_MS = 3_000;
const CATALOGUE_MAX_AGE_MS = 24 * 3_600_000;
const CATALOGUE_CHECK_EVERY_MS = 3_600_000;
const CALENDAR_TTL_SECONDS = 12 * 3600;
const CANDLES_TTL_SECONDS = 60;
const CURRENCY_MEMO_MS = 5 * 60_000;
/** Moscow: the exchange's day decides "today" for НКД and previous closes. */
const EXCHANGE_TZ = 'Europe/Moscow';

const KINDS: readonly ListableInstrumentKind[] = ['share', 'bond', 'etf', 'currency'];

/** How far back a chart range looks and with which candles. */
const RANGES: Record<NonNullable<CandlesQuery['range']>, { days: number; interval: CandleInterval }> = {
  // Four days so that on a weekend the last trading day is still inside; trimmed to that day below.
  day: { days: 4, interval: '5min' },
  week: { days: 7, interval: '1hour' },
  month: { days: 31, interval: '4hour' },
  year: { days: 365, interval: 'day' },
};

/** Longest span per interval we ask for in one request of ours (the provider splits it further). */
const MAX_SPAN_DAYS: Record<NonNullable<CandlesQuery['interval']>, number> = {
  '1min': 7,
  '5min': 31,
  '15min': 62,
  '1hour': 366,
  '4hour': 366,
  day: 3660,
  week: 7320,
  month: 18300,
};

const NOT_CONFIGURED_MESSAGE =
  'No market data source is configured: prices are entered by hand. Set TINKOFF_API_TOKEN on the server, add your T-Invest token in the settings, or let the server reach MOEX ISS.';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
const TIMED_OUT = Symbol('timed out');

/** Column text such as "1000.000000000" in its shortest exact form. */
const plainDecimal = (value: string | null) => (value === null ? null : dec(value).toFixed());

const dateOnly = (d: Date | null): string | null => (d === null ? null : d.toISOString().slice(0, 10));

/**
 * Upstream failures as our errors. `scope` says whose token was used: a rejected user token is the
 * user's to fix (409), a rejected server token is an outage of ours (502).
 */
export function upstreamError(err: unknown, scope: 'market' | 'account'): AppError {
  if (!(err instanceof MarketDataError)) throw err;
  switch (err.code) {
    case 'TOKEN_MISSING':
      return scope === 'account'
        ? new AppError(409, 'TINVEST_TOKEN_MISSING', 'Add your T-Invest token in the settings first')
        : new AppError(503, 'MARKET_DATA_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
    case 'TOKEN_INVALID':
      return scope === 'account'
        ? new AppError(
            409,
            'TINVEST_TOKEN_INVALID',
            'T-Invest rejected your token: issue a new one in T-Bank Invest',
          )
        : new AppError(502, 'MARKET_DATA_TOKEN_INVALID', 'T-Invest rejected the market data token');
    case 'NO_PERMISSION':
      return scope === 'account'
        ? new AppError(409, 'TINVEST_NO_PERMISSION', 'Your T-Invest token has no access to this account')
        : new AppError(502, 'MARKET_DATA_NO_PERMISSION', 'The market data token lacks rights for this');
    case 'NOT_FOUND':
      return new AppError(
        404,
        'INSTRUMENT_NOT_FOUND',
        'The market data provider does not know this instrument',
      );
    case 'RATE_LIMITED':
      return new AppError(
        503,
        'MARKET_DATA_RATE_LIMITED',
        'The market data source asks to slow down; try again in a minute',
      );
    case 'UPSTREAM_UNAVAILABLE':
      return new AppError(
        503,
        'MARKET_DATA_UNAVAILABLE',
        'The market data source does not answer right now; try again later',
      );
    case 'INVALID_REQUEST':
      return new AppError(502, 'MARKET_DATA_REJECTED', 'The market data source refused the request');
    case 'UPSTREAM_BAD_RESPONSE':
      return new AppError(
        502,
        'MARKET_DATA_BAD_RESPONSE',
        'The market data source answered something unexpected',
      );
  }
}

function instrumentValues(i: Instrument, today: string): q.InstrumentValues {
  const bond = i.kind === 'bond';
  return {
    uid: i.uid,
    figi: i.figi,
    ticker: i.ticker,
    classCode: i.classCode,
    isin: i.isin,
    name: i.name || i.ticker,
    kind: i.kind,
    currency: i.currency.toUpperCase(),
    lot: i.lot,
    nominal: i.nominal?.amount ?? null,
    nominalCurrency: i.nominal?.currency ? i.nominal.currency.toUpperCase() : null,
    aciValue: bond ? (i.aciValue?.amount ?? '0') : null,
    aciDate: bond ? today : null,
    minPriceIncrement: i.minPriceIncrement,
    maturityDate: dateOnly(i.maturityDate),
    couponsPerYear: i.couponsPerYear,
    tradable: i.tradable,
    tinvestUid: i.uid.startsWith(MOEX_UID_PREFIX) ? null : i.uid,
  };
}

export function instrumentDto(
  row: q.InstrumentRow,
  lastPrice: { price: string; time: Date } | null = null,
): InstrumentDto {
  return {
    uid: row.uid,
    figi: row.figi,
    ticker: row.ticker,
    classCode: row.classCode,
    isin: row.isin,
    name: row.name,
    kind: row.kind,
    currency: row.currency || null,
    lot: row.lot,
    nominal: row.kind === 'bond' ? plainDecimal(row.nominal) : null,
    aci: row.kind === 'bond' ? plainDecimal(row.aciValue) : null,
    tradable: row.tradable,
    inCatalogue: true,
    lastPrice:
      lastPrice === null
        ? null
        : {
            price: dec(lastPrice.price).toFixed(),
            percentOfNominal: row.kind === 'bond',
            time: lastPrice.time.toISOString(),
          },
  };
}

/** How an instrument is addressed by the provider of `access`; null when that is not known yet. */
function providerUid(row: Identity, access: MarketAccess): string | null {
  if (access.source === 'moex') return row.classCode !== '' ? moexUid(row.classCode, row.ticker) : null;
  // Any row not described by MOEX first was described by T-Invest: its uid is T-Invest's.
  return row.tinvestUid ?? (row.uid.startsWith(MOEX_UID_PREFIX) ? null : row.uid);
}

/** How long a MOEX instrument T-Invest could not find is not looked up again. */
const LINK_RETRY_SECONDS = 24 * 3600;

const sourceOf = (access: MarketAccess): PriceSource => (access.source === 'moex' ? 'moex' : 'tinvest');

/** Candle intervals from finest to coarsest: a provider without one gets the next coarser it has. */
const INTERVAL_ORDER: readonly CandleInterval[] = [
  '5sec',
  '10sec',
  '30sec',
  '1min',
  '2min',
  '3min',
  '5min',
  '10min',
  '15min',
  '30min',
  '1hour',
  '2hour',
  '4hour',
  'day',
  'week',
  'month',
];

function supportedInterval(provider: MarketDataProvider, wanted: CandleInterval): CandleInterval {
  const has = provider.candleIntervals;
  if (has === undefined || has.includes(wanted)) return wanted;
  return INTERVAL_ORDER.slice(INTERVAL_ORDER.indexOf(wanted)).find((i) => has.includes(i)) ?? wanted;
}

export function createMarketService({ db, cache, config, market, moex, now, logger }: MarketServiceDeps) {
  const serverToken = config.tinvest.serverToken;
  const inFlightQuotes = new Map<string, Promise<FetchOutcome>>();
  /** Instruments the provider had no price for, until when (epoch ms): not asked again sooner. */
  const noPriceUntil = new Map<string, number>();
  /** Which instrument prices each currency changes only with the catalogue: kept a few minutes. */
  const currencyMemo = new Map<string, { until: number; value: Map<string, q.InstrumentRow> }>();
  let catalogueRefresh: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const today = () => dayInZone(now(), EXCHANGE_TZ);

  type FetchOutcome = { ok: true; rows: q.LastPriceRow[] } | { ok: false; error: AppError };

  /** T-Invest with a token (the server's first), else MOEX ISS, else prices by hand. */
  function accessFor(userToken: string | undefined): MarketAccess {
    if (market !== undefined && serverToken !== undefined)
      return { configured: true, source: 'server', token: undefined, provider: market };
    if (market !== undefined && userToken !== undefined)
      return { configured: true, source: 'user', token: userToken, provider: market };
    if (moex !== undefined) return { configured: true, source: 'moex', token: undefined, provider: moex };
    return { configured: false, source: 'none', token: undefined, provider: undefined };
  }

  function requireProvider(access: MarketAccess): MarketDataProvider {
    if (access.provider === undefined || !access.configured) {
      throw new AppError(503, 'MARKET_DATA_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
    }
    return access.provider;
  }

  /**
   * Provider ids of catalogue rows. An instrument first described by MOEX ISS gets its T-Invest uid
   * the first time T-Invest is asked about it (FindInstrument by ticker, matched on class code).
   */
  async function providerUids(rows: readonly Identity[], access: MarketAccess): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    const provider = requireProvider(access);
    for (const row of rows) {
      let id = providerUid(row, access);
      if (
        id === null &&
        access.source !== 'moex' &&
        (await cache.get(`tinvest-link:${row.uid}`)) === undefined
      ) {
        try {
          const found = await provider.findInstruments(row.ticker, access.token);
          id = found.find((f) => f.ticker === row.ticker && f.classCode === row.classCode)?.uid ?? null;
          if (id !== null) await q.setTinvestUid(db, row.uid, id);
          else await cache.set(`tinvest-link:${row.uid}`, 'none', LINK_RETRY_SECONDS);
        } catch (err) {
          logger.warn(
            { uid: row.uid, err: err instanceof Error ? err.message : String(err) },
            'instrument lookup by ticker failed',
          );
        }
      }
      if (id !== null) result.set(row.uid, id);
    }
    return result;
  }

  /** Fetches prices, stores them (cache and database) and reports instead of throwing. */
  function fetchQuotes(uids: string[], access: MarketAccess): Promise<FetchOutcome> {
    const key = `${access.source}:${[...uids].sort().join(',')}`;
    const running = inFlightQuotes.get(key);
    if (running !== undefined) return running;
    const job = (async (): Promise<FetchOutcome> => {
      try {
        const provider = requireProvider(access);
        const ids = await providerUids(await q.findInstruments(db, uids), access);
        const ours = new Map([...ids].map(([uid, id]) => [id, uid]));
        const prices = (await provider.getLastPrices([...ids.values()], access.token)).flatMap((p) => {
          const uid = ours.get(p.instrumentUid);
          return uid === undefined ? [] : [{ ...p, instrumentUid: uid }];
        });
        const fetchedAt = now();
        const source = sourceOf(access);
        const rows = await q.upsertLastPrices(db, prices, fetchedAt, source);
        const priced = new Set(prices.map((p) => p.instrumentUid));
        await Promise.all([
          ...prices.map((p) =>
            cache.set(
              `quote:${p.instrumentUid}`,
              JSON.stringify({ p: p.price, t: p.time.toISOString(), f: fetchedAt.toISOString(), s: source }),
              QUOTE_TTL_SECONDS,
            ),
          ),
          // No price (never traded): remember that too, so it is not asked for on every page view.
          ...uids.filter((u) => !priced.has(u)).map((u) => cache.set(`quote:${u}`, '{}', QUOTE_TTL_SECONDS)),
        ]);
        const until = now().getTime() + QUOTE_TTL_SECONDS * 1000;
        if (noPriceUntil.size > 50_000) noPriceUntil.clear();
        for (const uid of uids) if (!priced.has(uid)) noPriceUntil.set(uid, until);
        return { ok: true, rows };
      } catch (err) {
        const error = upstreamError(err, 'market');
        logger.warn(
          { code: error.code, err: err instanceof Error ? err.message : String(err) },
          'quote refresh failed',
        );
        return { ok: false, error };
      } finally {
        inFlightQuotes.delete(key);
      }
    })();
    inFlightQuotes.set(key, job);
    return job;
  }

  async function refreshCatalogueNow(access: MarketAccess): Promise<number> {
    const provider = requireProvider(access);
    const day = today();
    let total = 0;
    for (const kind of KINDS) {
      const list = await provider.listInstruments(kind, access.token);
      await q.upsertInstruments(
        db,
        list.map((i) => instrumentValues(i, day)),
      );
      total += list.length;
    }
    currencyMemo.clear();
    logger.info({ instruments: total }, 'instrument catalogue refreshed');
    return total;
  }

  const service = {
    /** The user's base currency, time zone, own token and the market access that follows. */
    async context(userId: string): Promise<UserMarketContext> {
      const settings = await q.findUserMarketSettings(db, userId);
      if (!settings) throw new AppError(404, 'USER_NOT_FOUND', 'User not found');
      let userToken: string | undefined;
      if (settings.tinvestTokenEnc !== null) {
        try {
          userToken = decryptSecret(config.encryptionKeys, settings.tinvestTokenEnc);
        } catch (err) {
          // A key removed from the ring: the token is unreadable; the user has to enter it again.
          logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'stored T-Invest token unreadable',
          );
        }
      }
      return {
        userId,
        baseCurrency: settings.baseCurrency,
        timeZone: settings.timeZone,
        userToken,
        access: accessFor(userToken),
      };
    },

    status(
      access: MarketAccess,
      quotes?: Pick<QuoteSet, 'stale' | 'error'>,
      asOf: Date | null = null,
    ): MarketStatus {
      const stale = quotes?.stale ?? false;
      const error = quotes?.error ?? null;
      let message =
        access.source === 'moex' ? 'Prices from MOEX ISS, delayed by 15 minutes.' : 'Prices are current.';
      if (!access.configured) message = NOT_CONFIGURED_MESSAGE;
      else if (stale)
        message = `Prices could not be refreshed (${error?.message ?? 'the provider did not answer'}); the last known prices are shown with their time.`;
      return {
        configured: access.configured,
        source: access.source,
        stale,
        asOf: asOf === null ? null : asOf.toISOString(),
        error,
        message,
      };
    },

    /**
     * Last prices for instruments, in one batched provider request for those not fetched within the
     * last minute. Provider trouble never fails the call: the last known prices come back, flagged.
     */
    async quotes(
      uids: readonly string[],
      access: MarketAccess,
      options: { force?: boolean } = {},
    ): Promise<QuoteSet> {
      const unique = [...new Set(uids)];
      const stored = await q.findLastPrices(db, unique);
      const prices = new Map<string, Quote>();
      for (const [uid, row] of stored) {
        prices.set(uid, {
          price: row.price,
          time: row.priceTime,
          prevClose: row.prevClose,
          fresh: false,
          fetchedAt: row.fetchedAt,
          source: row.source === 'moex' ? 'moex' : 'tinvest',
        });
      }
      if (access.provider === undefined || !access.configured || unique.length === 0) {
        return { prices, stale: false, error: null };
      }

      let toFetch = unique;
      if (options.force !== true) {
        // Fresh enough: fetched within the minute by any instance (the stored time says so), or
        // known to have no price; only the rest is looked up in the shared cache.
        const freshSince = now().getTime() - QUOTE_TTL_SECONDS * 1000;
        // A price from the other provider is not reused: T-Invest's is live, MOEX ISS's 15 minutes late.
        const source = sourceOf(access);
        const unknown: string[] = [];
        for (const uid of unique) {
          const row = stored.get(uid);
          const known = prices.get(uid);
          if (
            row !== undefined &&
            known !== undefined &&
            row.source === source &&
            row.fetchedAt.getTime() >= freshSince
          )
            known.fresh = true;
          else if ((noPriceUntil.get(uid) ?? 0) > now().getTime()) {
            if (known) known.fresh = true;
          } else unknown.push(uid);
        }
        const cached = await Promise.all(unknown.map((uid) => cache.get(`quote:${uid}`)));
        toFetch = [];
        unknown.forEach((uid, i) => {
          const hit = cached[i];
          if (hit === undefined) {
            toFetch.push(uid);
            return;
          }
          const parsed = JSON.parse(hit) as { p?: string; t?: string; f?: string; s?: PriceSource };
          if (parsed.p !== undefined && parsed.t !== undefined) {
            if ((parsed.s ?? 'tinvest') !== source) {
              toFetch.push(uid);
              return;
            }
            const prevClose = stored.get(uid)?.prevClose ?? null;
            const fetchedAt = parsed.f === undefined ? now() : new Date(parsed.f);
            prices.set(uid, {
              price: parsed.p,
              time: new Date(parsed.t),
              prevClose,
              fresh: true,
              fetchedAt,
              source,
            });
          } else {
            const known = prices.get(uid);
            if (known) known.fresh = true;
          }
        });
      }
      if (toFetch.length === 0) return { prices, stale: false, error: null };

      const outcome = await withTimeout(fetchQuotes(toFetch, access), QUOTE_WAIT_MS);
      if (outcome === TIMED_OUT || !outcome.ok) {
        const error =
          outcome === TIMED_OUT
            ? { code: 'MARKET_DATA_UNAVAILABLE', message: 'The market data source did not answer in time' }
            : { code: outcome.error.code, message: outcome.error.message };
        return { prices, stale: true, error };
      }
      for (const row of outcome.rows) {
        prices.set(row.instrumentUid, {
          price: row.price,
          time: row.priceTime,
          prevClose: row.prevClose,
          fresh: true,
          fetchedAt: row.fetchedAt,
          source: row.source === 'moex' ? 'moex' : 'tinvest',
        });
      }
      for (const uid of toFetch) {
        const known = prices.get(uid);
        if (known) known.fresh = true;
      }
      return { prices, stale: false, error: null };
    },

    /** Catalogue row of an instrument; one the catalogue lacks is fetched from the provider and stored. */
    async ensureInstrument(uid: string, access: MarketAccess): Promise<q.InstrumentRow> {
      const known = await q.findInstrument(db, uid);
      if (known) return known;
      // A MOEX id (from a search made without a token) is described by the exchange itself.
      const provider = uid.startsWith(MOEX_UID_PREFIX) && moex !== undefined ? moex : access.provider;
      if (provider === undefined || !access.configured) {
        throw new AppError(404, 'INSTRUMENT_NOT_FOUND', 'Instrument not found in the catalogue');
      }
      let instrument: Instrument;
      try {
        instrument = await provider.getInstrument(uid, provider === moex ? undefined : access.token);
      } catch (err) {
        throw upstreamError(err, 'market');
      }
      const [stored] = await q.upsertInstruments(db, [instrumentValues(instrument, today())]);
      const row = stored === undefined ? undefined : await q.findInstrument(db, stored);
      if (!row) throw new AppError(404, 'INSTRUMENT_NOT_FOUND', 'Instrument not found');
      return row;
    },

    /** Catalogue rows by the app's uid or a T-Invest uid, keyed by the id asked for. */
    async instrumentsByUid(ids: readonly string[]): Promise<Map<string, q.InstrumentRow>> {
      return q.findInstrumentsByAnyId(db, ids);
    },

    async currencyInstruments(isos: readonly string[]): Promise<Map<string, q.InstrumentRow>> {
      const key = [...isos].sort().join(',');
      const memo = currencyMemo.get(key);
      if (memo !== undefined && memo.until > now().getTime()) return memo.value;
      const value = await q.findCurrencyInstruments(db, isos);
      if (currencyMemo.size > 100) currencyMemo.clear();
      currencyMemo.set(key, { until: now().getTime() + CURRENCY_MEMO_MS, value });
      return value;
    },

    /** Search the catalogue; when it has few matches, ask the provider's FindInstrument too. */
    async search(
      ctx: UserMarketContext,
      query: string,
      kind: string | undefined,
      limit: number,
    ): Promise<{ marketData: MarketStatus; items: InstrumentDto[] }> {
      const text = query.trim();
      const rows = await q.searchInstruments(db, text, kind, limit);
      const items = rows.map((r) =>
        instrumentDto(
          r,
          r.lastPrice !== null && r.lastPriceTime !== null
            ? { price: r.lastPrice, time: r.lastPriceTime }
            : null,
        ),
      );
      let status = service.status(ctx.access);
      const provider = ctx.access.provider;
      if (provider !== undefined && ctx.access.configured && items.length < limit && text.length >= 2) {
        try {
          const found = await withTimeout(provider.findInstruments(text, ctx.access.token), SEARCH_WAIT_MS);
          if (found === TIMED_OUT)
            throw new MarketDataError('UPSTREAM_UNAVAILABLE', 'instrument search timed out');
          // One instrument across providers: the same ticker on the same board is listed once.
          const seen = new Set(items.flatMap((i) => [i.uid, `${i.ticker}\u0000${i.classCode}`]));
          for (const f of found) {
            if (items.length >= limit) break;
            const pair = `${f.ticker}\u0000${f.classCode}`;
            if (seen.has(f.uid) || seen.has(pair) || (kind !== undefined && f.kind !== kind)) continue;
            seen.add(f.uid);
            seen.add(pair);
            items.push({
              uid: f.uid,
              figi: f.figi,
              ticker: f.ticker,
              classCode: f.classCode,
              isin: f.isin,
              name: f.name,
              kind: f.kind,
              currency: null,
              lot: f.lot,
              nominal: null,
              aci: null,
              tradable: f.tradable,
              inCatalogue: false,
              lastPrice: null,
            });
          }
        } catch (err) {
          const error = upstreamError(err, 'market');
          status = service.status(ctx.access, {
            stale: true,
            error: { code: error.code, message: error.message },
          });
        }
      }
      return { marketData: status, items };
    },

    /** Refreshes the catalogue now (joins a refresh already running in this process). */
    async refreshCatalogue(access: MarketAccess): Promise<{ instruments: number; refreshedAt: string }> {
      requireProvider(access);
      catalogueRefresh ??= refreshCatalogueNow(access).finally(() => {
        catalogueRefresh = undefined;
      });
      try {
        await catalogueRefresh;
      } catch (err) {
        throw upstreamError(err, 'market');
      }
      const age = await q.catalogueAge(db);
      return { instruments: age.count, refreshedAt: (age.newest ?? now()).toISOString() };
    },

    /** Starts the daily background refresh; start-up never waits for it. */
    start(): void {
      // The server's own source: its T-Invest token, else MOEX ISS (a user's token is not used here).
      const access = accessFor(undefined);
      if (!access.configured) return;
      const check = async () => {
        const age = await q.catalogueAge(db);
        if (
          age.count > 0 &&
          age.newest !== null &&
          now().getTime() - age.newest.getTime() < CATALOGUE_MAX_AGE_MS
        )
          return;
        // One instance refreshes at a time across the deployment.
        const lock = await cache.hit('market:catalogue-refresh', 15 * 60_000);
        if (lock.count > 1) return;
        await service.refreshCatalogue(access);
      };
      const run = () => {
        check().catch((err: unknown) =>
          logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'background catalogue refresh failed',
          ),
        );
      };
      setImmediate(run);
      timer = setInterval(run, CATALOGUE_CHECK_EVERY_MS);
      timer.unref();
    },

    stop(): void {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },

    /**
     * Keeps held bonds' НКД current: the catalogue copy is from the day of its refresh. Runs in the
     * background; until it finishes the previous value is used.
     */
    async refreshAccruedInterest(
      bonds: readonly (Identity & Pick<q.InstrumentRow, 'kind' | 'aciDate'>)[],
      access: MarketAccess,
    ): Promise<void> {
      if (access.provider === undefined || !access.configured) return;
      const day = today();
      const due = bonds.filter((b) => b.kind === 'bond' && b.aciDate !== day).slice(0, 50);
      const ids = await providerUids(due, access);
      for (const bond of due) {
        const id = ids.get(bond.uid);
        if (id === undefined) continue;
        try {
          const fresh = await access.provider.getInstrument(id, access.token);
          await q.setAccruedInterest(db, bond.uid, fresh.aciValue?.amount ?? '0', day);
        } catch (err) {
          logger.warn(
            { uid: bond.uid, err: err instanceof Error ? err.message : String(err) },
            'НКД refresh failed',
          );
          return;
        }
      }
    },

    /** Fills previous-day closes from daily candles where the stored one is missing or old. */
    async refreshPrevCloses(uids: readonly string[], access: MarketAccess): Promise<void> {
      if (access.provider === undefined || !access.configured) return;
      const stored = await q.findLastPrices(db, uids);
      const day = today();
      const stale = [...stored.values()].filter(
        (r) => r.prevCloseDate === null || r.prevCloseDate < addDays(day, -4),
      );
      const ids = await providerUids(
        await q.findInstruments(
          db,
          stale.slice(0, 30).map((r) => r.instrumentUid),
        ),
        access,
      );
      for (const row of stale.slice(0, 30)) {
        const id = ids.get(row.instrumentUid);
        if (id === undefined) continue;
        try {
          const candles = await access.provider.getCandles(
            id,
            new Date(`${addDays(day, -10)}T00:00:00Z`),
            new Date(`${day}T00:00:00+03:00`),
            'day',
            access.token,
          );
          const last = candles.at(-1);
          if (last)
            await q.setPrevClose(db, row.instrumentUid, last.close, dayInZone(last.time, EXCHANGE_TZ));
        } catch (err) {
          logger.warn(
            { uid: row.instrumentUid, err: err instanceof Error ? err.message : String(err) },
            'previous close refresh failed',
          );
          return;
        }
      }
    },

    async candles(ctx: UserMarketContext, query: CandlesQuery): Promise<CandlesResponse> {
      const provider = requireProvider(ctx.access);
      const instrument = await service.ensureInstrument(query.instrumentId, ctx.access);
      // Minute precision: repeated chart requests share one cache entry.
      const end = new Date(Math.floor((query.to ? Date.parse(query.to) : now().getTime()) / 60_000) * 60_000);
      let interval: CandleInterval;
      let start: Date;
      if (query.range !== undefined) {
        const range = RANGES[query.range];
        interval = range.interval;
        start = new Date(end.getTime() - range.days * 86_400_000);
      } else {
        if (query.interval === undefined) throw validationFailed('interval', 'is required without range');
        if (query.from === undefined) throw validationFailed('from', 'is required without range');
        interval = query.interval;
        start = new Date(query.from);
        if (start >= end) throw validationFailed('from', 'must be before to');
        const maxDays = MAX_SPAN_DAYS[query.interval];
        if (end.getTime() - start.getTime() > maxDays * 86_400_000) {
          throw validationFailed(
            'from',
            `${query.interval} candles cover at most ${maxDays} days per request`,
          );
        }
      }
      // MOEX ISS has no 5-minute or 4-hour candles: the next coarser ones it has are drawn instead.
      interval = supportedInterval(provider, interval);
      const key = `candles:${ctx.access.source === 'moex' ? 'moex' : 'tinvest'}:${instrument.uid}:${interval}:${start.getTime()}:${end.getTime()}:${query.range ?? ''}`;
      const hit = await cache.get(key);
      if (hit !== undefined) return JSON.parse(hit) as CandlesResponse;
      const id = (await providerUids([instrument], ctx.access)).get(instrument.uid);
      if (id === undefined)
        throw new AppError(
          404,
          'INSTRUMENT_NOT_FOUND',
          'The market data provider does not know this instrument',
        );
      let candles;
      try {
        candles = await provider.getCandles(id, start, end, interval, ctx.access.token);
      } catch (err) {
        throw upstreamError(err, 'market');
      }
      if (query.range === 'day' && candles.length > 0) {
        const lastDay = dayInZone(candles[candles.length - 1]!.time, EXCHANGE_TZ);
        candles = candles.filter((c) => dayInZone(c.time, EXCHANGE_TZ) === lastDay);
      }
      const result: CandlesResponse = {
        instrumentUid: instrument.uid,
        interval,
        from: start.toISOString(),
        to: end.toISOString(),
        percentOfNominal: instrument.kind === 'bond',
        candles: candles.map((c) => ({
          time: c.time.toISOString(),
          open: c.open,
          high: c.high,
          low: c.low,
          close: c.close,
          volume: c.volume,
        })),
      };
      await cache.set(key, JSON.stringify(result), CANDLES_TTL_SECONDS);
      return result;
    },

    /**
     * Base-currency units per unit of `currency` on each date, from daily closes of the currency
     * instruments (a cross through RUB when the base is not RUB). Unknown → null, never 1.
     */
    async historicRates(
      currency: string,
      base: string,
      dates: readonly string[],
      access: MarketAccess,
    ): Promise<Map<string, string | null>> {
      const result = new Map<string, string | null>(dates.map((d) => [d, currency === base ? '1' : null]));
      const provider = access.provider;
      if (currency === base || dates.length === 0 || provider === undefined || !access.configured)
        return result;
      const sorted = [...new Set(dates)].sort();
      const from = addDays(sorted[0]!, -10);
      const to = addDays(sorted[sorted.length - 1]!, 1);
      const isos = [currency, base].filter((c) => c !== 'RUB');
      const fx = await q.findCurrencyInstruments(db, isos);
      const series = new Map<string, { day: string; rate: Decimal }[]>();
      for (const iso of isos) {
        const instrument = fx.get(iso);
        if (instrument === undefined) return result;
        const nominal = dec(instrument.nominal ?? '1');
        try {
          const id = (await providerUids([instrument], access)).get(instrument.uid);
          if (id === undefined) return result;
          const candles = await provider.getCandles(
            id,
            new Date(`${from}T00:00:00Z`),
            new Date(`${to}T00:00:00Z`),
            'day',
            access.token,
          );
          series.set(
            iso,
            candles.map((c) => ({
              day: dayInZone(c.time, EXCHANGE_TZ),
              rate: dec(c.close).div(nominal),
            })),
          );
        } catch (err) {
          logger.warn(
            { iso, err: err instanceof Error ? err.message : String(err) },
            'historic rate lookup failed',
          );
          return result;
        }
      }
      const rubOn = (iso: string, date: string): Decimal | null => {
        if (iso === 'RUB') return dec(1);
        let found: Decimal | null = null;
        for (const point of series.get(iso) ?? []) {
          if (point.day > date) break;
          found = point.rate;
        }
        return found;
      };
      for (const date of sorted) {
        const num = rubOn(currency, date);
        const den = rubOn(base, date);
        if (num !== null && den !== null && !den.eq(0))
          result.set(date, num.div(den).round(9, 'half-up').toFixed());
      }
      return result;
    },

    /** Coupon schedule of a bond, cached for half a day. */
    async coupons(instrument: Identity, access: MarketAccess): Promise<Coupon[]> {
      const key = `calendar:coupons:${sourceOf(access)}:${instrument.uid}`;
      const hit = await cache.get(key);
      if (hit !== undefined) return reviveDates(JSON.parse(hit) as Coupon[]);
      const provider = requireProvider(access);
      const id = (await providerUids([instrument], access)).get(instrument.uid);
      const coupons =
        id === undefined ? [] : await provider.getBondCoupons(id, undefined, undefined, access.token);
      await cache.set(key, JSON.stringify(coupons), CALENDAR_TTL_SECONDS);
      return coupons;
    },

    /** Amortisations of a bond where the provider publishes them, cached for half a day. */
    async amortizations(instrument: Identity, access: MarketAccess): Promise<Amortization[]> {
      const provider = requireProvider(access);
      if (provider.getBondAmortizations === undefined) return [];
      const key = `calendar:amortizations:${sourceOf(access)}:${instrument.uid}`;
      const hit = await cache.get(key);
      if (hit !== undefined) return reviveDates(JSON.parse(hit) as Amortization[]);
      const id = (await providerUids([instrument], access)).get(instrument.uid);
      const items = id === undefined ? [] : await provider.getBondAmortizations(id, access.token);
      await cache.set(key, JSON.stringify(items), CALENDAR_TTL_SECONDS);
      return items;
    },

    /** Dividends of a share or fund, cached for half a day. */
    async dividends(instrument: Identity, access: MarketAccess): Promise<Dividend[]> {
      const key = `calendar:dividends:${sourceOf(access)}:${instrument.uid}`;
      const hit = await cache.get(key);
      if (hit !== undefined) return reviveDates(JSON.parse(hit) as Dividend[]);
      const provider = requireProvider(access);
      const id = (await providerUids([instrument], access)).get(instrument.uid);
      const dividends =
        id === undefined ? [] : await provider.getDividends(id, undefined, undefined, access.token);
      await cache.set(key, JSON.stringify(dividends), CALENDAR_TTL_SECONDS);
      return dividends;
    },

    // Account-scoped calls: always the user's own token.
    async accounts(userToken: string): Promise<BrokerAccount[]> {
      if (market === undefined) throw new AppError(503, 'MARKET_DATA_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
      try {
        return await market.getAccounts(userToken);
      } catch (err) {
        throw upstreamError(err, 'account');
      }
    },

    async brokerOperations(userToken: string, accountId: string): Promise<Operation[]> {
      if (market === undefined) throw new AppError(503, 'MARKET_DATA_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
      try {
        return await market.getOperationsByCursor(userToken, accountId);
      } catch (err) {
        throw upstreamError(err, 'account');
      }
    },

    async brokerPortfolio(userToken: string, accountId: string): Promise<Portfolio> {
      if (market === undefined) throw new AppError(503, 'MARKET_DATA_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
      try {
        return await market.getPortfolio(userToken, accountId);
      } catch (err) {
        throw upstreamError(err, 'account');
      }
    },
  };
  return service;
}

/** JSON turned the Dates of cached provider objects into strings; turn them back. */
function reviveDates<T extends object>(items: T[]): T[] {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
  for (const item of items) {
    for (const [k, v] of Object.entries(item)) {
      if (typeof v === 'string' && iso.test(v)) (item as Record<string, unknown>)[k] = new Date(v);
    }
  }
  return items;
}

export type MarketService = ReturnType<typeof createMarketService>;
