import type { Decimal } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import { addDays, daysBetween, monthRange, shiftMonth } from '../../../common/dates.js';
import { validationFailed } from '../../platform/errors.js';

/** A reporting period on calendar days: [from, toExclusive); `to` is the last day, included. */
export interface Period {
  month: string | null;
  from: string;
  to: string;
  toExclusive: string;
}

export const MAX_PERIOD_DAYS = 366;

/** The first day of the month `day` is in. */
export const monthStart = (day: string) => `${day.slice(0, 7)}-01`;

/** The first day of the first month that starts on or after `day`. */
export const monthOnOrAfter = (day: string) =>
  day.endsWith('-01') ? day : `${shiftMonth(day.slice(0, 7), 1)}-01`;

export function monthPeriod(month: string): Period {
  const { from, toExclusive } = monthRange(month);
  return { month, from, to: addDays(toExclusive, -1), toExclusive };
}

/**
 * `month`, or `dateFrom` + `dateTo` (both days included), or the month of `today` when neither is
 * given. A range that is exactly one calendar month is reported as that month.
 */
export function resolvePeriod(
  query: { month?: string; dateFrom?: string; dateTo?: string },
  today: string,
): Period {
  const { month, dateFrom, dateTo } = query;
  if (month !== undefined) {
    if (dateFrom !== undefined || dateTo !== undefined) {
      throw validationFailed('month', 'EITHER_OR', 'give either month or dateFrom and dateTo, not both');
    }
    return monthPeriod(month);
  }
  if (dateFrom === undefined && dateTo === undefined) return monthPeriod(today.slice(0, 7));
  if (dateFrom === undefined) throw validationFailed('dateFrom', 'REQUIRED', 'is required with dateTo');
  if (dateTo === undefined) throw validationFailed('dateTo', 'REQUIRED', 'is required with dateFrom');
  if (dateTo < dateFrom)
    throw validationFailed('dateTo', 'BEFORE_OTHER', 'must not be before dateFrom', { other: 'dateFrom' });
  if (daysBetween(dateFrom, dateTo) + 1 > MAX_PERIOD_DAYS) {
    throw validationFailed(
      'dateTo',
      'PERIOD_TOO_LONG',
      `the period may span at most ${MAX_PERIOD_DAYS} days`,
      { days: `${MAX_PERIOD_DAYS}` },
    );
  }
  const whole = monthPeriod(dateFrom.slice(0, 7));
  if (whole.from === dateFrom && whole.to === dateTo) return whole;
  return { month: null, from: dateFrom, to: dateTo, toExclusive: addDays(dateTo, 1) };
}

/** Every day of [from, toExclusive). */
export function daysOf(from: string, toExclusive: string): string[] {
  const days: string[] = [];
  for (let d = from; d < toExclusive; d = addDays(d, 1)) days.push(d);
  return days;
}

/** `count` consecutive months ending with `last`, oldest first. */
export function monthsEnding(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftMonth(last, i - count + 1));
}

/** part / whole × 100 with one decimal place, rounded half-up; null when whole is zero. */
export function percentOf(part: Decimal, whole: Decimal): string | null {
  if (whole.eq(0)) return null;
  return toFixed(part.times(100).div(whole), 1);
}
