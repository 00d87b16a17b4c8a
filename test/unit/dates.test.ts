import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { monthBounds, shiftMonth, todayIn } from '../../src/common/dates.js';

describe('calendar helpers the pages share', () => {
  it('today is the day in the given time zone, not the machine’s', () => {
    // 22:30 on 31 December in UTC is already 1 January in Moscow and still 31 December in New York.
    const instant = new Date('2026-12-31T22:30:00Z');
    assert.equal(todayIn('Europe/Moscow', instant), '2027-01-01');
    assert.equal(todayIn('America/New_York', instant), '2026-12-31');
    assert.equal(todayIn('Asia/Kamchatka', new Date('2026-03-10T12:30:00Z')), '2026-03-11');
  });

  it('an unknown or missing zone falls back to the machine’s own', () => {
    const instant = new Date('2026-06-15T12:00:00Z');
    const own = todayIn(undefined, instant);
    assert.match(own, /^2026-06-1[456]$/);
    assert.equal(todayIn('Not/A_Zone', instant), own);
  });

  it('months move across years both ways', () => {
    assert.equal(shiftMonth('2026-01', -1), '2025-12');
    assert.equal(shiftMonth('2025-12', 1), '2026-01');
    assert.equal(shiftMonth('2026-03', 0), '2026-03');
    assert.equal(shiftMonth('2026-03', -27), '2023-12');
    assert.equal(shiftMonth('2026-11', 14), '2028-01');
  });

  it('a month runs from its first to its last day, February by the year', () => {
    assert.deepEqual(monthBounds('2028-02'), { from: '2028-02-01', to: '2028-02-29' });
    assert.deepEqual(monthBounds('2026-02'), { from: '2026-02-01', to: '2026-02-28' });
    assert.deepEqual(monthBounds('2026-04'), { from: '2026-04-01', to: '2026-04-30' });
    assert.deepEqual(monthBounds('2026-12'), { from: '2026-12-01', to: '2026-12-31' });
  });
});
