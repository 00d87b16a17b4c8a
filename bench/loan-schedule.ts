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
    issueDate: '2019-03-15',
    paymentDay: 15,
    paymentType: 'annuity' as const,
    interestMethod: 'days' as const,
  };
  const earlyRepayments: EarlyRepayment[] = Array.from({ length: 20 }, (_, i) => ({
    date: `${monthOffset('2019-03', 4 + i * 4)}-20`,
    amount: '100000.00',
    mode: i % 2 === 0 ? 'reduce_term' : 'reduce_payment',
  }));
  const payments = Array.from({ length: 80 }, (_, i) => ({
    number: i + 1,
    date: `${monthOffset('2019-04', i)}-15`,
    amount: '0',
  }));
  // The amount due of each paid payment comes from the schedule without history.
  const plain = buildSchedule(terms);
  for (const p of payments) {
    p.amount = plain.rows.find((r) => r.number === p.number)?.payment ?? '0';
  }
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
