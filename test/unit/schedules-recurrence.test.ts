import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  occurrencesBetween,
  shiftDay,
  type RecurrenceRule,
} from '../../src/server/modules/schedules/recurrence.js';
import { isWorkingDay } from '../../src/common/calendar/index.js';

const rule = (r: Partial<RecurrenceRule>): RecurrenceRule => ({
  every: 1,
  unit: 'month',
  monthDay: null,
  weekday: null,
  shift: 'none',
  startDate: '2026-01-01',
  endDate: null,
  count: null,
  ...r,
});

const days = (r: RecurrenceRule, from: string, to: string) =>
  occurrencesBetween(r, from, to, isWorkingDay).map((o) => o.date);

describe('recurrence rules', () => {
  const cases: [string, RecurrenceRule, string, string, string[]][] = [
    [
      'the 31st is the last day in short months',
      rule({ monthDay: 31 }),
      '2026-01-01',
      '2026-06-30',
      ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30'],
    ],
    [
      'February 29 in a leap year',
      rule({ monthDay: 31, startDate: '2028-02-01' }),
      '2028-02-01',
      '2028-02-29',
      ['2028-02-29'],
    ],
    [
      'the last working day: a Saturday or Sunday month end moves back to Friday',
      rule({ monthDay: 31, shift: 'before' }),
      '2026-01-01',
      '2026-06-30',
      // 31 Jan 2026 is a Saturday, 31 May a Sunday.
      ['2026-01-30', '2026-02-27', '2026-03-31', '2026-04-30', '2026-05-29', '2026-06-30'],
    ],
    [
      'moved to the working day after',
      rule({ monthDay: 31, shift: 'after', startDate: '2026-01-01', count: 1 }),
      '2026-01-01',
      '2026-12-31',
      ['2026-02-02'],
    ],
    [
      'the start day when no day is given; a day before the start in its month is skipped',
      rule({ monthDay: 10, startDate: '2026-01-15', count: 2 }),
      '2026-01-01',
      '2026-12-31',
      ['2026-02-10', '2026-03-10'],
    ],
    [
      'every 2 weeks on Fridays from a Wednesday start',
      rule({ unit: 'week', every: 2, weekday: 5, startDate: '2026-01-07' }),
      '2026-01-01',
      '2026-02-10',
      ['2026-01-09', '2026-01-23', '2026-02-06'],
    ],
    [
      'every 10 days until an end day',
      rule({ unit: 'day', every: 10, startDate: '2026-03-01', endDate: '2026-03-31' }),
      '2026-01-01',
      '2026-12-31',
      ['2026-03-01', '2026-03-11', '2026-03-21', '2026-03-31'],
    ],
    [
      'every 3 months, a window far from the start',
      rule({ every: 3, monthDay: 5, startDate: '2020-01-01' }),
      '2026-01-01',
      '2026-12-31',
      ['2026-01-05', '2026-04-05', '2026-07-05', '2026-10-05'],
    ],
    [
      'yearly from 29 February: the 28th in common years',
      rule({ unit: 'year', startDate: '2024-02-29', count: 3 }),
      '2024-01-01',
      '2030-12-31',
      ['2024-02-29', '2025-02-28', '2026-02-28'],
    ],
  ];
  for (const [name, r, from, to, expected] of cases) {
    it(name, () => assert.deepEqual(days(r, from, to), expected));
  }

  it('counts occurrences from the start even when the window starts later', () => {
    const r = rule({ monthDay: 1, count: 3 });
    assert.deepEqual(days(r, '2026-03-01', '2026-12-31'), ['2026-03-01']);
    assert.deepEqual(
      occurrencesBetween(r, '2026-02-01', '2026-12-31', isWorkingDay).map((o) => o.index),
      [1, 2],
    );
  });

  it('keeps the nominal day as the key when the day moves', () => {
    const [o] = occurrencesBetween(
      rule({ monthDay: 31, shift: 'before', count: 1 }),
      '2026-01-01',
      '2026-01-31',
      isWorkingDay,
    );
    assert.deepEqual(o, { index: 0, nominal: '2026-01-31', date: '2026-01-30' });
  });

  it('shifts only days off', () => {
    assert.equal(shiftDay('2026-03-04', 'before', isWorkingDay), '2026-03-04');
    // Sunday 8 March is a holiday moved to Monday the 9th: the next working day is the 10th.
    assert.equal(shiftDay('2026-03-07', 'after', isWorkingDay), '2026-03-10');
    // 31 December 2026 is a day off by the decree: the last working day of the year is the 30th.
    assert.equal(shiftDay('2026-12-31', 'before', isWorkingDay), '2026-12-30');
    assert.equal(shiftDay('2026-03-08', 'none', isWorkingDay), '2026-03-08');
  });
});
