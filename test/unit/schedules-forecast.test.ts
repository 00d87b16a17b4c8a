import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, daysBetween, daysInMonth } from '../../src/common/dates.js';
import { Big, toFixed } from '../../src/common/money.js';
import { forecast, type ForecastEvent } from '../../src/server/modules/schedules/forecast.js';
import {
  isoWeekday,
  occurrencesBetween,
  type RecurrenceRule,
} from '../../src/server/modules/schedules/recurrence.js';
import { isWorkingDay } from '../../src/server/modules/obligations/calendar/index.js';

const TODAY = '2026-03-15';
const ACCOUNTS = [
  { id: 'card', currency: 'RUB', balance: '1000.00' },
  { id: 'cash', currency: 'RUB', balance: '-50.25' },
  { id: 'usd', currency: 'USD', balance: '10.00' },
  { id: 'cny', currency: 'CNY', balance: '3.33' },
];
/** Today's rates: USD is known, CNY is not. */
const USD_RATE = '78.9637';
const RATES = new Map([['USD', USD_RATE]]);

interface Schedule {
  rule: RecurrenceRule;
  accountId: string;
  kopecks: number;
  income: boolean;
}

/** Independent of recurrence.ts: walks every calendar day and asks whether the rule names it. */
function naiveDays(rule: RecurrenceRule, until: string): string[] {
  const [sy, sm, sd] = rule.startDate.split('-').map(Number) as [number, number, number];
  const out: string[] = [];
  let seen = 0;
  let firstWeekDay: string | null = null;
  for (let c = rule.startDate; c <= until; c = addDays(c, 1)) {
    if (rule.endDate !== null && c > rule.endDate) break;
    if (rule.count !== null && seen >= rule.count) break;
    const [y, m, d] = c.split('-').map(Number) as [number, number, number];
    let hit: boolean;
    if (rule.unit === 'day') hit = daysBetween(rule.startDate, c) % rule.every === 0;
    else if (rule.unit === 'week') {
      if (firstWeekDay === null && isoWeekday(c) === (rule.weekday ?? isoWeekday(rule.startDate)))
        firstWeekDay = c;
      hit = firstWeekDay !== null && daysBetween(firstWeekDay, c) % (7 * rule.every) === 0;
    } else if (rule.unit === 'month') {
      const months = (y - sy) * 12 + (m - sm);
      hit = months % rule.every === 0 && d === Math.min(rule.monthDay ?? sd, daysInMonth(y, m));
    } else {
      hit = (y - sy) % rule.every === 0 && m === sm && d === Math.min(rule.monthDay ?? sd, daysInMonth(y, m));
    }
    if (!hit) continue;
    seen++;
    let shifted = c;
    const step = rule.shift === 'before' ? -1 : 1;
    while (rule.shift !== 'none' && !isWorkingDay(shifted)) shifted = addDays(shifted, step);
    out.push(shifted);
  }
  return out;
}

/** A plain day-by-day simulation of the balances. */
function simulate(schedules: Schedule[], days: number) {
  const balances = new Map(ACCOUNTS.map((a) => [a.id, new Big(a.balance)]));
  const byDay = new Map<string, Schedule[]>();
  for (const s of schedules)
    for (const d of naiveDays(s.rule, addDays(TODAY, days + 20)))
      if (d >= TODAY) byDay.set(d, [...(byDay.get(d) ?? []), s]);
  const total: string[] = [];
  const perAccount = new Map(ACCOUNTS.map((a) => [a.id, [] as string[]]));
  for (let i = 0; i <= days; i++) {
    const day = addDays(TODAY, i);
    for (const s of byDay.get(day) ?? []) {
      const amount = new Big(s.kopecks).div(100);
      balances.set(s.accountId, balances.get(s.accountId)!.plus(s.income ? amount : amount.neg()));
    }
    let t = new Big(0);
    for (const a of ACCOUNTS) {
      const balance = balances.get(a.id)!;
      perAccount.get(a.id)!.push(toFixed(balance));
      if (a.currency === 'RUB') t = t.plus(balance);
      else if (a.currency === 'USD') t = t.plus(toFixed(balance.times(USD_RATE)));
    }
    total.push(toFixed(t));
  }
  return { total, perAccount };
}

const scheduleArb = fc
  .record({
    unit: fc.constantFrom('day', 'week', 'month', 'year' as const),
    every: fc.integer({ min: 1, max: 4 }),
    monthDay: fc.option(fc.integer({ min: 1, max: 31 })),
    weekday: fc.option(fc.integer({ min: 1, max: 7 })),
    shift: fc.constantFrom('none', 'before', 'after' as const),
    startOffset: fc.integer({ min: -400, max: 100 }),
    endAfter: fc.option(fc.integer({ min: 0, max: 300 })),
    count: fc.option(fc.integer({ min: 1, max: 30 })),
    accountId: fc.constantFrom('card', 'cash', 'usd', 'cny'),
    kopecks: fc.integer({ min: 1, max: 50_000_000 }),
    income: fc.boolean(),
  })
  .map((r): Schedule => {
    const startDate = addDays(TODAY, r.startOffset);
    const byMonth = r.unit === 'month' || r.unit === 'year';
    return {
      rule: {
        every: r.every,
        unit: r.unit,
        monthDay: byMonth ? r.monthDay : null,
        weekday: r.unit === 'week' ? r.weekday : null,
        shift: r.shift,
        startDate,
        endDate: r.endAfter === null || r.count !== null ? null : addDays(startDate, r.endAfter),
        count: r.count,
      },
      accountId: r.accountId,
      kopecks: r.kopecks,
      income: r.income,
    };
  });

describe('forecast', () => {
  it('equals a plain day-by-day simulation over random schedules', () => {
    const DAYS = 120;
    fc.assert(
      fc.property(fc.array(scheduleArb, { maxLength: 8 }), (schedules) => {
        const events: ForecastEvent[] = schedules.flatMap((s) =>
          occurrencesBetween(s.rule, TODAY, addDays(TODAY, DAYS), isWorkingDay).map((o) => {
            const amount = new Big(s.kopecks).div(100);
            return {
              date: o.date,
              accountId: s.accountId,
              currency: ACCOUNTS.find((a) => a.id === s.accountId)!.currency,
              amount: s.income ? amount : amount.neg(),
              income: s.income,
            };
          }),
        );
        const result = forecast({
          today: TODAY,
          days: DAYS,
          baseCurrency: 'RUB',
          rates: RATES,
          accounts: ACCOUNTS,
          events,
        });
        assert.deepEqual(result.leftOut, ['CNY']);
        const plain = simulate(schedules, DAYS);
        assert.deepEqual(result.total, plain.total);
        for (const a of result.accounts) assert.deepEqual(a.balances, plain.perAccount.get(a.id));
        const lowest = plain.total.reduce((lo, t, i) => (new Big(t).lt(plain.total[lo]!) ? i : lo), 0);
        assert.deepEqual(result.lowest, { date: addDays(TODAY, lowest), total: plain.total[lowest] });
      }),
      { numRuns: 150 },
    );
  });

  it('finds the lowest point, the next income and what is free until it', () => {
    const ev = (date: string, amount: string, accountId: string | null, income = false): ForecastEvent => ({
      date,
      accountId,
      currency: 'RUB',
      amount: new Big(amount),
      income,
    });
    const result = forecast({
      today: '2026-03-01',
      days: 10,
      baseCurrency: 'RUB',
      rates: new Map(),
      accounts: [{ id: 'card', currency: 'RUB', balance: '100.00' }],
      events: [
        ev('2026-02-27', '-10.00', 'card'), // overdue: counts today
        ev('2026-03-03', '-70.01', null), // a loan payment on no account
        ev('2026-03-05', '500.00', 'card', true),
        ev('2026-03-06', '-600.00', 'card'),
      ],
    });
    assert.equal(result.total[0], '90.00');
    assert.equal(result.total[2], '19.99');
    assert.equal(result.nextIncome, '2026-03-05');
    assert.equal(result.freeUntilNextIncome, '19.99');
    assert.deepEqual(result.lowest, { date: '2026-03-06', total: '-80.01' });
    assert.deepEqual(result.leftOut, []);
  });

  it("counts other currencies at today's rate, each balance and each payment rounded to the kopeck", () => {
    const result = forecast({
      today: '2026-03-01',
      days: 3,
      baseCurrency: 'RUB',
      rates: new Map([['USD', '78.9637']]),
      accounts: [
        { id: 'card', currency: 'RUB', balance: '100.00' },
        { id: 'usd', currency: 'USD', balance: '10.01' },
        { id: 'eur', currency: 'EUR', balance: '5.00' },
      ],
      events: [
        // 10.01 × 78.9637 = 790.426637 → 790.43; a USD income on the 2nd makes 20.01 → 1580.06.
        { date: '2026-03-02', accountId: 'usd', currency: 'USD', amount: new Big('10.00'), income: true },
        // A USD loan payment on no account: 1.00 × 78.9637 → 78.96.
        { date: '2026-03-03', accountId: null, currency: 'USD', amount: new Big('-1.00'), income: false },
        { date: '2026-03-03', accountId: null, currency: 'EUR', amount: new Big('-1.00'), income: false },
      ],
    });
    assert.deepEqual(result.total, ['890.43', '1680.06', '1601.10', '1601.10']);
    assert.equal(result.nextIncome, '2026-03-02');
    assert.deepEqual(result.leftOut, ['EUR']);
    assert.deepEqual(result.accounts.find((a) => a.id === 'usd')?.balances, [
      '10.01',
      '20.01',
      '20.01',
      '20.01',
    ]);
  });
});
