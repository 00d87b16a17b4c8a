/**
 * Recurrence rules: which calendar days a schedule (or a repeating mandatory payment) falls on.
 * Pure: days are 'YYYY-MM-DD' strings, working days come from the caller.
 */
import { addDays, daysInMonth } from '../../../common/dates.js';

export type RecurrenceUnit = 'day' | 'week' | 'month' | 'year';
/** A day that is not a working day moves to the working day before or after it, or stays. */
export type DayShift = 'none' | 'before' | 'after';

export interface RecurrenceRule {
  every: number;
  unit: RecurrenceUnit;
  /** Months and years: the day of the month, 1–31; past a short month's end it is that month's last day. */
  monthDay: number | null;
  /** Weeks: ISO weekday, 1 = Monday … 7 = Sunday; default the start's weekday. */
  weekday: number | null;
  shift: DayShift;
  startDate: string;
  /** Last day an occurrence may fall on (nominally), inclusive. */
  endDate: string | null;
  /** Number of occurrences, counted from the start. */
  count: number | null;
}

/** One occurrence: its nominal day (the rule's day, the key) and the day it falls on after the shift. */
export interface Occurrence {
  index: number;
  nominal: string;
  date: string;
}

export type IsWorkingDay = (day: string) => boolean;

/** Days a shift may look ahead or back: longer runs of days off do not exist. */
const MAX_SHIFT_DAYS = 14;

export function shiftDay(day: string, shift: DayShift, isWorkingDay: IsWorkingDay): string {
  if (shift === 'none') return day;
  const step = shift === 'before' ? -1 : 1;
  let d = day;
  for (let i = 0; i < MAX_SHIFT_DAYS && !isWorkingDay(d); i++) d = addDays(d, step);
  return d;
}

function ymd(day: string): [number, number, number] {
  return [Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))];
}

function dayOf(year: number, month: number, day: number): string {
  const clamped = Math.min(day, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`;
}

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

/** The k-th nominal day of the rule (k from 0), before the start filter and the end. */
function nominalAt(rule: RecurrenceRule, k: number, first: string): string {
  switch (rule.unit) {
    case 'day':
      return addDays(first, k * rule.every);
    case 'week':
      return addDays(first, 7 * k * rule.every);
    case 'month': {
      const [y, m] = ymd(first);
      const months = m - 1 + k * rule.every;
      return dayOf(y + Math.floor(months / 12), (months % 12) + 1, rule.monthDay ?? ymd(rule.startDate)[2]);
    }
    case 'year': {
      const [y, m] = ymd(first);
      return dayOf(y + k * rule.every, m, rule.monthDay ?? ymd(rule.startDate)[2]);
    }
  }
}

/** The first nominal day the series counts from (on or, for months, possibly before the start). */
function anchor(rule: RecurrenceRule): string {
  if (rule.unit === 'week' && rule.weekday !== null) {
    return addDays(rule.startDate, (rule.weekday - isoWeekday(rule.startDate) + 7) % 7);
  }
  return rule.startDate;
}

/**
 * Occurrences whose shifted day lies in [from, to], in order. The series starts at the first
 * nominal day on or after the start; `count` and `endDate` cut it by nominal days.
 */
export function occurrencesBetween(
  rule: RecurrenceRule,
  from: string,
  to: string,
  isWorkingDay: IsWorkingDay,
): Occurrence[] {
  const out: Occurrence[] = [];
  const first = anchor(rule);
  // Months and years: the start's month may hold a day before the start (start 15th, day 10): skip it.
  const skipFirst = nominalAt(rule, 0, first) < rule.startDate ? 1 : 0;
  // Jump close to `from` instead of walking from the start (a shift moves a day by at most two weeks).
  let k: number;
  const lead = addDays(from, -MAX_SHIFT_DAYS - 1);
  if (rule.unit === 'day' || rule.unit === 'week') {
    const span = rule.unit === 'day' ? rule.every : 7 * rule.every;
    const gap = Math.floor((Date.parse(lead) - Date.parse(first)) / 86_400_000 / span);
    k = Math.max(0, gap);
  } else {
    const [fy, fm] = ymd(first);
    const [ly, lm] = ymd(lead);
    const months = (ly - fy) * 12 + (lm - fm);
    k = Math.max(0, Math.floor(months / (rule.unit === 'month' ? rule.every : 12 * rule.every)) - 1);
  }
  for (; ; k++) {
    const index = k - skipFirst;
    if (index < 0) continue;
    if (rule.count !== null && index >= rule.count) break;
    const nominal = nominalAt(rule, k, first);
    if (rule.endDate !== null && nominal > rule.endDate) break;
    const date = shiftDay(nominal, rule.shift, isWorkingDay);
    if (date > to && nominal > to) break;
    if (date >= from && date <= to) out.push({ index, nominal, date });
  }
  return out;
}
