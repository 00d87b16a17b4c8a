import { dec } from '../../../common/decimal.js';
import type { FastifyBaseLogger } from 'fastify';
import { addDays, dayInZone } from '../../../common/dates.js';

import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import { pgErrorCode, UNIQUE_VIOLATION } from '../../platform/pg-errors.js';
import type { CbrClient } from './cbr.js';
import { perUnit, rateOn, type FxTables } from './fx-core.js';
import type { RatesDto } from './fx.schemas.js';
import * as q from './fx.queries.js';
import type { HistoryChangedHook } from '../networth/history-changed.js';

/** The Bank of Russia's day: its rates are set for Moscow calendar days. */
const CBR_TIME_ZONE = 'Europe/Moscow';
/** A holiday run (New Year) is at most this long: fetching this far back finds the rate in force. */
const LOOKBACK_DAYS = 14;
/** After a failed call the stored rates are served without asking again for this long. */
const RETRY_AFTER_MS = 60_000;
/** How often the background refresh checks whether a new day needs fetching. */
const REFRESH_CHECK_MS = 30 * 60_000;
/** How long one instance holds the daily refresh before another may take it over. */
const REFRESH_HOLD_MS = 5 * 60_000;

/** Codes of the common currencies; others are learnt from a daily answer. */
const KNOWN_CODES: Record<string, string> = {
  USD: 'R01235',
  EUR: 'R01239',
  CNY: 'R01375',
  GBP: 'R01035',
  CHF: 'R01775',
  JPY: 'R01820',
  KZT: 'R01335',
  BYN: 'R01090B',
  TRY: 'R01700J',
  AMD: 'R01060',
  AED: 'R01230',
  HKD: 'R01200',
};

export interface FxServiceDeps {
  db: Db;
  cbr: CbrClient;
  /** A page waits at most this long for missing rates; the fetch goes on in the background. */
  waitMs: number;
  now: () => Date;
  logger: FastifyBaseLogger;
  profile: (userId: string) => Promise<{ timeZone: string; baseCurrency: string }>;
  /** Told when the user's own rates change (the net-worth history). */
  onHistoryChanged?: readonly HistoryChangedHook[];
}

export interface UserRateDto {
  id: string;
  currency: string;
  day: string;
  rate: string;
}

const toDto = (r: q.UserRateRow): UserRateDto => ({
  id: r.id,
  currency: r.currency,
  day: r.day,
  rate: dec(r.rate).toFixed(),
});

export function createFxService({
  db,
  cbr,
  waitMs,
  now,
  logger,
  profile,
  onHistoryChanged = [],
}: FxServiceDeps) {
  async function ownRatesChanged(userId: string, from: string | null): Promise<void> {
    for (const hook of onHistoryChanged) await hook(db, userId, from);
  }

  const inFlight = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let first: NodeJS.Timeout | undefined;
  const cbrToday = () => dayInZone(now(), CBR_TIME_ZONE);

  async function codeOf(currency: string, cov: q.CoverageRow | undefined): Promise<string | undefined> {
    if (cov?.cbrId != null) return cov.cbrId;
    if (KNOWN_CODES[currency] !== undefined) return KNOWN_CODES[currency];
    const daily = await cbr.daily(cbrToday());
    await q.saveCodes(
      db,
      daily.rates.map((r) => ({ currency: r.currency, cbrId: r.cbrId })),
    );
    return daily.rates.find((r) => r.currency === currency)?.cbrId;
  }

  /** Fetches the days of [from, to] the database does not know yet, one range call per gap. */
  async function backfill(currency: string, from: string, to: string): Promise<void> {
    const [cov] = await q.coverage(db, [currency]);
    if (cov?.failedAt != null && cov.failedAt.getTime() > now().getTime() - RETRY_AFTER_MS) return;
    const gaps: [string, string][] = [];
    if (cov?.fromDay == null || cov.toDay == null) gaps.push([from, to]);
    else {
      if (from < cov.fromDay) gaps.push([from, addDays(cov.fromDay, -1)]);
      // From the last known day itself: a rate set for it after the last call is picked up too.
      if (to > cov.toDay) gaps.push([cov.toDay, to]);
    }
    if (gaps.length === 0) return;
    try {
      const code = await codeOf(currency, cov);
      if (code === undefined) return; // not a currency the Bank of Russia quotes
      for (const [gapFrom, gapTo] of gaps) {
        const rates = await cbr.dynamic(code, currency, gapFrom, gapTo);
        await q.upsertOfficialRates(db, rates);
        await q.extendCoverage(db, currency, gapFrom, gapTo);
      }
    } catch (err) {
      await q.markFailed(db, currency, now());
      throw err;
    }
  }

  /** Makes sure the official rates of [from, to] are stored, waiting at most `waitMs`. */
  async function ensureOfficial(currencies: string[], from: string, to: string): Promise<void> {
    const last = to < cbrToday() ? to : cbrToday();
    const first = addDays(from, -LOOKBACK_DAYS);
    if (first > last) return;
    const work = currencies
      .filter((c) => c !== 'RUB')
      .map((currency) => {
        let job = inFlight.get(currency);
        if (job === undefined) {
          job = backfill(currency, first, last)
            .catch((err: unknown) =>
              logger.warn(
                { currency, err: err instanceof Error ? err.message : String(err) },
                'Bank of Russia rates unavailable',
              ),
            )
            .finally(() => inFlight.delete(currency));
          inFlight.set(currency, job);
        }
        return job;
      });
    if (work.length === 0) return;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(work),
      new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timeout);
  }

  /** Brings every currency anyone uses up to today; one instance at a time does it. */
  async function refresh(): Promise<void> {
    const today = cbrToday();
    const tracked = (await q.allCoverage(db)).filter((c) => c.toDay !== null && c.toDay < today);
    if (tracked.length === 0 || !(await q.claimRefresh(db, REFRESH_HOLD_MS))) return;
    const failures: string[] = [];
    for (const c of tracked) {
      try {
        await backfill(c.currency, c.toDay!, today);
      } catch (err) {
        failures.push(`${c.currency}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    await q.finishRefresh(db, failures.length === 0 ? null : failures.join('; ').slice(0, 500));
  }

  function validRate(body: { currency: string; day: string; rate: string }) {
    if (body.currency === 'RUB') throw validationFailed('currency', 'NOT_RUB', 'must not be RUB');
    if (!dec(body.rate).gt(0)) throw validationFailed('rate', 'NOT_POSITIVE', 'must be greater than 0');
  }

  async function tables(
    userId: string,
    currencies: Iterable<string>,
    from: string,
    to: string,
    market: FxTables['market'] = new Map(),
  ): Promise<FxTables> {
    const wanted = [...new Set(currencies)].filter((c) => c !== 'RUB');
    if (wanted.length === 0)
      return { manual: new Map(), official: new Map(), officialKnownTo: new Map(), market };
    await ensureOfficial(wanted, from, to);
    const [official, cov, own] = await Promise.all([
      q.officialRates(db, wanted, from, to),
      q.coverage(db, wanted),
      q.userRates(db, userId, wanted, from, to),
    ]);
    const officialMap = new Map<string, { day: string; rate: string }[]>();
    for (const r of official) {
      const list = officialMap.get(r.currency) ?? [];
      list.push({ day: r.day, rate: perUnit(r.value, r.nominal) });
      officialMap.set(r.currency, list);
    }
    const manual = new Map<string, Map<string, string>>();
    for (const r of own) {
      const days = manual.get(r.currency) ?? new Map<string, string>();
      days.set(r.day, dec(r.rate).toFixed());
      manual.set(r.currency, days);
    }
    const knownTo = new Map<string, string>();
    for (const c of cov) if (c.toDay !== null) knownTo.set(c.currency, c.toDay);
    return { manual, official: officialMap, officialKnownTo: knownTo, market };
  }

  return {
    cbrToday,

    /**
     * The rates a user's figures over [from, to] need: their own, the official ones (fetched first
     * when missing, within the wait budget) and `market` when a provider gave some.
     */
    tables,

    async rates(userId: string, currencies: string[], day: string | undefined): Promise<RatesDto> {
      const user = await profile(userId);
      const on = day ?? dayInZone(now(), user.timeZone);
      const t = await tables(userId, [...currencies, user.baseCurrency], on, on);
      return {
        baseCurrency: user.baseCurrency,
        day: on,
        rates: currencies.map((currency) => ({ currency, rate: rateOn(t, currency, user.baseCurrency, on) })),
      };
    },

    async listUserRates(userId: string): Promise<UserRateDto[]> {
      return (await q.listUserRates(db, userId)).map(toDto);
    },

    async saveUserRate(userId: string, body: { currency: string; day: string; rate: string }) {
      validRate(body);
      const saved = toDto(await q.saveUserRate(db, userId, body));
      await ownRatesChanged(userId, body.day);
      return saved;
    },

    async updateUserRate(userId: string, id: string, body: { currency: string; day: string; rate: string }) {
      validRate(body);
      let row: q.UserRateRow | undefined;
      try {
        row = await q.updateUserRate(db, userId, id, body);
      } catch (err) {
        if (pgErrorCode(err) === UNIQUE_VIOLATION)
          throw new AppError(409, 'FX_RATE_EXISTS', 'A rate for this currency and day exists already', {
            fields: [{ field: 'day', message: 'exists' }],
          });
        throw err;
      }
      if (row === undefined) throw notFound('Rate', 'FX_RATE_NOT_FOUND');
      await ownRatesChanged(userId, null);
      return toDto(row);
    },

    async deleteUserRate(userId: string, id: string): Promise<void> {
      if (!(await q.deleteUserRate(db, userId, id))) throw notFound('Rate', 'FX_RATE_NOT_FOUND');
      await ownRatesChanged(userId, null);
    },

    refresh,

    start() {
      const run = () => {
        refresh().catch((err: unknown) =>
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'rate refresh failed'),
        );
      };
      timer = setInterval(run, REFRESH_CHECK_MS);
      timer.unref();
      first = setTimeout(run, 5_000);
      first.unref();
    },

    stop() {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}

export type FxService = ReturnType<typeof createFxService>;
