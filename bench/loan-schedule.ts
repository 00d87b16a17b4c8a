import { buildSchedule, type EarlyRepayment } from '../src/server/modules/obligations/loan-math.js';
import { monthOffset } from './household.js';
import { percentile } from './load.js';

export interface ComputeTime {
  runs: number;
  p50: number;
  p99: number;
  rows: number;
}

/** The pure schedule maths for a 30-year mortgage with 20 early repayments, timed after a warm-up. */
export function timeMortgageSchedule(runs = 500): ComputeTime {
  const terms = {
    principal: '6500000.00',
    annualRatePercent: '8.5',
    termMonths: 360,
    issueDate: '2021-03-15',
    paymentDay: 15,
    paymentType: 'annuity' as const,
    interestMethod: 'days' as const,
  };
  const earlyRepayments: EarlyRepayment[] = Array.from({ length: 20 }, (_, i) => ({
    date: `${monthOffset('2021-03', 4 + i * 4)}-20`,
    amount: '100000.00',
    mode: i % 2 === 0 ? 'reduce_term' : 'reduce_payment',
  }));
  // 80 payments marked paid on their (shifted) days with the amounts of the schedule without history.
  const payments = buildSchedule(terms)
    .rows.slice(0, 80)
    .map((r) => ({ number: r.number ?? 0, date: r.date, amount: r.payment }));
  const history = { earlyRepayments, payments };
  let rows = 0;
  for (let i = 0; i < 50; i++) rows = buildSchedule(terms, history).rows.length;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    buildSchedule(terms, history);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { runs, p50: percentile(times, 50), p99: percentile(times, 99), rows };
}
