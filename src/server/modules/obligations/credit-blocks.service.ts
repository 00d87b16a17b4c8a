import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import { buildSchedule, type LoanSchedule } from './loan-math.js';
import * as q from './credit-blocks.queries.js';
import type { HistoryChangedHook } from '../networth/history-changed.js';
import type {
  CreateBlockBody,
  CreditBlockDto,
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
  /** Told of every write that changes a credit's debt (the net-worth history). */
  onHistoryChanged?: readonly HistoryChangedHook[];
}

import {
  blockNotFound,
  termsFromBody,
  checkTerms,
  loanTerms,
  withTermsErrors,
  type StoredHistory,
  storedHistory,
  scheduleWith,
  toDto,
  scheduleDto,
  valuesOf,
  requireTitle,
} from './credit-terms.js';
import { creditSummary, debtChangesOf } from './credit-totals.js';

export function createCreditBlocksService({ db, userToday, onHistoryChanged = [] }: CreditBlocksServiceDeps) {
  async function changedFrom(tx: Db, userId: string, from: string | null): Promise<void> {
    for (const hook of onHistoryChanged) await hook(tx, userId, from);
  }

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
      await changedFrom(tx, userId, values.issueDate < row.issueDate ? values.issueDate : row.issueDate);
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
      const after = await q.historyOf(tx, userId, [id]);
      scheduleWith(row, storedHistory(after).history);
      // The debt changes from the earliest payment added or taken away.
      const kept = new Set(after.map((h) => h.id));
      const had = new Set(stored.rows.map((h) => h.id));
      const [from] = [...stored.rows.filter((h) => !kept.has(h.id)), ...after.filter((h) => !had.has(h.id))]
        .map((h) => h.date)
        .sort();
      if (from !== undefined) await changedFrom(tx, userId, from);
    });
  }

  /** The user's blocks (of a status) with their stored history. */
  async function blocksOf(userId: string, status?: 'active' | 'closed') {
    const rows = await q.listBlocks(db, userId, status);
    const history = await q.historyOf(
      db,
      userId,
      rows.map((r) => r.id),
    );
    const byBlock = new Map<string, q.HistoryRow[]>();
    for (const h of history) {
      const own = byBlock.get(h.blockId);
      if (own === undefined) byBlock.set(h.blockId, [h]);
      else own.push(h);
    }
    return rows.map((row) => ({ row, stored: storedHistory(byBlock.get(row.id) ?? []) }));
  }

  async function overview(userId: string, status?: 'active' | 'closed') {
    const [withHistory, today] = await Promise.all([blocksOf(userId, status), userToday(userId)]);
    const blocks = withHistory.map(({ row, stored }) => {
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
      await changedFrom(db, userId, row.issueDate);
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
        throw validationFailed('closeDate', 'EITHER_OR', 'give either termMonths or closeDate, not both');
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
      await changedFrom(db, userId, null);
    },

    /** Every credit's principal outstanding as changes per currency and day (for the net worth). */
    debtChanges: async (userId: string) => debtChangesOf(await blocksOf(userId)),

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
        if (!due)
          throw validationFailed('number', 'NO_SUCH_PAYMENT', 'there is no such payment in the schedule');
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
          throw validationFailed('number', 'NO_SUCH_PAYMENT', 'there is no such payment in the schedule');
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
      return creditSummary(today, horizonDays, blocks);
    },
  };
}

export type CreditBlocksService = ReturnType<typeof createCreditBlocksService>;
