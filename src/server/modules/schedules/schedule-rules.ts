/** Rules of a schedule a schema cannot say, and the view of its occurrences. Pure. */
import { dec } from '../../../common/decimal.js';
import { addDays } from '../../../common/dates.js';
import { parseDecimal, toFixed } from '../../../common/money.js';
import { validationFailed } from '../../platform/errors.js';
import { occurrencesBetween, type IsWorkingDay, type RecurrenceRule } from './recurrence.js';
import type { RuleBody } from './schedules.schemas.js';
import type { OccurrenceRow, ScheduleRow } from './schedules.queries.js';

/** An occurrence may be moved at most this far from its rule's day. */
export const MAX_MOVE_DAYS = 31;
const MAX_AMOUNT = dec('999999999999999.99');

/** Checks a rule: the end after the start, weekdays only for weeks, days of the month only for months and years. */
export function checkRule(body: RuleBody, prefix = ''): RecurrenceRule {
  const rule: RecurrenceRule = {
    every: body.every,
    unit: body.unit,
    monthDay: body.monthDay ?? null,
    weekday: body.weekday ?? null,
    shift: body.shift ?? 'none',
    startDate: body.startDate,
    endDate: body.endDate ?? null,
    count: body.count ?? null,
  };
  if (rule.endDate !== null && rule.endDate < rule.startDate)
    throw validationFailed(`${prefix}endDate`, 'BEFORE_OTHER', 'must not be before startDate', {
      other: 'startDate',
    });
  if (rule.endDate !== null && rule.count !== null)
    throw validationFailed(`${prefix}count`, 'EITHER_OR', 'give either endDate or count, not both');
  if (rule.weekday !== null && rule.unit !== 'week')
    throw validationFailed(`${prefix}weekday`, 'NOT_FOR_TYPE', 'applies only to weekly rules');
  if (rule.monthDay !== null && rule.unit !== 'month' && rule.unit !== 'year')
    throw validationFailed(`${prefix}monthDay`, 'NOT_FOR_TYPE', 'applies only to monthly and yearly rules');
  return rule;
}

export function positiveAmount(value: string, field: string): string {
  const amount = parseDecimal(value, 2);
  if (amount.lte(0)) throw validationFailed(field, 'NOT_POSITIVE', 'must be greater than 0');
  if (amount.gt(MAX_AMOUNT))
    throw validationFailed(field, 'TOO_LARGE', `must be at most ${MAX_AMOUNT.toFixed(2)}`, {
      limit: `${MAX_AMOUNT.toFixed(2)}`,
    });
  return toFixed(amount);
}

export function ruleOf(row: ScheduleRow): RecurrenceRule {
  return {
    every: row.every,
    unit: row.unit as RecurrenceRule['unit'],
    monthDay: row.monthDay,
    weekday: row.weekday,
    shift: row.shift as RecurrenceRule['shift'],
    startDate: row.startDate,
    endDate: row.endDate,
    count: row.count,
  };
}

export type OccurrenceState = 'expected' | 'overdue' | 'posted' | 'matched' | 'skipped';

export interface OccurrenceView {
  scheduleId: string;
  nominalDate: string;
  date: string;
  amount: string;
  status: OccurrenceState;
  transactionId: string | null;
}

/**
 * The schedule's occurrences falling in [from, to] after changes, with what happened to each.
 * Those before the day the schedule began posting are left out unless something happened to them.
 */
export function occurrenceViews(
  row: ScheduleRow,
  stored: ReadonlyMap<string, OccurrenceRow>,
  from: string,
  to: string,
  today: string,
  isWorkingDay: IsWorkingDay,
): OccurrenceView[] {
  const out: OccurrenceView[] = [];
  const occurrences = occurrencesBetween(
    ruleOf(row),
    addDays(from, -MAX_MOVE_DAYS),
    addDays(to, MAX_MOVE_DAYS),
    isWorkingDay,
  );
  for (const occ of occurrences) {
    const s = stored.get(occ.nominal);
    const date = s?.date ?? occ.date;
    if (date < from || date > to) continue;
    const amount = s?.amount ?? row.amount;
    const base = { scheduleId: row.id, nominalDate: occ.nominal, date, amount, transactionId: null };
    if (s !== undefined && s.status !== 'changed') {
      out.push({ ...base, status: s.status as OccurrenceState, transactionId: s.transactionId });
    } else if (date >= row.postFrom || s !== undefined) {
      out.push({ ...base, status: date < today ? 'overdue' : 'expected' });
    }
  }
  return out;
}

/** Whether `amount` fits the expected one within the schedule's tolerance (exactly for a fixed amount). */
export function amountFits(expected: string, tolerancePercent: number, amount: string): boolean {
  const e = dec(expected);
  return dec(amount).minus(e).abs().lte(e.times(tolerancePercent).div(100));
}
