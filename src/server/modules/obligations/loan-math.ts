/**
 * Loan maths for credit blocks: the payment schedule (annuity or differentiated), interest by actual
 * days or by the textbook r = R/12, early repayments recomputed from the actual history, and
 * progress as of a given day, payment days moved off non-working days by the Russian production
 * calendar, penalties on overdue payments. Pure: no I/O, no clock ("today" is a parameter).
 *
 * Amounts are exact: decimal strings and Decimal at the boundary, integer kopecks (bigint) inside the
 * engine, where every rounding is one explicit half-up division. Kopecks rather than Decimal because a
 * 30-year schedule spent most of its time in Decimal's 30-digit divisions. Calendar days are
 * 'YYYY-MM-DD' strings outside and integer UTC day numbers inside, so no time zone can shift a date.
 */
import { Decimal, dec } from '../../../common/decimal.js';
import { isDecimal, toFixed } from '../../../common/money.js';
import { isWorkingDay } from '../../../common/calendar/index.js';

export type PaymentType = 'annuity' | 'differentiated';
/** `days`: actual days / 365 or 366, split at 31 December; `monthly`: textbook B·R/12 a period. */
export type InterestMethod = 'days' | 'monthly';
export type EarlyRepaymentMode = 'reduce_term' | 'reduce_payment';
/**
 * Where a payment day that is not a working day goes: to the next working day, to the previous one,
 * or nowhere. Interest always runs to the day the payment actually falls on.
 */
export type PaymentShift = 'next' | 'previous' | 'none';
export const PAYMENT_SHIFTS: readonly PaymentShift[] = ['next', 'previous', 'none'];

export interface LoanTerms {
  /** Amount borrowed, decimal string with at most 2 places. */
  principal: string;
  /** Nominal annual rate in percent, decimal string: "12", "9.75". */
  annualRatePercent: string;
  /** Number of monthly payments (1..600); `termMonthsUntil` derives it from a close date. */
  termMonths: number;
  issueDate: string;
  /** Day of the month of each payment, 1..31; a shorter month uses its last day. */
  paymentDay: number;
  paymentType: PaymentType;
  interestMethod: InterestMethod;
  /** Default `next`: the next working day of the production calendar. */
  paymentShift?: PaymentShift;
  /**
   * Penalty (неустойка) for an overdue payment, percent a year of the overdue payment per day late,
   * decimal string; absent or null: none. A contract's "0.1 % a day" is 36.5.
   */
  penaltyRatePercent?: string | null;
}

/** A scheduled payment marked paid. */
export interface PaidPayment {
  /** Scheduled payment number, 1-based; stable across early repayments. */
  number: number;
  /** When it was paid: interest follows the schedule dates; a day after the due date accrues a penalty. */
  date: string;
  /** Amount actually paid; what differs from the amount due moves the balance, the last payment absorbs it. */
  amount: string;
}

export interface EarlyRepayment {
  /** Any day from the issue date up to the payoff date. */
  date: string;
  amount: string;
  mode: EarlyRepaymentMode;
}

export interface LoanHistory {
  payments?: readonly PaidPayment[];
  earlyRepayments?: readonly EarlyRepayment[];
}

export interface ScheduleRow {
  /** Scheduled payment number; null on an early repayment row. */
  number: number | null;
  /** Payment day after the shift off non-working days; for an early repayment, its own date. */
  date: string;
  kind: 'scheduled' | 'early';
  payment: string;
  interest: string;
  principal: string;
  /** Principal outstanding after this row. */
  balance: string;
  /** A scheduled payment marked paid, or an early repayment (which is history by definition). */
  paid: boolean;
  /** Days late: to the day it was paid, or to today while unpaid; 0 on time and on early rows. */
  overdueDays: number;
  /** Penalty on the payment for those days; 0.00 without a penalty rate. */
  penalty: string;
}

export interface LoanTotals {
  totalPaid: string;
  totalInterest: string;
  payoffDate: string;
  /** Scheduled payments, early repayment rows not counted. */
  paymentCount: number;
}

export interface LoanSchedule {
  principal: string;
  rows: ScheduleRow[];
  totals: LoanTotals;
  /** The schedule from the terms alone, without any history. */
  baseline: LoanTotals;
  /** baseline.totalInterest − totals.totalInterest. */
  interestSaved: string;
  /** Penalties of all rows. */
  penalty: string;
}

export interface ScheduleOptions {
  /** The day penalties of unpaid overdue payments run to; without it they count none. */
  today?: string;
  /**
   * Refuse an early repayment above what is owed on its day (principal plus accrued interest) instead
   * of taking only that much. New entries are refused; history recorded before this rule is read as
   * the bank settles it, the excess returned.
   */
  refuseExcess?: boolean;
}

export interface NextPayment {
  number: number;
  date: string;
  amount: string;
  daysUntil: number;
}

export interface LoanProgress {
  paidTotal: string;
  paidInterest: string;
  paidPrincipal: string;
  remainingPrincipal: string;
  /** paidPrincipal / principal · 100, 2 places. */
  percentRepaid: string;
  /** First unpaid scheduled payment due today or later; null once there is none. */
  nextPayment: NextPayment | null;
  /** Unpaid scheduled payments due before today. */
  overduePayments: number;
  payoffDate: string;
  totalInterest: string;
  interestSaved: string;
  /** Penalties accrued so far (see ScheduleRow.penalty). */
  penalty: string;
}

/**
 * Impossible terms or history; `field` names the offending input, e.g. `earlyRepayments[2].date`;
 * `params` carries the figures a message needs, e.g. the remaining debt.
 */
export class LoanTermsError extends Error {
  readonly field: string;
  /** The field problem's stable code (see `validationFailed`). */
  readonly code: string;
  readonly params?: Readonly<Record<string, string>>;

  constructor(field: string, code: string, message: string, params?: Record<string, string>) {
    super(`${field}: ${message}`);
    this.name = 'LoanTermsError';
    this.field = field;
    this.code = code;
    this.params = params;
  }
}

const MAX_TERM_MONTHS = 600;
const RATE_SCALE = 9; // rates are numeric(30,9)

// ---------------------------------------------------------------------------------------------
// Calendar days as integer UTC day numbers (days since 1970-01-01).

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

function daysInYear(year: number): number {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function parseDay(value: string, field: string): number {
  const m = ISO_DATE.exec(value);
  if (m) {
    const year = Number(m[1]);
    const month0 = Number(m[2]) - 1;
    const date = Number(m[3]);
    // Date.UTC maps years 0..99 to the 1900s; 1900..2999 leaves room for 50-year terms.
    if (
      year >= 1900 &&
      year <= 2999 &&
      month0 >= 0 &&
      month0 <= 11 &&
      date >= 1 &&
      date <= daysInMonth(year, month0)
    ) {
      return Date.UTC(year, month0, date) / DAY_MS;
    }
  }
  throw new LoanTermsError(field, 'INVALID', `"${value}" is not a calendar date YYYY-MM-DD`);
}

function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function monthIndexOf(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** A payment day moved off non-working days of the production calendar as `shift` says. */
function movedDay(nominal: number, shift: PaymentShift): number {
  if (shift === 'none') return nominal;
  const step = shift === 'next' ? 1 : -1;
  let day = nominal;
  while (!isWorkingDay(formatDay(day))) day += step;
  return day;
}

/**
 * Number of monthly payments for a loan that closes on `closeDate`: the last payment falls in the
 * close date's month, so this is the count of calendar months from issue to close.
 */
export function termMonthsUntil(issueDate: string, closeDate: string): number {
  const issue = parseDay(issueDate, 'issueDate');
  const close = parseDay(closeDate, 'closeDate');
  const months = monthIndexOf(close) - monthIndexOf(issue);
  if (months < 1)
    throw new LoanTermsError('closeDate', 'INVALID', 'must be in a later month than the issue date');
  if (months > MAX_TERM_MONTHS)
    throw new LoanTermsError('closeDate', 'INVALID', `the term exceeds ${MAX_TERM_MONTHS} months`);
  return months;
}

// ---------------------------------------------------------------------------------------------
// Interest and payment sizing.

/** Money inside the engine. */
type Kopecks = bigint;

function toKopecks(amount: Decimal): Kopecks {
  return amount.toMinor(2);
}

function formatKopecks(amount: Kopecks): string {
  return Decimal.fromMinor(amount, 2).toFixed(2);
}

/** round(x / y) half-up for x ≥ 0, y > 0: the engine's only rounding. */
function divideHalfUp(x: bigint, y: bigint): bigint {
  return (2n * x + y) / (2n * y);
}

/** A non-negative rate as an exact fraction num/den, reduced. */
interface Fraction {
  num: bigint;
  den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function fraction(num: bigint, den: bigint): Fraction {
  const divisor = gcd(num, den);
  return { num: num / divisor, den: den / divisor };
}

/** The annual rate in percent, R = num/den; its monthly rate r = R/(12·100) is fraction(num, den·1200). */
function percentFraction(annualRatePercent: Decimal): Fraction {
  return fraction(annualRatePercent.m, 10n ** BigInt(annualRatePercent.s));
}

/**
 * Annuity payment, half-up to kopecks: A = round(B·r/(1 − (1+r)^−m)). With r = a/d this is
 * B·a·(d+a)^m / (d·((d+a)^m − d^m)): two integer powers and one exact division, nothing rounded
 * before the end. A 0 % rate gives B/m.
 */
function annuityAmount(balance: Kopecks, monthly: Fraction, months: number): Kopecks {
  if (monthly.num === 0n) return divideHalfUp(balance, BigInt(months));
  const grown = (monthly.den + monthly.num) ** BigInt(months);
  const base = monthly.den ** BigInt(months);
  return divideHalfUp(balance * monthly.num * grown, monthly.den * (grown - base));
}

/** Annuity payment for `principal` (roubles.kopecks) over `months` at `annualRatePercent`, half-up to kopecks. */
export function annuityPayment(principal: Decimal, annualRatePercent: Decimal, months: number): Decimal {
  const percent = percentFraction(annualRatePercent);
  const monthly = fraction(percent.num, percent.den * 1200n);
  return dec(formatKopecks(annuityAmount(toKopecks(principal), monthly, months)));
}

/**
 * Interest on `balance` accrued after day `from` through day `to` inclusive, the Russian bank way:
 * each calendar year's part is I = B·R·d/(100·Y) with Y = 365 or 366, rounded on its own, so a
 * period crossing 31 December is split and 1 January counts in the new year.
 */
function interestByDayNumbers(balance: Kopecks, percent: Fraction, from: number, to: number): Kopecks {
  let total = 0n;
  for (let cursor = from; cursor < to;) {
    const year = yearOf(cursor + 1); // the year of the first day accrued in this part
    const end = Math.min(to, Date.UTC(year, 11, 31) / DAY_MS);
    total += divideHalfUp(
      balance * percent.num * BigInt(end - cursor),
      percent.den * BigInt(100 * daysInYear(year)),
    );
    cursor = end;
  }
  return total;
}

/** Interest by actual days after `fromDate` through `toDate`, as the method `days` charges it. */
export function interestByDays(
  balance: Decimal,
  annualRatePercent: Decimal,
  fromDate: string,
  toDate: string,
): Decimal {
  const from = parseDay(fromDate, 'fromDate');
  const to = parseDay(toDate, 'toDate');
  const interest = interestByDayNumbers(toKopecks(balance), percentFraction(annualRatePercent), from, to);
  return dec(formatKopecks(interest));
}

// ---------------------------------------------------------------------------------------------
// Validation: public shapes in, a normalised loan out.

interface Loan {
  principal: Kopecks;
  /** Annual rate in percent, R. */
  percent: Fraction;
  /** Monthly rate r = R/(12·100). */
  monthly: Fraction;
  termMonths: number;
  issueDay: number;
  issueMonthIndex: number;
  paymentDay: number;
  paymentType: PaymentType;
  interestMethod: InterestMethod;
  paymentShift: PaymentShift;
  /** Penalty rate in percent a year; null without one. */
  penalty: Fraction | null;
}

interface PaidMark {
  day: number;
  amount: Kopecks;
  field: string;
}

interface EarlyEvent {
  day: number;
  amount: Kopecks;
  mode: EarlyRepaymentMode;
  field: string;
}

function parseAmount(value: unknown, field: string, scale: number): Decimal {
  if (typeof value !== 'string' || !isDecimal(value, scale)) {
    throw new LoanTermsError(field, 'INVALID', `must be a decimal string with at most ${scale} places`);
  }
  return dec(value);
}

function parsePositiveAmount(value: unknown, field: string): Kopecks {
  const amount = parseAmount(value, field, 2);
  if (amount.lte(0)) throw new LoanTermsError(field, 'NOT_POSITIVE', 'must be greater than 0');
  return toKopecks(amount);
}

function parseLoan(terms: LoanTerms): Loan {
  const principal = parsePositiveAmount(terms.principal, 'principal');
  const ratePercent = parseAmount(terms.annualRatePercent, 'annualRatePercent', RATE_SCALE);
  if (ratePercent.lt(0)) throw new LoanTermsError('annualRatePercent', 'NEGATIVE', 'must not be negative');
  const { termMonths, paymentDay, paymentType, interestMethod } = terms;
  if (!Number.isInteger(termMonths) || termMonths < 1 || termMonths > MAX_TERM_MONTHS) {
    throw new LoanTermsError(
      'termMonths',
      'INVALID',
      `must be a whole number of months from 1 to ${MAX_TERM_MONTHS}`,
    );
  }
  if (!Number.isInteger(paymentDay) || paymentDay < 1 || paymentDay > 31) {
    throw new LoanTermsError('paymentDay', 'INVALID', 'must be a day of the month from 1 to 31');
  }
  if (paymentType !== 'annuity' && paymentType !== 'differentiated') {
    throw new LoanTermsError('paymentType', 'INVALID', 'must be annuity or differentiated');
  }
  if (interestMethod !== 'days' && interestMethod !== 'monthly') {
    throw new LoanTermsError('interestMethod', 'INVALID', 'must be days or monthly');
  }
  const paymentShift = terms.paymentShift ?? 'next';
  if (!PAYMENT_SHIFTS.includes(paymentShift)) {
    throw new LoanTermsError('paymentShift', 'INVALID', `must be one of ${PAYMENT_SHIFTS.join(', ')}`);
  }
  let penalty: Fraction | null = null;
  if (terms.penaltyRatePercent !== undefined && terms.penaltyRatePercent !== null) {
    const penaltyPercent = parseAmount(terms.penaltyRatePercent, 'penaltyRatePercent', RATE_SCALE);
    if (penaltyPercent.lt(0))
      throw new LoanTermsError('penaltyRatePercent', 'NEGATIVE', 'must not be negative');
    penalty = percentFraction(penaltyPercent);
  }
  const issueDay = parseDay(terms.issueDate, 'issueDate');
  const percent = percentFraction(ratePercent);
  return {
    principal,
    percent,
    monthly: fraction(percent.num, percent.den * 1200n),
    termMonths,
    issueDay,
    issueMonthIndex: monthIndexOf(issueDay),
    paymentDay,
    paymentType,
    interestMethod,
    paymentShift,
    penalty,
  };
}

function parsePaidMarks(loan: Loan, payments: readonly PaidPayment[]): Map<number, PaidMark> {
  const marks = new Map<number, PaidMark>();
  payments.forEach((payment, i) => {
    const field = `payments[${i}]`;
    if (!Number.isInteger(payment.number) || payment.number < 1) {
      throw new LoanTermsError(`${field}.number`, 'INVALID', 'must be a payment number from 1');
    }
    if (marks.has(payment.number)) {
      throw new LoanTermsError(
        `${field}.number`,
        'INVALID',
        `payment ${payment.number} is marked paid twice`,
      );
    }
    const day = parseDay(payment.date, `${field}.date`);
    if (day < loan.issueDay) throw new LoanTermsError(`${field}.date`, 'INVALID', 'is before the issue date');
    marks.set(payment.number, { day, amount: parsePositiveAmount(payment.amount, `${field}.amount`), field });
  });
  return marks;
}

function parseEarlyRepayments(loan: Loan, repayments: readonly EarlyRepayment[]): EarlyEvent[] {
  const events = repayments.map((repayment, i): EarlyEvent => {
    const field = `earlyRepayments[${i}]`;
    const day = parseDay(repayment.date, `${field}.date`);
    if (day < loan.issueDay) throw new LoanTermsError(`${field}.date`, 'INVALID', 'is before the issue date');
    if (repayment.mode !== 'reduce_term' && repayment.mode !== 'reduce_payment') {
      throw new LoanTermsError(`${field}.mode`, 'INVALID', 'must be reduce_term or reduce_payment');
    }
    return {
      day,
      amount: parsePositiveAmount(repayment.amount, `${field}.amount`),
      mode: repayment.mode,
      field,
    };
  });
  // Stable: repayments on the same day apply in the order given.
  return events.sort((a, b) => a.day - b.day);
}

// ---------------------------------------------------------------------------------------------
// The schedule engine: walks the periods once, applying history as it comes.

interface Row {
  number: number | null;
  day: number;
  payment: Kopecks;
  interest: Kopecks;
  principal: Kopecks;
  balance: Kopecks;
  paid: boolean;
  overdueDays: number;
  penalty: Kopecks;
}

/**
 * What the remaining scheduled payments look like: `amount` is the annuity payment A or the
 * differentiated principal part D; payment `lastNumber` (or an earlier one that would overpay)
 * takes the residue, so the balance ends at exactly 0.00.
 */
interface Plan {
  amount: Kopecks;
  lastNumber: number;
}

function sizePlan(loan: Loan, balance: Kopecks, months: number): Kopecks {
  return loan.paymentType === 'annuity'
    ? annuityAmount(balance, loan.monthly, months)
    : divideHalfUp(balance, BigInt(months));
}

/**
 * Payment k falls in the k-th month after issue, on the payment day clamped to the month end, then
 * moved off a non-working day, never onto or before the issue day. Interest runs to that actual day, as Russian banks count it: a period
 * runs from the previous payment's actual day to this one's.
 */
function paymentDay(loan: Loan, k: number): number {
  const monthIndex = loan.issueMonthIndex + k;
  const year = Math.floor(monthIndex / 12);
  const month0 = monthIndex % 12;
  const nominal = Date.UTC(year, month0, Math.min(loan.paymentDay, daysInMonth(year, month0))) / DAY_MS;
  const moved = movedDay(nominal, loan.paymentShift);
  // A payment moved back onto or before the issue day (a loan issued on 30 December, paid on the
  // 1st) would open a period of no days or fewer: it goes to the next working day instead.
  return moved > loan.issueDay ? moved : movedDay(nominal, 'next');
}

/**
 * Interest on `balance` for days (from, to] of a period that is `periodDays` long. The textbook
 * method charges B·R/12 for a whole period and, by our convention, a pro-rata share by days of it
 * for a part: I = B·R·d/(1200·D) — so an early repayment splits a period's interest without
 * adding or losing any.
 */
function accrue(loan: Loan, balance: Kopecks, from: number, to: number, periodDays: number): Kopecks {
  if (loan.interestMethod === 'days') return interestByDayNumbers(balance, loan.percent, from, to);
  // Two payments moved onto one day (April 2020 was off by decree): the second accrues nothing.
  if (to <= from) return 0n;
  return divideHalfUp(
    balance * loan.percent.num * BigInt(to - from),
    loan.percent.den * BigInt(1200 * periodDays),
  );
}

function runSchedule(
  loan: Loan,
  marks: ReadonlyMap<number, PaidMark>,
  early: readonly EarlyEvent[],
  refuseExcess: boolean,
): Row[] {
  const rows: Row[] = [];
  const annuity = loan.paymentType === 'annuity';
  let plan: Plan = { amount: sizePlan(loan, loan.principal, loan.termMonths), lastNumber: loan.termMonths };
  let balance = loan.principal;
  let periodStart = loan.issueDay; // the previous scheduled payment's day
  let accruedFrom = loan.issueDay; // interest is settled through this day
  let nextEarly = 0;

  for (let k = 1; balance > 0n; k++) {
    const date = paymentDay(loan, k);
    const periodDays = date - periodStart;

    // Early repayments before this payment's accrual day; one on that very day comes after it.
    for (let e = early[nextEarly]; e && e.day < date && balance > 0n; e = early[++nextEarly]) {
      const interest = accrue(loan, balance, accruedFrom, e.day, periodDays);
      if (e.amount <= interest) {
        throw new LoanTermsError(
          `${e.field}.amount`,
          'INVALID',
          `must exceed the interest accrued by then, ${formatKopecks(interest)}`,
        );
      }
      // It covers the accrued interest first; anything beyond the full debt is refused or not taken.
      const owed = balance + interest;
      if (refuseExcess && e.amount > owed) {
        throw new LoanTermsError(
          `${e.field}.amount`,
          'EARLY_REPAYMENT_EXCEEDS_DEBT',
          `exceeds the remaining debt on that day, ${formatKopecks(owed)}`,
          { remainingDebt: formatKopecks(owed) },
        );
      }
      const payment = e.amount > owed ? owed : e.amount;
      const principal = payment - interest;
      balance -= principal;
      accruedFrom = e.day;
      rows.push({
        number: null,
        day: e.day,
        payment,
        interest,
        principal,
        balance,
        paid: true,
        overdueDays: 0,
        penalty: 0n,
      });
      if (balance > 0n && e.mode === 'reduce_payment') {
        // Same number of payments left, smaller payment: A' = round(B'·r/(1−(1+r)^−m)), D' = round(B'/m).
        plan = { ...plan, amount: sizePlan(loan, balance, Math.max(1, plan.lastNumber - (k - 1))) };
      }
      // reduce_term keeps A (or D): the first payment that would overpay becomes the last one.
    }
    if (balance === 0n) break;

    const interest = accrue(loan, balance, accruedFrom, date, periodDays);
    const due = annuity ? plan.amount - interest : plan.amount; // principal part if not the last
    let principal = k >= plan.lastNumber || due >= balance ? balance : due;
    let payment = principal + interest;
    const mark = marks.get(k);
    if (mark) {
      if (mark.amount < interest) {
        throw new LoanTermsError(
          `${mark.field}.amount`,
          'INVALID',
          `is less than the interest due, ${formatKopecks(interest)}`,
        );
      }
      // What was paid counts, capped at the full debt (the bank refunds any excess).
      const owed = balance + interest;
      payment = mark.amount > owed ? owed : mark.amount;
      principal = payment - interest;
    }
    balance -= principal;
    periodStart = date;
    accruedFrom = date;
    rows.push({
      number: k,
      day: date,
      payment,
      interest,
      principal,
      balance,
      paid: mark !== undefined,
      overdueDays: 0,
      penalty: 0n,
    });
  }

  const late = early[nextEarly];
  if (late) throw new LoanTermsError(`${late.field}.date`, 'INVALID', 'is after the loan is repaid');
  const lastNumber = rows.reduce((n, row) => row.number ?? n, 0);
  for (const [number, mark] of marks) {
    if (number > lastNumber) {
      throw new LoanTermsError(`${mark.field}.number`, 'INVALID', `the loan ends at payment ${lastNumber}`);
    }
  }
  return rows;
}

/**
 * Penalties of the scheduled rows: a payment paid after its day, or still unpaid on `today`, accrues
 * round(payment · penalty rate · days / (100 · Y)) for each day late, split at 31 December like
 * interest (Y = 365 or 366). The penalty is owed on top; it does not move the balance.
 */
function applyPenalties(
  loan: Loan,
  rows: Row[],
  marks: ReadonlyMap<number, PaidMark>,
  today: number | null,
): void {
  for (const row of rows) {
    if (row.number === null) continue;
    const settled = marks.get(row.number)?.day ?? today;
    if (settled === null || settled <= row.day) continue;
    row.overdueDays = settled - row.day;
    if (loan.penalty) row.penalty = interestByDayNumbers(row.payment, loan.penalty, row.day, settled);
  }
}

interface Totals {
  paid: Kopecks;
  interest: Kopecks;
  paymentCount: number;
  payoffDay: number;
}

function totalsOf(rows: readonly Row[]): Totals {
  const totals: Totals = { paid: 0n, interest: 0n, paymentCount: 0, payoffDay: 0 };
  for (const row of rows) {
    totals.paid += row.payment;
    totals.interest += row.interest;
    if (row.number !== null) totals.paymentCount++;
    totals.payoffDay = row.day;
  }
  return totals;
}

function formatTotals(totals: Totals): LoanTotals {
  return {
    totalPaid: formatKopecks(totals.paid),
    totalInterest: formatKopecks(totals.interest),
    payoffDate: formatDay(totals.payoffDay),
    paymentCount: totals.paymentCount,
  };
}

/**
 * The payment schedule for `terms`, recomputed from the actual `history`: scheduled payments marked
 * paid and early repayments on any day. Also returns the totals of the plain schedule (`baseline`)
 * so the caller can show what the history saved.
 * @throws LoanTermsError naming the field of impossible terms or history
 */
export function buildSchedule(
  terms: LoanTerms,
  history: LoanHistory = {},
  options: ScheduleOptions = {},
): LoanSchedule {
  const loan = parseLoan(terms);
  const marks = parsePaidMarks(loan, history.payments ?? []);
  const early = parseEarlyRepayments(loan, history.earlyRepayments ?? []);
  const today = options.today === undefined ? null : parseDay(options.today, 'today');
  const actual = runSchedule(loan, marks, early, options.refuseExcess ?? false);
  applyPenalties(loan, actual, marks, today);
  const totals = totalsOf(actual);
  const baseline =
    marks.size === 0 && early.length === 0 ? totals : totalsOf(runSchedule(loan, new Map(), [], false));
  return {
    principal: formatKopecks(loan.principal),
    rows: actual.map((row) => ({
      number: row.number,
      date: formatDay(row.day),
      kind: row.number === null ? 'early' : 'scheduled',
      payment: formatKopecks(row.payment),
      interest: formatKopecks(row.interest),
      principal: formatKopecks(row.principal),
      balance: formatKopecks(row.balance),
      paid: row.paid,
      overdueDays: row.overdueDays,
      penalty: formatKopecks(row.penalty),
    })),
    totals: formatTotals(totals),
    baseline: formatTotals(baseline),
    interestSaved: formatKopecks(baseline.interest - totals.interest),
    penalty: formatKopecks(actual.reduce((sum, row) => sum + row.penalty, 0n)),
  };
}

/** Where the loan stands on `today`: what is paid, what is left, and the next payment. */
export function loanProgress(schedule: LoanSchedule, today: string): LoanProgress {
  const todayDay = parseDay(today, 'today');
  let paidTotal = dec(0);
  let paidInterest = dec(0);
  let paidPrincipal = dec(0);
  let nextPayment: NextPayment | null = null;
  let overduePayments = 0;
  for (const row of schedule.rows) {
    if (row.paid) {
      paidTotal = paidTotal.plus(row.payment);
      paidInterest = paidInterest.plus(row.interest);
      paidPrincipal = paidPrincipal.plus(row.principal);
    } else if (row.number !== null) {
      const daysUntil = parseDay(row.date, 'date') - todayDay;
      if (daysUntil < 0) overduePayments++;
      else nextPayment ??= { number: row.number, date: row.date, amount: row.payment, daysUntil };
    }
  }
  const principal = dec(schedule.principal);
  return {
    paidTotal: toFixed(paidTotal),
    paidInterest: toFixed(paidInterest),
    paidPrincipal: toFixed(paidPrincipal),
    remainingPrincipal: toFixed(principal.minus(paidPrincipal)),
    percentRepaid: toFixed(paidPrincipal.times(100).div(principal)),
    nextPayment,
    overduePayments,
    payoffDate: schedule.totals.payoffDate,
    totalInterest: schedule.totals.totalInterest,
    interestSaved: schedule.interestSaved,
    penalty: schedule.penalty,
  };
}
