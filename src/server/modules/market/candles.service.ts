import type { FastifyBaseLogger } from 'fastify';
import { dec, type Decimal } from '../../../common/decimal.js';
import { addDays, dayInZone } from '../../../common/dates.js';
import type { Cache } from '../../platform/cache.js';
import type { Db } from '../../platform/db.js';
import { AppError, validationFailed } from '../../platform/errors.js';
import type { CatalogueService } from './catalogue.service.js';
import { requireProvider, type MarketAccess, type UserMarketContext } from './market-access.service.js';
import type { CandlesQuery, CandlesResponse } from './market.schemas.js';
import * as q from './market.queries.js';
import type { CandleInterval, MarketDataProvider } from './provider.js';
import type { ProviderIds } from './provider-ids.js';
import { EXCHANGE_TZ, upstreamError } from './upstream.js';

export interface CandlesServiceDeps {
  db: Db;
  cache: Cache;
  catalogue: Pick<CatalogueService, 'ensureInstrument'>;
  providerUids: ProviderIds;
  now: () => Date;
  logger: FastifyBaseLogger;
}

const CANDLES_TTL_SECONDS = 60;

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

/** Price history: chart candles and past exchange rates from daily candles. */
export function createCandlesService({
  db,
  cache,
  catalogue,
  providerUids,
  now,
  logger,
}: CandlesServiceDeps) {
  const service = {
    async candles(ctx: UserMarketContext, query: CandlesQuery): Promise<CandlesResponse> {
      const provider = requireProvider(ctx.access);
      const instrument = await catalogue.ensureInstrument(query.instrumentId, ctx.access);
      // Minute precision: repeated chart requests share one cache entry.
      const end = new Date(Math.floor((query.to ? Date.parse(query.to) : now().getTime()) / 60_000) * 60_000);
      let interval: CandleInterval;
      let start: Date;
      if (query.range !== undefined) {
        const range = RANGES[query.range];
        interval = range.interval;
        start = new Date(end.getTime() - range.days * 86_400_000);
      } else {
        if (query.interval === undefined)
          throw validationFailed('interval', 'REQUIRED', 'is required without range');
        if (query.from === undefined) throw validationFailed('from', 'REQUIRED', 'is required without range');
        interval = query.interval;
        start = new Date(query.from);
        if (start >= end) throw validationFailed('from', 'AFTER_OTHER', 'must be before to', { other: 'to' });
        const maxDays = MAX_SPAN_DAYS[query.interval];
        if (end.getTime() - start.getTime() > maxDays * 86_400_000) {
          throw validationFailed(
            'from',
            'PERIOD_TOO_LONG',
            `${query.interval} candles cover at most ${maxDays} days per request`,
            { days: `${maxDays}` },
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
  };
  return service;
}

export type CandlesService = ReturnType<typeof createCandlesService>;
