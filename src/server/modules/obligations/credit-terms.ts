import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import {
  buildSchedule,
  loanProgress,
  LoanTermsError,
  termMonthsUntil,
  type EarlyRepayment,
  type LoanHistory,
  type LoanSchedule,
  type LoanTerms,
  type PaidPayment,
  type PaymentShift,
  type ScheduleOptions,
} from './loan-math.js';
import type * as q from './credit-blocks.queries.js';
import type { CreateBlockBody, CreditBlockDto, CreditKind, ScheduleDto } from './credit-blocks.schemas.js';

/** The pure side of credit blocks: terms from a request, checked; stored history; schedules and DTOs. */

export const MAX_RATE_PERCENT = dec(1000);

export const blockNotFound = () => notFound('Credit block');

export type Terms = Omit<q.BlockValues, 'kind' | 'title' | 'currency' | 'status' | 'notes'>;

/** Where a body's terms come from: termMonths or closeDate (exactly one), defaults filled in. */
export function termsFromBody(body: {
  principal: string;
  annualRatePercent: string;
  termMonths?: number;
  closeDate?: string;
  issueDate: string;
  paymentDay?: number;
  paymentType?: 'annuity' | 'differentiated';
  interestMethod?: 'days' | 'monthly';
  paymentShift?: PaymentShift;
  penaltyRatePercent?: string | null;
}): Terms {
  if (body.termMonths !== undefined && body.closeDate !== undefined) {
    throw validationFailed('closeDate', 'EITHER_OR', 'give either termMonths or closeDate, not both');
  }
  if (body.termMonths === undefined && body.closeDate === undefined) {
    throw validationFailed('termMonths', 'REQUIRED', 'is required (or closeDate)');
  }
  return {
    principal: body.principal,
    annualRatePercent: body.annualRatePercent,
    termMonths: body.termMonths ?? 0, // derived from closeDate by `checkTerms`
    closeDate: body.closeDate ?? null,
    issueDate: body.issueDate,
    paymentDay: body.paymentDay ?? Number(body.issueDate.slice(8, 10)),
    paymentType: body.paymentType ?? 'annuity',
    interestMethod: body.interestMethod ?? 'days',
    paymentShift: body.paymentShift ?? 'next',
    penaltyRatePercent: body.penaltyRatePercent ?? null,
  };
}

/** Bounds the loan maths does not know about; derives the term from a close date. */
export function checkTerms(terms: Terms): Terms {
  for (const field of ['annualRatePercent', 'penaltyRatePercent'] as const) {
    const rate = terms[field];
    if (rate !== null && rate !== undefined && dec(rate).gt(MAX_RATE_PERCENT)) {
      throw validationFailed(field, 'TOO_LARGE', `must be at most ${MAX_RATE_PERCENT.toFixed()}`, {
        limit: `${MAX_RATE_PERCENT.toFixed()}`,
      });
    }
  }
  if (terms.closeDate === null || terms.closeDate === undefined) return terms;
  return { ...terms, termMonths: withTermsErrors(() => termMonthsUntil(terms.issueDate, terms.closeDate!)) };
}

export function loanTerms(terms: Terms): LoanTerms {
  return {
    principal: terms.principal,
    annualRatePercent: dec(terms.annualRatePercent).toFixed(),
    termMonths: terms.termMonths,
    issueDate: terms.issueDate,
    paymentDay: terms.paymentDay,
    paymentType: terms.paymentType as LoanTerms['paymentType'],
    interestMethod: (terms.interestMethod ?? 'days') as LoanTerms['interestMethod'],
    paymentShift: (terms.paymentShift ?? 'next') as PaymentShift,
    penaltyRatePercent:
      terms.penaltyRatePercent === null || terms.penaltyRatePercent === undefined
        ? null
        : dec(terms.penaltyRatePercent).toFixed(),
  };
}

/** A 422 naming `field`; an early repayment above the debt also gives the debt as a parameter. */
export function termsError(err: LoanTermsError, field: string): AppError {
  const message = err.message.slice(err.field.length + 2);
  if (err.code !== 'EARLY_REPAYMENT_EXCEEDS_DEBT')
    return validationFailed(field, err.code, message, err.params);
  return new AppError(422, 'EARLY_REPAYMENT_EXCEEDS_DEBT', `${field}: ${message}`, {
    fields: [{ field, code: 'EARLY_REPAYMENT_EXCEEDS_DEBT', message, params: err.params }],
  });
}

/** Impossible terms in a request body are a 422 naming the field. */
export function withTermsErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof LoanTermsError) throw termsError(err, err.field);
    throw err;
  }
}

export interface StoredHistory {
  history: LoanHistory & { payments: PaidPayment[]; earlyRepayments: EarlyRepayment[] };
  rows: q.HistoryRow[];
}

export function storedHistory(rows: q.HistoryRow[]): StoredHistory {
  const payments: PaidPayment[] = [];
  const earlyRepayments: EarlyRepayment[] = [];
  for (const row of rows) {
    if (row.kind === 'payment') payments.push({ number: row.number!, date: row.date, amount: row.amount });
    else earlyRepayments.push({ date: row.date, amount: row.amount, mode: row.mode! });
  }
  return { history: { payments, earlyRepayments }, rows };
}

/**
 * Schedules `terms` with `history`. A LoanTermsError about the item the request adds (the last one
 * of its list) names the body field; one about recorded history is a conflict: the stored payments
 * and repayments no longer fit.
 */
export function scheduleWith(
  terms: Terms,
  history: StoredHistory['history'],
  options: { today?: string; added?: 'payments' | 'earlyRepayments' } = {},
): LoanSchedule {
  const { today, added } = options;
  // A new early repayment above the debt is refused; recorded ones were settled as the bank does.
  const scheduleOptions: ScheduleOptions = { today, refuseExcess: added === 'earlyRepayments' };
  try {
    return buildSchedule(loanTerms(terms), history, scheduleOptions);
  } catch (err) {
    if (!(err instanceof LoanTermsError)) throw err;
    const m = /^(payments|earlyRepayments)\[(\d+)\]\.?(.*)$/.exec(err.field);
    const detail = err.message.slice(err.field.length + 2);
    if (!m) throw termsError(err, err.field);
    const [, list, index, field] = m as unknown as [string, 'payments' | 'earlyRepayments', string, string];
    if (list === added && Number(index) === history[list].length - 1) {
      throw termsError(err, field || 'body');
    }
    const what =
      list === 'payments'
        ? `the paid mark of payment ${history.payments[Number(index)]?.number}`
        : `the early repayment of ${history.earlyRepayments[Number(index)]?.date}`;
    throw new AppError(409, 'LOAN_HISTORY_CONFLICT', `This does not fit ${what}: ${detail}`, {
      field: err.field,
    });
  }
}

export function progressOf(schedule: LoanSchedule, today: string): CreditBlockDto['progress'] {
  const remainingPayments = schedule.rows
    .filter((row) => !row.paid)
    .reduce((total, row) => total.plus(row.payment), dec(0));
  return { ...loanProgress(schedule, today), remainingPayments: toFixed(remainingPayments) };
}

export function toDto(
  row: q.BlockRow,
  stored: StoredHistory,
  schedule: LoanSchedule,
  today: string,
): CreditBlockDto {
  return {
    id: row.id,
    kind: row.kind as CreditKind,
    title: row.title,
    principal: row.principal,
    annualRatePercent: dec(row.annualRatePercent).toFixed(),
    termMonths: row.termMonths,
    closeDate: row.closeDate,
    issueDate: row.issueDate,
    paymentDay: row.paymentDay,
    paymentType: row.paymentType as CreditBlockDto['paymentType'],
    interestMethod: row.interestMethod as CreditBlockDto['interestMethod'],
    paymentShift: row.paymentShift as PaymentShift,
    penaltyRatePercent: row.penaltyRatePercent === null ? null : dec(row.penaltyRatePercent).toFixed(),
    currency: row.currency,
    status: row.status as CreditBlockDto['status'],
    notes: row.notes,
    payments: stored.rows
      .filter((h) => h.kind === 'payment')
      .map((h) => ({ id: h.id, number: h.number!, date: h.date, amount: h.amount })),
    earlyRepayments: stored.rows
      .filter((h) => h.kind === 'early')
      .map((h) => ({ id: h.id, date: h.date, amount: h.amount, mode: h.mode! })),
    progress: progressOf(schedule, today),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function scheduleDto(schedule: LoanSchedule, today: string): ScheduleDto {
  return { today, ...schedule, progress: progressOf(schedule, today) };
}

export function valuesOf(
  body: Pick<CreateBlockBody, 'kind' | 'title' | 'currency' | 'status' | 'notes'>,
  terms: Terms,
): q.BlockValues {
  return {
    kind: body.kind,
    title: body.title.trim(),
    currency: body.currency ?? 'RUB',
    status: body.status ?? 'active',
    notes: body.notes ?? '',
    ...terms,
  };
}

export function requireTitle(title: string | undefined): void {
  if (title !== undefined && title.trim() === '')
    throw validationFailed('title', 'BLANK', 'must not be blank');
}
