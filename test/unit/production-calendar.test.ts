import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CALENDAR_YEARS,
  isWorkingDay,
  PUBLIC_HOLIDAYS,
  tradingDayBefore,
} from '../../src/common/calendar/index.js';
import { MoexIssProvider, moexUid } from '../../src/server/modules/market/moex/iss-provider.js';

const weekday = (day: string): number => new Date(`${day}T00:00:00Z`).getUTCDay();
const isWeekend = (day: string): boolean => weekday(day) === 0 || weekday(day) === 6;

void describe('production calendar data', () => {
  void it('covers every year from 2015 through 2027, in order, once each', () => {
    assert.deepEqual(
      CALENDAR_YEARS.map((y) => y.year),
      Array.from({ length: 13 }, (_, i) => 2015 + i),
    );
  });

  for (const year of CALENDAR_YEARS) {
    void it(`${year.year}: real dates, sorted, no public holiday twice, working days only on weekends`, () => {
      for (const list of [year.daysOff, year.workingWeekendDays]) {
        assert.deepEqual([...list].sort(), list, 'sorted');
        assert.equal(new Set(list).size, list.length, 'no day twice');
        for (const md of list) {
          const day = `${year.year}-${md}`;
          assert.match(md, /^\d{2}-\d{2}$/);
          assert.equal(new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10), day, `${day} exists`);
        }
      }
      for (const holiday of PUBLIC_HOLIDAYS)
        assert.ok(!year.daysOff.includes(holiday), `${holiday} listed once`);
      for (const md of year.workingWeekendDays) {
        assert.ok(isWeekend(`${year.year}-${md}`), `${md} is a Saturday or Sunday`);
        assert.ok(!year.daysOff.includes(md), `${md} is not also off`);
      }
      // Every year since 2015 has moved at least one day off.
      assert.ok(year.daysOff.some((md) => !isWeekend(`${year.year}-${md}`)));
    });
  }
});

void describe('isWorkingDay', () => {
  const cases: [string, boolean, string][] = [
    ['2026-01-08', false, 'the last of the New Year holidays'],
    ['2026-01-09', false, 'Friday off, moved from Saturday 3 January'],
    ['2026-01-12', true, 'the first working day of 2026'],
    ['2025-01-09', true, 'the first working day of 2025'],
    ['2025-11-01', true, 'a working Saturday (its day off moved to 3 November)'],
    ['2025-11-03', false, 'Monday off, moved from Saturday 1 November'],
    ['2025-12-31', false, 'moved from 5 January'],
    ['2024-12-28', true, 'a working Saturday'],
    ['2024-04-30', false, 'Tuesday off, moved from Saturday 2 November'],
    ['2020-04-15', false, 'a non-working day by decree'],
    ['2021-11-01', false, 'a non-working day by decree'],
    ['2023-02-24', false, 'Friday off, moved from Sunday 1 January'],
    ['2015-01-09', false, 'Friday off, moved from Saturday 3 January'],
    ['2027-02-20', true, 'a working Saturday (its day off moved to 22 February)'],
    ['2027-02-22', false, 'Monday off'],
    ['2026-03-04', true, 'an ordinary Wednesday'],
    ['2026-03-07', false, 'an ordinary Saturday'],
    // Years without data: the public holidays and the carry-over of ТК РФ ст. 112 ч. 2.
    ['2028-11-06', false, 'Monday after 4 November on a Saturday'],
    ['2029-11-05', false, 'Monday after 4 November on a Sunday'],
    ['2014-02-24', false, 'Monday after 23 February on a Sunday'],
    ['2014-03-10', false, 'Monday after 8 March on a Saturday'],
    ['2030-01-08', false, 'a January holiday'],
    ['2030-01-09', true, 'the day after the holidays, no decree known'],
  ];
  for (const [day, working, why] of cases) {
    void it(`${day}: ${working ? 'working' : 'day off'} (${why})`, () => {
      assert.equal(isWorkingDay(day), working);
    });
  }
});

describe('the last day to buy before a dividend skips weekends and holidays', () => {
  void it('is the trading day before the record date', () => {
    assert.equal(tradingDayBefore('2026-03-10'), '2026-03-06', 'Monday 9 March is off, then the weekend');
    assert.equal(tradingDayBefore('2026-01-12'), '2025-12-30', 'the January holidays and 31 December');
    assert.equal(tradingDayBefore('2025-11-04'), '2025-10-31', 'a working Saturday is no trading day');
    assert.equal(tradingDayBefore('2026-03-05'), '2026-03-04');
  });

  void it('MOEX ISS dividends: a record date after the holidays gives the last working day before them', async () => {
    const fakeFetch = (async () =>
      Response.json({
        dividends: {
          columns: ['secid', 'isin', 'registryclosedate', 'value', 'currencyid'],
          data: [['SBER', 'RU0009029540', '2026-01-12', 33.3, 'RUB']],
        },
      })) as typeof fetch;
    const provider = new MoexIssProvider({
      baseUrl: 'http://iss.invalid/iss',
      fetch: fakeFetch,
      now: () => new Date(),
    });
    const [dividend] = await provider.getDividends(moexUid('TQBR', 'SBER'));
    assert.equal(dividend?.recordDate?.toISOString().slice(0, 10), '2026-01-12');
    assert.equal(dividend?.lastBuyDate?.toISOString().slice(0, 10), '2025-12-30');
  });
});
