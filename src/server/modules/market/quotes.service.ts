import type { FastifyBaseLogger } from 'fastify';
import { addDays, dayInZone } from '../../../common/dates.js';
import type { Cache } from '../../platform/cache.js';
import type { Db } from '../../platform/db.js';
import type { AppError } from '../../platform/errors.js';
import {
  requireProvider,
  sourceOf,
  type MarketAccess,
  type PriceSource,
  type QuoteState,
} from './market-access.service.js';
import * as q from './market.queries.js';
import type { ProviderIds } from './provider-ids.js';
import { EXCHANGE_TZ, TIMED_OUT, upstreamError, withTimeout } from './upstream.js';

export interface QuotesServiceDeps {
  db: Db;
  cache: Cache;
  providerUids: ProviderIds;
  now: () => Date;
  logger: FastifyBaseLogger;
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

export interface QuoteSet extends QuoteState {
  prices: Map<string, Quote>;
}

/** Quotes are reused for this long (shared through the app cache, Redis when configured). */
export const QUOTE_TTL_SECONDS = 60;
/** A page waits at most this long for the provider; the call finishes in the background. */
const QUOTE_WAIT_MS = 4_000;
/** Daily-candle requests for previous closes made at once. */
const PREV_CLOSE_PARALLEL = 5;
/** An instrument without a previous close (no candles, or the provider failed) is asked again after this. */
const NO_PREV_CLOSE_RETRY_MS = 10 * 60_000;

/** Last prices (batched, cached, stored) and previous closes. */
export function createQuotesService({ db, cache, providerUids, now, logger }: QuotesServiceDeps) {
  const inFlightQuotes = new Map<string, Promise<FetchOutcome>>();
  /** Instruments the provider had no price for, until when (epoch ms): not asked again sooner. */
  const noPriceUntil = new Map<string, number>();
  /** Instruments whose previous close could not be found, until when (epoch ms). */
  const noPrevCloseUntil = new Map<string, number>();
  const today = () => dayInZone(now(), EXCHANGE_TZ);

  type FetchOutcome = { ok: true; rows: q.LastPriceRow[] } | { ok: false; error: AppError };

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

  /** Previous closes from daily candles (the last one before today's session), stored; those found. */
  async function prevClosesFromCandles(uids: readonly string[], access: MarketAccess) {
    const found = new Map<string, string>();
    if (access.provider === undefined || uids.length === 0) return found;
    const provider = access.provider;
    const day = today();
    const ids = await providerUids(await q.findInstruments(db, uids), access);
    for (let i = 0; i < uids.length; i += PREV_CLOSE_PARALLEL) {
      await Promise.all(
        uids.slice(i, i + PREV_CLOSE_PARALLEL).map(async (uid) => {
          const id = ids.get(uid);
          if (id === undefined) return;
          const candles = await provider.getCandles(
            id,
            new Date(`${addDays(day, -10)}T00:00:00Z`),
            new Date(`${day}T00:00:00+03:00`),
            'day',
            access.token,
          );
          const last = candles.at(-1);
          if (last === undefined) return;
          await q.setPrevClose(db, uid, last.close, dayInZone(last.time, EXCHANGE_TZ));
          found.set(uid, last.close);
        }),
      );
    }
    return found;
  }

  /**
   * A price seen for the first time has no previous close yet: it is looked up at once (within the
   * wait), so the very first view already has the day's change. Misses are not asked again soon.
   */
  async function withPrevCloses(set: QuoteSet, access: MarketAccess): Promise<QuoteSet> {
    // A provider that just failed is not asked again for the same page.
    if (access.provider === undefined || !access.configured || set.stale) return set;
    const moment = now().getTime();
    const missing = [...set.prices]
      .filter(([uid, quote]) => quote.prevClose === null && (noPrevCloseUntil.get(uid) ?? 0) <= moment)
      .map(([uid]) => uid)
      .slice(0, 30);
    if (missing.length === 0) return set;
    if (noPrevCloseUntil.size > 50_000) noPrevCloseUntil.clear();
    for (const uid of missing) noPrevCloseUntil.set(uid, moment + NO_PREV_CLOSE_RETRY_MS);
    const job = prevClosesFromCandles(missing, access).catch((err: unknown) => {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'previous close lookup failed');
      return new Map<string, string>();
    });
    const found = await withTimeout(job, QUOTE_WAIT_MS);
    if (found === TIMED_OUT) return set;
    for (const [uid, close] of found) {
      const quote = set.prices.get(uid);
      if (quote) quote.prevClose = close;
      noPrevCloseUntil.delete(uid);
    }
    return set;
  }

  const service = {
    /**
     * Last prices for instruments, in one batched provider request for those not fetched within the
     * last minute, each with its previous close. Provider trouble never fails the call: the last
     * known prices come back, flagged.
     */
    async quotes(
      uids: readonly string[],
      access: MarketAccess,
      options: { force?: boolean } = {},
    ): Promise<QuoteSet> {
      return withPrevCloses(await lastQuotes(uids, access, options), access);
    },

    /** Fills previous-day closes from daily candles where the stored one is missing or old. */
    async refreshPrevCloses(uids: readonly string[], access: MarketAccess): Promise<void> {
      if (access.provider === undefined || !access.configured) return;
      const stored = await q.findLastPrices(db, uids);
      const day = today();
      const stale = [...stored.values()]
        .filter((r) => r.prevCloseDate === null || r.prevCloseDate < addDays(day, -4))
        .slice(0, 30)
        .map((r) => r.instrumentUid);
      try {
        await prevClosesFromCandles(stale, access);
      } catch (err) {
        logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'previous close refresh failed',
        );
      }
    },
  };

  /** Last prices, stored or fetched (see `quotes`). */
  async function lastQuotes(
    uids: readonly string[],
    access: MarketAccess,
    options: { force?: boolean },
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
  }
  return service;
}

export type QuotesService = ReturnType<typeof createQuotesService>;
