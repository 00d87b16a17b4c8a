import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instantOfLocal } from '../../src/server/modules/imports/values.js';

/** The wall clock of an instant in a zone, as "yyyy-mm-dd hh:mm". */
function wallClock(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(instant);
}

describe('local times of a statement', () => {
  it('land on the instant whose wall clock they are, on both sides of clock changes', () => {
    const cases: [string, string, string, string][] = [
      ['Europe/Moscow', '2026-07-01', '23:59:59', '2026-07-01T20:59:59.000Z'],
      ['Europe/Berlin', '2026-03-29', '01:30:00', '2026-03-29T00:30:00.000Z'],
      ['Europe/Berlin', '2026-03-29', '03:30:00', '2026-03-29T01:30:00.000Z'],
      ['Europe/Berlin', '2026-03-28', '23:00:00', '2026-03-28T22:00:00.000Z'],
      ['Europe/Berlin', '2026-03-30', '00:30:00', '2026-03-29T22:30:00.000Z'],
      ['Europe/Berlin', '2026-10-25', '04:00:00', '2026-10-25T03:00:00.000Z'],
      ['America/New_York', '2026-11-01', '00:30:00', '2026-11-01T04:30:00.000Z'],
      ['America/New_York', '2026-11-01', '12:00:00', '2026-11-01T17:00:00.000Z'],
      ['Australia/Lord_Howe', '2026-04-05', '03:00:00', '2026-04-04T16:30:00.000Z'],
    ];
    for (const [zone, day, time, expected] of cases)
      assert.equal(instantOfLocal(day, time, zone).toISOString(), expected, `${zone} ${day} ${time}`);
  });

  it('every hour of a year of days in a zone with summer time reads back as written', () => {
    for (let d = Date.UTC(2026, 0, 1); d < Date.UTC(2027, 0, 1); d += 86_400_000) {
      const day = new Date(d).toISOString().slice(0, 10);
      for (const time of ['00:15:00', '03:30:00', '12:00:00', '23:45:00']) {
        const got = wallClock(instantOfLocal(day, time, 'Europe/Paris'), 'Europe/Paris');
        // The hour skipped in spring does not exist; any other reads back.
        if (day === '2026-03-29' && time === '02:30:00') continue;
        assert.equal(got, `${day} ${time.slice(0, 5)}`);
      }
    }
  });
});
