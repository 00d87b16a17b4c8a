import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import { addDays } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
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
import * as q from './credit-blocks.queries.js';
import type {
  CreateBlockBody,
  CreditBlockDto,
  CreditKind,
  EarlyRepaymentBody,
  EarlyRepaymentPreviewDto,
  MarkPaidBody,
  PatchBlockBody,
  PreviewBody,
  ScheduleDto,
} from './credit-blocks.schemas.js';

export interface CreditBlocksServiceDeps {
  db: Db;
  /** The user's calendar day now, in their time zone. */
  userToday: (userId: string) => Promise<string>;
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

const MAX_RATE_PERCENT = dec(1000);

const blockNotFound = () => notFound('Credit block');

type Terms = Omit<q.BlockValues, 'kind' | 'title' | 'currency' | 'status' | 'notes'>;

/** Where a body's terms come from: termMonths or closeDate (exactly one), defaults filled in. */
function termsFromBody(body: {
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
    throw validationFailed('closeDate', 'give either termMonths or closeDate, not both');
  }
  if (body.termMonths === undefined && body.closeDate === undefined) {
    throw validationFailed('termMonths', 'is required (or closeDate)');
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
function checkTerms(terms: Terms): Terms {
  for (const field of ['annualRatePercent', 'penaltyRatePercent'] as const) {
    const rate = terms[field];
    if (rate !== null && rate !== undefined && dec(rate).gt(MAX_RATE_PERCENT)) {
      throw validationFailed(field, `must be at most ${MAX_RATE_PERCENT.toFixed()}`);
    }
  }
  if (terms.closeDate === null || terms.closeDate === undefined) return terms;
  return { ...terms, termMonths: withTermsErrors(() => termMonthsUntil(terms.issueDate, terms.closeDate!)) };
}

function loanTerms(terms: Terms): LoanTerms {
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
function termsError(err: LoanTermsError, field: string): AppError {
  const message = err.message.slice(err.field.length + 2);
  if (!err.params) return validationFailed(field, message);
  return new AppError(422, 'EARLY_REPAYMENT_EXCEEDS_DEBT', `${field}: ${message}`, {
    fields: [{ field, code: 'EARLY_REPAYMENT_EXCEEDS_DEBT', message, params: err.params }],
  });
}

/** Impossible terms in a request body are a 422 naming the field. */
function withTermsErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof LoanTermsError) throw termsError(err, err.field);
    throw err;
  }
}

interface StoredHistory {
  history: LoanHistory & { payments: PaidPayment[]; earlyRepayments: EarlyRepayment[] };
  rows: q.HistoryRow[];
}

function storedHistory(rows: q.HistoryRow[]): StoredHistory {
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
function scheduleWith(
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

function progressOf(schedule: LoanSchedule, today: string): CreditBlockDto['progress'] {
  const remainingPayments = schedule.rows
    .filter((row) => !row.paid)
    .reduce((total, row) => total.plus(row.payment), dec(0));
  return { ...loanProgress(schedule, today), remainingPayments: toFixed(remainingPayments) };
}

function toDto(
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

function scheduleDto(schedule: LoanSchedule, today: string): ScheduleDto {
  return { today, ...schedule, progress: progressOf(schedule, today) };
}

function valuesOf(
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

function requireTitle(title: string | undefined): void {
  if (title !== undefined && title.trim() === '') throw validationFailed('title', 'must not be blank');
}

export function createCreditBlocksService({ db, userToday }: CreditBlocksServiceDeps) {
  /** A block with its stored history; 404 unless it is the user's. */
  async function loadBlock(tx: Db, userId: string, id: string, lock = false) {
    const row = await q.findBlock(tx, userId, id, lock);
    if (!row) throw blockNotFound();
    const stored = storedHistory(await q.historyOf(tx, userId, [id]));
    return { row, stored };
  }

  async function blockDto(tx: Db, userId: string, id: string): Promise<CreditBlockDto> {
    const [{ row, stored }, today] = await Promise.all([loadBlock(tx, userId, id), userToday(userId)]);
    return toDto(row, stored, scheduleWith(row, stored.history, { today }), today);
  }

  /** Writes the block's new values after checking they fit its recorded history. */
  async function save(userId: string, id: string, next: (row: q.BlockRow) => q.BlockValues) {
    await db.transaction(async (tx) => {
      const { row, stored } = await loadBlock(tx, userId, id, true);
      const values = next(row);
      scheduleWith(values, stored.history);
      await q.updateBlock(tx, userId, id, values);
    });
    return blockDto(db, userId, id);
  }

  /** Edits the history of a locked block, then checks the result still makes a schedule. */
  async function editHistory(
    userId: string,
    id: string,
    edit: (tx: Db, row: q.BlockRow, stored: StoredHistory) => Promise<void>,
  ): Promise<void> {
    await db.transaction(async (tx) => {
      const { row, stored } = await loadBlock(tx, userId, id, true);
      await edit(tx, row, stored);
      scheduleWith(row, storedHistory(await q.historyOf(tx, userId, [id])).history);
    });
  }

  async function overview(userId: string, status?: 'active' | 'closed') {
    const [rows, today] = await Promise.all([q.listBlocks(db, userId, status), userToday(userId)]);
    const history = await q.historyOf(
      db,
      userId,
      rows.map((r) => r.id),
    );
    const byBlock = new Map<string, q.HistoryRow[]>();
    for (const h of history) byBlock.set(h.blockId, [...(byBlock.get(h.blockId) ?? []), h]);
    const blocks = rows.map((row) => {
      const stored = storedHistory(byBlock.get(row.id) ?? []);
      const schedule = scheduleWith(row, stored.history, { today });
      return { row, schedule, dto: toDto(row, stored, schedule, today) };
    });
    return { today, blocks };
  }

  return {
    async list(userId: string, status?: 'active' | 'closed'): Promise<CreditBlockDto[]> {
      return (await overview(userId, status)).blocks.map((b) => b.dto);
    },

    get: (userId: string, id: string) => blockDto(db, userId, id),

    async create(userId: string, body: CreateBlockBody): Promise<CreditBlockDto> {
      requireTitle(body.title);
      const terms = checkTerms(termsFromBody(body));
      const today = await userToday(userId);
      const schedule = scheduleWith(terms, { payments: [], earlyRepayments: [] }, { today });
      const row = await q.insertBlock(db, userId, valuesOf(body, terms));
      return toDto(row, storedHistory([]), schedule, today);
    },

    /** Full update: fields left out take their defaults, as on create. */
    async replace(userId: string, id: string, body: CreateBlockBody): Promise<CreditBlockDto> {
      requireTitle(body.title);
      const terms = checkTerms(termsFromBody(body));
      return save(userId, id, () => valuesOf(body, terms));
    },

    async patch(userId: string, id: string, patch: PatchBlockBody): Promise<CreditBlockDto> {
      requireTitle(patch.title);
      if (patch.termMonths !== undefined && patch.closeDate !== undefined) {
        throw validationFailed('closeDate', 'give either termMonths or closeDate, not both');
      }
      return save(userId, id, (row) => {
        const terms = checkTerms({
          principal: patch.principal ?? row.principal,
          annualRatePercent: patch.annualRatePercent ?? row.annualRatePercent,
          termMonths: patch.termMonths ?? row.termMonths,
          // A new term in months drops the close date; a close date (kept or new) decides the term.
          closeDate: patch.termMonths !== undefined ? null : (patch.closeDate ?? row.closeDate),
          issueDate: patch.issueDate ?? row.issueDate,
          paymentDay: patch.paymentDay ?? row.paymentDay,
          paymentType: patch.paymentType ?? row.paymentType,
          interestMethod: patch.interestMethod ?? row.interestMethod,
          paymentShift: patch.paymentShift ?? row.paymentShift,
          // null clears the penalty rate; left out keeps it.
          penaltyRatePercent:
            patch.penaltyRatePercent === undefined ? row.penaltyRatePercent : patch.penaltyRatePercent,
        });
        return {
          kind: patch.kind ?? row.kind,
          title: (patch.title ?? row.title).trim(),
          currency: patch.currency ?? row.currency,
          status: patch.status ?? row.status,
          notes: patch.notes ?? row.notes,
          ...terms,
        };
      });
    },

    async remove(userId: string, id: string): Promise<void> {
      if (!(await q.deleteBlock(db, userId, id))) throw blockNotFound();
    },

    async schedule(userId: string, id: string): Promise<ScheduleDto> {
      const [{ row, stored }, today] = await Promise.all([loadBlock(db, userId, id), userToday(userId)]);
      return scheduleDto(scheduleWith(row, stored.history, { today }), today);
    },

    /** Schedule and progress of unsaved terms and history; writes nothing. */
    async preview(userId: string, body: PreviewBody): Promise<ScheduleDto> {
      const terms = checkTerms(termsFromBody(body));
      const today = await userToday(userId);
      const schedule = withTermsErrors(() =>
        buildSchedule(
          loanTerms(terms),
          { payments: body.payments ?? [], earlyRepayments: body.earlyRepayments ?? [] },
          { today, refuseExcess: true },
        ),
      );
      return scheduleDto(schedule, today);
    },

    /** Marks scheduled payment `number` paid; date and amount default to the scheduled ones. */
    async markPaid(userId: string, id: string, body: MarkPaidBody): Promise<CreditBlockDto> {
      await editHistory(userId, id, async (tx, row, stored) => {
        if (stored.history.payments.some((p) => p.number === body.number)) {
          throw new AppError(409, 'PAYMENT_ALREADY_PAID', `Payment ${body.number} is already marked paid`);
        }
        const due = scheduleWith(row, stored.history).rows.find((r) => r.number === body.number);
        if (!due) throw validationFailed('number', 'there is no such payment in the schedule');
        const payment = {
          number: body.number,
          date: body.date ?? due.date,
          amount: body.amount ?? due.payment,
        };
        scheduleWith(
          row,
          { ...stored.history, payments: [...stored.history.payments, payment] },
          { added: 'payments' },
        );
        await q.insertPayments(tx, id, [payment]);
      });
      return blockDto(db, userId, id);
    },

    /** Marks every unpaid scheduled payment up to `number` paid as scheduled (for a loan entered mid-way). */
    async markPaidThrough(userId: string, id: string, number: number): Promise<CreditBlockDto> {
      await editHistory(userId, id, async (tx, row, stored) => {
        const rows = scheduleWith(row, stored.history).rows;
        if (!rows.some((r) => r.number === number)) {
          throw validationFailed('number', 'there is no such payment in the schedule');
        }
        const unpaid = rows.filter((r) => r.number !== null && r.number <= number && !r.paid);
        await q.insertPayments(
          tx,
          id,
          unpaid.map((r) => ({ number: r.number!, date: r.date, amount: r.payment })),
        );
      });
      return blockDto(db, userId, id);
    },

    async unmarkPaid(userId: string, id: string, paymentId: string): Promise<void> {
      await editHistory(userId, id, async (tx) => {
        if (!(await q.deletePayment(tx, userId, id, paymentId))) throw notFound('Credit payment');
      });
    },

    async addEarlyRepayment(userId: string, id: string, body: EarlyRepaymentBody): Promise<CreditBlockDto> {
      await editHistory(userId, id, async (tx, row, stored) => {
        const earlyRepayments = [...stored.history.earlyRepayments, body];
        scheduleWith(row, { ...stored.history, earlyRepayments }, { added: 'earlyRepayments' });
        await q.insertEarlyRepayment(tx, id, body);
      });
      return blockDto(db, userId, id);
    },

    async removeEarlyRepayment(userId: string, id: string, repaymentId: string): Promise<void> {
      await editHistory(userId, id, async (tx) => {
        if (!(await q.deleteEarlyRepayment(tx, userId, id, repaymentId))) throw notFound('Early repayment');
      });
    },

    /** What an early repayment would change, before it is saved. */
    async previewEarlyRepayment(
      userId: string,
      id: string,
      body: EarlyRepaymentBody,
    ): Promise<EarlyRepaymentPreviewDto> {
      const { row, stored } = await loadBlock(db, userId, id);
      const current = scheduleWith(row, stored.history);
      const earlyRepayments = [...stored.history.earlyRepayments, body];
      const next = scheduleWith(row, { ...stored.history, earlyRepayments }, { added: 'earlyRepayments' });
      // The new repayment sorts after the recorded ones of its day: the last early row of that date.
      const at = next.rows.findLastIndex((r) => r.kind === 'early' && r.date === body.date);
      const following = next.rows.slice(at + 1).find((r) => r.kind === 'scheduled');
      const before =
        following === undefined ? undefined : current.rows.find((r) => r.number === following.number);
      const side = (schedule: LoanSchedule, payment: string | undefined) => ({
        payment: payment ?? null,
        paymentCount: schedule.totals.paymentCount,
        payoffDate: schedule.totals.payoffDate,
        totalInterest: schedule.totals.totalInterest,
      });
      return {
        current: side(current, before?.payment),
        withRepayment: side(next, following?.payment),
        interestSaved: toFixed(dec(current.totals.totalInterest).minus(next.totals.totalInterest)),
        paymentsFewer: current.totals.paymentCount - next.totals.paymentCount,
      };
    },

    /**
     * Active credits for the summary: debt, paid, remaining and penalties per currency, the overdue
     * payments, and the unpaid payments due from today through `horizonDays` ahead.
     */
    async summary(userId: string, horizonDays: number) {
      const { today, blocks } = await overview(userId, 'active');
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
    },
  };
}

export type CreditBlocksService = ReturnType<typeof createCreditBlocksService>;
