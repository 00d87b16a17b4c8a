/**
 * The forecast's own work for a busy household: 50 schedules and 5 credits over twelve months —
 * occurrences from the rules, the credits' schedules, and the day-by-day balances.
 * Run: npm run bench:forecast   (target: p50 under 20 ms)
 */
import { addDays } from '../src/common/dates.js';
import { Big } from '../src/common/money.js';
import { buildSchedule, type LoanTerms } from '../src/server/modules/obligations/loan-math.js';
import { forecast, type ForecastEvent } from '../src/server/modules/schedules/forecast.js';
import { occurrencesBetween, type RecurrenceRule } from '../src/server/modules/schedules/recurrence.js';
import { isWorkingDay } from '../src/server/modules/obligations/calendar/index.js';
import { percentile } from './load.js';

const TODAY = '2026-03-15';
const DAYS = 365;
/** Four rouble accounts and one in dollars, counted in the total at today's rate. */
const ACCOUNTS = Array.from({ length: 5 }, (_, i) => ({
  id: `a${i}`,
  currency: i === 4 ? 'USD' : 'RUB',
  balance: '150000.00',
}));
const RATES = new Map([['USD', '78.9637']]);
const CURRENCY_OF = new Map(ACCOUNTS.map((a) => [a.id, a.currency]));
const UNITS = ['day', 'week', 'month', 'month', 'month', 'year'] as const;

const schedules = Array.from({ length: 50 }, (_, i) => {
  const unit = UNITS[i % UNITS.length]!;
  const rule: RecurrenceRule = {
    every: unit === 'day' ? 7 + (i % 5) : 1 + (i % 3),
    unit,
    monthDay: unit === 'month' ? 1 + ((i * 7) % 31) : null,
    weekday: unit === 'week' ? 1 + (i % 7) : null,
    shift: (['none', 'before', 'after'] as const)[i % 3]!,
    startDate: addDays(TODAY, -((i * 37) % 400)),
    endDate: null,
    count: null,
  };
  return { rule, accountId: `a${i % 5}`, amount: new Big(1000 + i * 137).div(100), income: i % 4 === 0 };
});

const credits: LoanTerms[] = Array.from({ length: 5 }, (_, i) => ({
  principal: `${(i + 1) * 700_000}.00`,
  annualRatePercent: `${9 + i}`,
  termMonths: 60 + i * 60,
  issueDate: addDays('2024-01-10', i * 40),
  paymentDay: 5 + i * 5,
  paymentType: i % 2 === 0 ? 'annuity' : 'differentiated',
  interestMethod: 'days',
}));

function run(): number {
  const to = addDays(TODAY, DAYS);
  const events: ForecastEvent[] = [];
  for (const s of schedules)
    for (const o of occurrencesBetween(s.rule, TODAY, to, isWorkingDay))
      events.push({
        date: o.date,
        accountId: s.accountId,
        currency: CURRENCY_OF.get(s.accountId)!,
        amount: s.income ? s.amount : s.amount.neg(),
        income: s.income,
      });
  for (const terms of credits)
    for (const r of buildSchedule(terms).rows)
      if (r.date >= TODAY && r.date <= to)
        events.push({
          date: r.date,
          accountId: null,
          currency: 'RUB',
          amount: new Big(r.payment).neg(),
          income: false,
        });
  return forecast({ today: TODAY, days: DAYS, baseCurrency: 'RUB', rates: RATES, accounts: ACCOUNTS, events })
    .total.length;
}

for (let i = 0; i < 20; i++) run();
const times: number[] = [];
for (let i = 0; i < 200; i++) {
  const start = performance.now();
  run();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(
  `forecast, 50 schedules + 5 credits, 366 days: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms (target < 20 ms)`,
);
