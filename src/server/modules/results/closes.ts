/**
 * Daily closes of the instruments a portfolio holds (and of the IMOEX index), stored as the
 * providers give them: what is not stored yet for the days asked is fetched as day candles.
 */
import type { FastifyBaseLogger } from 'fastify';
import { addDays, dayInZone } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import type { MarketAccess, UserMarketContext } from '../market/market-access.service.js';
import type { Market } from '../market/market.js';
import { moexUid } from '../market/moex/iss-provider.js';
import type { MarketDataProvider } from '../market/provider.js';
import * as q from './results.queries.js';

export interface DailyClosesDeps {
  db: Db;
  market: Pick<Market, 'history'>;
  /** MOEX ISS, for the IMOEX index whatever the user's provider. */
  moex: MarketDataProvider | undefined;
  now: () => Date;
  logger: FastifyBaseLogger;
}

export const BENCHMARK_UID = moexUid('SNDX', 'IMOEX');

const EXCHANGE_TZ = 'Europe/Moscow';
/** Longest span of day candles asked for at once (the market service allows 3 660 days). */
const CANDLE_SPAN_DAYS = 3600;
/** A page waits this long for missing closes; the fetch goes on in the background. */
const CLOSES_WAIT_MS = 8_000;
/** Today's close is asked for again after this long. */
const TODAY_RECHECK_MS = 30 * 60_000;
const FAILED_RETRY_MS = 5 * 60_000;

/** Closes and hand prices per asset, ascending by day as the queries give them. */
export function closesByKey(...rows: { key: string; day: string; close: string }[][]) {
  const closes = new Map<string, { day: string; close: string }[]>();
  for (const list of rows)
    for (const r of list) {
      const own = closes.get(r.key);
      if (own === undefined) closes.set(r.key, [{ day: r.day, close: r.close }]);
      else own.push({ day: r.day, close: r.close });
    }
  return closes;
}

export function createDailyCloses({ db, market, moex, now, logger }: DailyClosesDeps) {
  const failedCloses = new Map<string, number>();
  const moexAccess: MarketAccess = {
    configured: moex !== undefined,
    source: 'moex',
    token: undefined,
    provider: moex,
  };

  /** Fetches the day candles not stored yet for [from, today] of each instrument and keeps their closes. */
  async function fetchCloses(
    ctx: UserMarketContext,
    need: Map<string, string>,
    today: string,
  ): Promise<void> {
    if (need.size === 0) return;
    const cov = new Map((await q.closeCoverage(db, [...need.keys()])).map((c) => [c.instrument_uid, c]));
    const nowMs = now().getTime();
    for (const [uid, from] of need) {
      if ((failedCloses.get(uid) ?? 0) > nowMs) continue;
      const access = uid === BENCHMARK_UID ? moexAccess : ctx.access;
      if (!access.configured || access.provider === undefined) continue;
      const c = cov.get(uid);
      const gaps: [string, string][] = [];
      if (c === undefined) gaps.push([from, today]);
      else {
        if (from < c.from_day) gaps.push([from, addDays(c.from_day, -1)]);
        if (c.to_day < today || nowMs - Number(c.checked_ms) > TODAY_RECHECK_MS) gaps.push([c.to_day, today]);
      }
      try {
        for (const [gapFrom, gapTo] of gaps) {
          for (let start = gapFrom; start <= gapTo; start = addDays(start, CANDLE_SPAN_DAYS)) {
            const end =
              addDays(start, CANDLE_SPAN_DAYS - 1) < gapTo ? addDays(start, CANDLE_SPAN_DAYS - 1) : gapTo;
            const res = await market.history.candles(
              { ...ctx, access },
              {
                instrumentId: uid,
                interval: 'day',
                from: new Date(`${start}T00:00:00+03:00`).toISOString(),
                to: new Date(`${addDays(end, 1)}T00:00:00+03:00`).toISOString(),
              },
            );
            const byDay = new Map<string, string>();
            for (const candle of res.candles)
              byDay.set(dayInZone(new Date(candle.time), EXCHANGE_TZ), candle.close);
            await q.upsertCloses(
              db,
              uid,
              [...byDay].map(([day, close]) => ({ day, close })),
              ctx.access === access && access.source !== 'moex' ? 'tinvest' : 'moex',
              { from: start, to: end },
            );
          }
        }
      } catch (err) {
        failedCloses.set(uid, nowMs + FAILED_RETRY_MS);
        logger.warn(
          { uid, err: err instanceof Error ? err.message : String(err) },
          'daily closes unavailable',
        );
      }
    }
  }

  return {
    /**
     * Brings the stored closes of each instrument of `need` (uid → first day needed) up to today,
     * waiting at most CLOSES_WAIT_MS; the rest arrive in the background.
     */
    async ensure(ctx: UserMarketContext, need: Map<string, string>, today: string): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        fetchCloses(ctx, need, today).catch((err: unknown) =>
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'closes fetch failed'),
        ),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSES_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
