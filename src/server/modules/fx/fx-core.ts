/**
 * The one place currencies are converted. Pure: the caller loads the rates, this decides which one
 * a (currency, day) gets and converts. Every rate is roubles per one unit; other pairs cross through
 * the rouble. An unknown rate is null, never 1.
 */
import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';

export type RateSource = 'manual' | 'official' | 'market';

/** Places kept in a cross rate (well past any digit that reaches a kopeck). */
export const RATE_DP = 12;

export interface FxTables {
  /** The user's own rates: currency → day → roubles per unit. They apply to that day only. */
  manual: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Bank of Russia rates: currency → days the rate was set for, ascending, roubles per unit. */
  official: ReadonlyMap<string, readonly { day: string; rate: string }[]>;
  /** Currency → the last day whose official rate is known to be final; later days are stale. */
  officialKnownTo: ReadonlyMap<string, string>;
  /** A market-data provider's rate of today (and of the previous close), roubles per unit. */
  market: ReadonlyMap<string, { day: string; rate: string; prevDay: string | null; prevRate: string | null }>;
}

export interface Rate {
  /** Units of the target currency for one unit of the source currency. */
  rate: string;
  /** The day the rate was set for (the older one of the two legs of a cross). */
  day: string;
  source: RateSource;
  /** The rate may have changed since: the source has not been heard from for this day. */
  stale: boolean;
}

export interface Converted extends Rate {
  /** Amount × rate, rounded half-up to 0.01. */
  amount: string;
}

export const EMPTY_TABLES: FxTables = {
  manual: new Map(),
  official: new Map(),
  officialKnownTo: new Map(),
  market: new Map(),
};

/** The latest entry on or before `day` (binary search over ascending days). */
function latestOnOrBefore<T extends { day: string }>(rows: readonly T[], day: string): T | undefined {
  let lo = 0;
  let hi = rows.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const row = rows[mid]!;
    if (row.day <= day) {
      found = row;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Roubles for one unit of `currency` on `day`: the user's own, else official, else market. */
export function rubRate(t: FxTables, currency: string, day: string): Rate | null {
  if (currency === 'RUB') return { rate: '1', day, source: 'official', stale: false };
  const own = t.manual.get(currency)?.get(day);
  if (own !== undefined) return { rate: own, day, source: 'manual', stale: false };
  const official = latestOnOrBefore(t.official.get(currency) ?? [], day);
  const knownTo = t.officialKnownTo.get(currency);
  const officialStale = knownTo === undefined || knownTo < day;
  const market = t.market.get(currency);
  const marketRate =
    market === undefined
      ? null
      : market.day === day
        ? { rate: market.rate, day, source: 'market' as const, stale: false }
        : market.prevDay !== null && market.prevRate !== null && market.prevDay <= day && day < market.day
          ? { rate: market.prevRate, day: market.prevDay, source: 'market' as const, stale: false }
          : null;
  // A fresh official rate wins; a stale one only when the market has nothing for that day.
  if (official !== undefined && (!officialStale || marketRate === null))
    return { rate: official.rate, day: official.day, source: 'official', stale: officialStale };
  return marketRate;
}

/** Units of `to` for one unit of `from` on `day`, crossing through the rouble. */
export function rateOn(t: FxTables, from: string, to: string, day: string): Rate | null {
  if (from === to) return { rate: '1', day, source: 'official', stale: false };
  const num = rubRate(t, from, day);
  const den = rubRate(t, to, day);
  if (num === null || den === null || dec(den.rate).eq(0)) return null;
  if (to === 'RUB') return num;
  const rate = dec(num.rate).div(den.rate).round(RATE_DP, 'half-up');
  const older = from === 'RUB' || den.day < num.day ? den : num;
  return {
    rate: rate.toFixed(),
    day: older.day,
    source: from === 'RUB' ? den.source : num.source,
    stale: num.stale || den.stale,
  };
}

/** `amount` of `from` in `to` on `day`, rounded half-up to the kopeck; null without a rate. */
export function convert(
  t: FxTables,
  amount: Decimal | string,
  from: string,
  to: string,
  day: string,
): Converted | null {
  const rate = rateOn(t, from, to, day);
  if (rate === null) return null;
  return { ...rate, amount: toFixed(dec(amount).times(rate.rate)) };
}

/** Roubles per one unit from a published rate: `value` roubles for `nominal` units. */
export function perUnit(value: string, nominal: number): string {
  return dec(value).div(nominal).toFixed();
}
