import { dec } from '../../src/common/decimal.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/server/platform/errors.js';
import { shiftMonth } from '../../src/common/dates.js';
import { daysOf, monthsEnding, percentOf, resolvePeriod } from '../../src/server/modules/budget/period.js';

describe('budget periods', () => {
  it('a month is [first day, first day of the next month) with its last day included', () => {
    const cases: [string, string, string, string][] = [
      ['2026-01', '2026-01-01', '2026-01-31', '2026-02-01'],
      ['2024-02', '2024-02-01', '2024-02-29', '2024-03-01'],
      ['2026-02', '2026-02-01', '2026-02-28', '2026-03-01'],
      ['2026-12', '2026-12-01', '2026-12-31', '2027-01-01'],
    ];
    for (const [month, from, to, toExclusive] of cases) {
      assert.deepEqual(resolvePeriod({ month }, '2000-01-01'), { month, from, to, toExclusive });
    }
  });

  it('defaults to the month of today; a range covering one whole month is that month', () => {
    assert.equal(resolvePeriod({}, '2026-03-31').month, '2026-03');
    assert.equal(
      resolvePeriod({ dateFrom: '2026-04-01', dateTo: '2026-04-30' }, '2026-01-01').month,
      '2026-04',
    );
    assert.deepEqual(resolvePeriod({ dateFrom: '2026-04-01', dateTo: '2026-04-15' }, '2026-01-01'), {
      month: null,
      from: '2026-04-01',
      to: '2026-04-15',
      toExclusive: '2026-04-16',
    });
  });

  it('refuses half ranges, reversed ranges, month with dates and spans over 366 days', () => {
    const cases: [Record<string, string>, string][] = [
      [{ dateFrom: '2026-01-01' }, 'dateTo'],
      [{ dateTo: '2026-01-01' }, 'dateFrom'],
      [{ dateFrom: '2026-01-02', dateTo: '2026-01-01' }, 'dateTo'],
      [{ month: '2026-01', dateTo: '2026-01-01' }, 'month'],
      [{ dateFrom: '2025-01-01', dateTo: '2026-01-02' }, 'dateTo'],
    ];
    for (const [query, field] of cases) {
      assert.throws(
        () => resolvePeriod(query, '2026-01-01'),
        (err: unknown) =>
          err instanceof AppError && err.status === 422 && err.message.startsWith(`${field}:`),
      );
    }
    assert.equal(
      resolvePeriod({ dateFrom: '2024-01-01', dateTo: '2024-12-31' }, '2026-01-01').to,
      '2024-12-31',
    );
  });

  it('days, months and percentages', () => {
    assert.deepEqual(daysOf('2024-02-27', '2024-03-02'), [
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    assert.deepEqual(
      [shiftMonth('2026-01', -1), shiftMonth('2026-12', 1), shiftMonth('2026-05', -17)],
      ['2025-12', '2027-01', '2024-12'],
    );
    const last12 = monthsEnding('2026-03', 12);
    assert.deepEqual([last12.length, last12[0], last12[11]], [12, '2025-04', '2026-03']);
    assert.equal(percentOf(dec('1'), dec('3')), '33.3');
    assert.equal(percentOf(dec('0.0005'), dec('1')), '0.1', 'half-up');
    assert.equal(percentOf(dec('3500.01'), dec('3000')), '116.7');
    assert.equal(percentOf(dec('-5'), dec('10')), '-50.0');
    assert.equal(percentOf(dec('5'), dec('0')), null);
  });
});
