import { dec, type Decimal } from '../../../common/decimal.js';
import { addDays } from '../../../common/dates.js';
import { toFixed } from '../../../common/money.js';
import type { LoanSchedule } from './loan-math.js';
import type * as q from './credit-blocks.queries.js';
import type { CreditBlockDto } from './credit-blocks.schemas.js';
import { scheduleWith, type StoredHistory } from './credit-terms.js';

/**
 * The pure side of what a user's credits add up to: the debt as it moved over time (for the net
 * worth) and the summary's totals per currency with its lists of unpaid payments.
 */

/** A move of the principal outstanding: + on the issue day, − for each payment on the day it was made. */
export interface DebtChange {
  currency: string;
  day: string;
  amount: string;
}

/** An unpaid scheduled payment of an active credit, for the summary's upcoming and overdue lists. */
export interface UnpaidCreditPayment {
  blockId: string;
  title: string;
  currency: string;
  number: number;
  date: string;
  amount: string;
  overdueDays: number;
  penalty: string;
}

export interface CreditCurrencyTotals {
  currency: string;
  count: number;
  debt: string;
  paid: string;
  remaining: string;
  penalty: string;
}

/** Overdue credit payments the summary lists; the count is always complete. */
const OVERDUE_LIST_LIMIT = 100;

/**
 * Every credit's principal outstanding as changes per currency and day: the principal on the
 * issue day, each paid row's principal off on the day it was paid (early repayments on theirs).
 * A closed credit's remainder goes off on its last payment day.
 */
export function debtChangesOf(blocks: readonly { row: q.BlockRow; stored: StoredHistory }[]): DebtChange[] {
  const out: DebtChange[] = [];
  for (const { row, stored } of blocks) {
    const paidOn = new Map(stored.history.payments.map((p) => [p.number, p.date]));
    let last = row.issueDate;
    let remaining = dec(row.principal);
    out.push({ currency: row.currency, day: row.issueDate, amount: toFixed(remaining) });
    for (const r of scheduleWith(row, stored.history).rows) {
      if (!r.paid) continue;
      const day = r.number === null ? r.date : (paidOn.get(r.number) ?? r.date);
      out.push({ currency: row.currency, day, amount: toFixed(dec(r.principal).neg()) });
      remaining = remaining.minus(r.principal);
      if (day > last) last = day;
    }
    if (row.status === 'closed' && !remaining.eq(0))
      out.push({ currency: row.currency, day: last, amount: toFixed(remaining.neg()) });
  }
  return out;
}

/**
 * Debt, paid, remaining and penalties per currency of the credits given, their overdue payments
 * and the unpaid payments due from today through `horizonDays` ahead.
 */
export function creditSummary(
  today: string,
  horizonDays: number,
  blocks: readonly { row: q.BlockRow; schedule: LoanSchedule; dto: CreditBlockDto }[],
) {
  const until = addDays(today, horizonDays);
  const totals = new Map<
    string,
    { count: number; debt: Decimal; paid: Decimal; remaining: Decimal; penalty: Decimal }
  >();
  const upcoming: UnpaidCreditPayment[] = [];
  const overdue: UnpaidCreditPayment[] = [];
  for (const { row, schedule, dto } of blocks) {
    const t = totals.get(row.currency) ?? {
      count: 0,
      debt: dec(0),
      paid: dec(0),
      remaining: dec(0),
      penalty: dec(0),
    };
    t.count++;
    t.debt = t.debt.plus(dto.progress.remainingPrincipal);
    t.paid = t.paid.plus(dto.progress.paidTotal);
    t.remaining = t.remaining.plus(dto.progress.remainingPayments);
    t.penalty = t.penalty.plus(dto.progress.penalty);
    totals.set(row.currency, t);
    for (const r of schedule.rows) {
      if (r.number === null || r.paid || r.date > until) continue;
      const payment: UnpaidCreditPayment = {
        blockId: row.id,
        title: row.title,
        currency: row.currency,
        number: r.number,
        date: r.date,
        amount: r.payment,
        overdueDays: r.overdueDays,
        penalty: r.penalty,
      };
      // The same rule as each credit's progress: unpaid and due before today is overdue.
      (r.date < today ? overdue : upcoming).push(payment);
    }
  }
  overdue.sort((a, b) => a.date.localeCompare(b.date) || a.title.localeCompare(b.title));
  const byCurrency: CreditCurrencyTotals[] = [...totals]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, t]) => ({
      currency,
      count: t.count,
      debt: toFixed(t.debt),
      paid: toFixed(t.paid),
      remaining: toFixed(t.remaining),
      penalty: toFixed(t.penalty),
    }));
  return {
    today,
    count: blocks.length,
    byCurrency,
    overduePayments: overdue.length,
    overdue: overdue.slice(0, OVERDUE_LIST_LIMIT),
    upcoming,
  };
}
