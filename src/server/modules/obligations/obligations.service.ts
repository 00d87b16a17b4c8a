import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import { randomUUID } from 'node:crypto';
import { toFixed } from '../../../common/money.js';
import { addDays, monthRange } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { notFound, validationFailed } from '../../platform/errors.js';
import type { CreditBlocksService } from './credit-blocks.service.js';
import { occurrencesBetween, type IsWorkingDay, type RecurrenceRule } from '../schedules/recurrence.js';
import { checkRule } from '../schedules/schedule-rules.js';
import * as q from './obligations.queries.js';
import type {
  CreateObligationBody,
  CurrencyTotal,
  ObligationDto,
  ObligationMonthDto,
  ObligationsSummaryDto,
  PatchObligationBody,
  Repeat,
} from './obligations.schemas.js';

export interface ObligationsServiceDeps {
  db: Db;
  userToday: (userId: string) => Promise<string>;
  creditBlocks: CreditBlocksService;
  isWorkingDay: IsWorkingDay;
}

/** An unpaid mandatory payment expected on a day: a stored one, or a later one of a repeating series. */
export interface ExpectedObligation {
  id: string;
  title: string;
  date: string;
  amount: string;
  currency: string;
  /** Not stored yet: added when the one before it is paid. */
  projected: boolean;
}

/** Payments due within this many days from today count as upcoming. */
export const UPCOMING_DAYS = 30;
const OVERDUE_LIST_LIMIT = 100;

const obligationNotFound = () => notFound('Obligation');

function toDto(row: q.ObligationRow, today: string): ObligationDto {
  return {
    id: row.id,
    title: row.title,
    dueDate: row.dueDate,
    amount: row.amount,
    currency: row.currency,
    done: row.done,
    paidDate: row.paidDate,
    status: row.done ? 'paid' : row.dueDate < today ? 'overdue' : 'planned',
    repeat: row.recurrence === null ? null : repeatOf(row.recurrence),
    seriesId: row.seriesId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function repeatOf(rule: RecurrenceRule): Repeat {
  return {
    every: rule.every,
    unit: rule.unit,
    monthDay: rule.monthDay,
    weekday: rule.weekday,
    shift: rule.shift,
    endDate: rule.endDate,
    count: rule.count,
  };
}

/** The rule of a repeating payment: its series starts on the first payment's due date. */
function recurrenceOf(repeat: Repeat, startDate: string): RecurrenceRule {
  return checkRule({ ...repeat, startDate }, 'repeat.');
}

/** Far enough ahead to reach the next occurrence of any rule, a shift and a short month included. */
function reach(rule: RecurrenceRule): number {
  const unitDays = { day: 1, week: 7, month: 31, year: 366 }[rule.unit];
  return unitDays * rule.every + 31;
}

/** Rules a schema cannot say: a positive amount, a title that is not blank, paidDate only when done. */
function checked(values: q.ObligationValues, today: string, paidDateGiven: boolean): q.ObligationValues {
  if (values.title.trim() === '') throw validationFailed('title', 'BLANK', 'must not be blank');
  const amount = dec(values.amount);
  if (amount.lte(0)) throw validationFailed('amount', 'NOT_POSITIVE', 'must be greater than 0');
  if (!values.done && paidDateGiven)
    throw validationFailed('paidDate', 'ONLY_WHEN_PAID', 'can only be set on a paid obligation');
  return {
    ...values,
    title: values.title.trim(),
    paidDate: values.done ? (values.paidDate ?? today) : null,
  };
}

function sumsByCurrency(items: { currency: string; amount: string }[]): CurrencyTotal[] {
  const totals = new Map<string, Decimal>();
  for (const item of items)
    totals.set(item.currency, (totals.get(item.currency) ?? dec(0)).plus(item.amount));
  return [...totals]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, total]) => ({ currency, total: toFixed(total) }));
}

/** A patch's change of the repeat rule: a new rule keeps the series, removing it ends the series here. */
function repeatPatch(row: q.ObligationRow, patch: PatchObligationBody) {
  if (patch.repeat === undefined) return { recurrence: row.recurrence, seriesId: row.seriesId };
  if (patch.repeat === null) return { recurrence: null, seriesId: row.seriesId };
  const startDate = row.recurrence?.startDate ?? patch.dueDate ?? row.dueDate;
  return { recurrence: recurrenceOf(patch.repeat, startDate), seriesId: row.seriesId ?? randomUUID() };
}

export function createObligationsService({
  db,
  userToday,
  creditBlocks,
  isWorkingDay,
}: ObligationsServiceDeps) {
  /** Occurrences of a repeating payment's rule after `after`, through `through`. */
  function later(rule: RecurrenceRule, after: string, through: string) {
    // Past the day in both senses: a shifted payment's own rule day may fall after it (31st → 2nd).
    return occurrencesBetween(rule, addDays(after, 1), through, isWorkingDay).filter(
      (o) => o.date > after && o.nominal > after,
    );
  }

  /** Paying one payment of a series brings up the next (once, whoever pays it first). */
  async function addNext(userId: string, row: q.ObligationRow): Promise<void> {
    if (row.recurrence === null) return;
    const [next] = later(row.recurrence, row.dueDate, addDays(row.dueDate, reach(row.recurrence)));
    if (next === undefined) return;
    await q.insertNextInSeries(db, userId, {
      title: row.title,
      dueDate: next.date,
      amount: row.amount,
      currency: row.currency,
      done: false,
      paidDate: null,
      recurrence: row.recurrence,
      seriesId: row.seriesId,
    });
  }

  return {
    /**
     * Unpaid payments due through `through`, overdue ones included, and the later payments of
     * repeating series that paying brings up (for the upcoming list and the forecast).
     */
    async expected(userId: string, through: string): Promise<ExpectedObligation[]> {
      const rows = await q.unpaidThrough(db, userId, through);
      const out: ExpectedObligation[] = rows.map((r) => ({
        id: r.id,
        title: r.title,
        date: r.dueDate,
        amount: r.amount,
        currency: r.currency,
        projected: false,
      }));
      const lastOfSeries = new Map<string, q.ObligationRow>();
      for (const r of rows) if (r.seriesId !== null && r.recurrence !== null) lastOfSeries.set(r.seriesId, r);
      for (const r of lastOfSeries.values())
        for (const o of later(r.recurrence!, r.dueDate, through))
          out.push({
            id: r.id,
            title: r.title,
            date: o.date,
            amount: r.amount,
            currency: r.currency,
            projected: true,
          });
      return out.sort((a, b) => a.date.localeCompare(b.date));
    },

    /** The obligations due in a month (default: the user's current one) with totals per currency. */
    async month(userId: string, month?: string): Promise<ObligationMonthDto> {
      const today = await userToday(userId);
      const shown = month ?? today.slice(0, 7);
      const { from, toExclusive } = monthRange(shown);
      const [rows, totals] = await Promise.all([
        q.listDue(db, userId, from, toExclusive),
        q.totalsDue(db, userId, from, toExclusive, today),
      ]);
      return { month: shown, today, items: rows.map((r) => toDto(r, today)), totals };
    },

    async get(userId: string, id: string): Promise<ObligationDto> {
      const [row, today] = await Promise.all([q.findObligation(db, userId, id), userToday(userId)]);
      if (!row) throw obligationNotFound();
      return toDto(row, today);
    },

    async create(userId: string, body: CreateObligationBody): Promise<ObligationDto> {
      const today = await userToday(userId);
      const values = checked(
        {
          title: body.title,
          dueDate: body.dueDate,
          amount: body.amount,
          currency: body.currency ?? 'RUB',
          done: body.done ?? false,
          paidDate: body.paidDate ?? null,
          recurrence: body.repeat ? recurrenceOf(body.repeat, body.dueDate) : null,
          seriesId: body.repeat ? randomUUID() : null,
        },
        today,
        body.paidDate !== undefined,
      );
      const row = await q.insertObligation(db, userId, values);
      if (row.done) await addNext(userId, row);
      return toDto(row, today);
    },

    async patch(userId: string, id: string, patch: PatchObligationBody): Promise<ObligationDto> {
      const [row, today] = await Promise.all([q.findObligation(db, userId, id), userToday(userId)]);
      if (!row) throw obligationNotFound();
      const done = patch.done ?? row.done;
      const values = checked(
        {
          title: patch.title ?? row.title,
          dueDate: patch.dueDate ?? row.dueDate,
          amount: patch.amount ?? row.amount,
          currency: patch.currency ?? row.currency,
          done,
          // Marking paid again keeps the recorded day unless a new one is given.
          paidDate: patch.paidDate ?? (done ? row.paidDate : null),
          ...repeatPatch(row, patch),
        },
        today,
        patch.paidDate !== undefined,
      );
      const updated = await q.updateObligation(db, userId, id, values);
      if (!updated) throw obligationNotFound();
      if (updated.done && !row.done) await addNext(userId, updated);
      return toDto(updated, today);
    },

    async remove(userId: string, id: string): Promise<void> {
      if (!(await q.deleteObligation(db, userId, id))) throw obligationNotFound();
    },

    /** Debt and payments across credits and obligations: what the summary tiles show. */
    async summary(userId: string): Promise<ObligationsSummaryDto> {
      const credits = await creditBlocks.summary(userId, UPCOMING_DAYS);
      const { today } = credits;
      const horizon = addDays(today, UPCOMING_DAYS);
      const [dueSoon, late] = await Promise.all([
        q.listUnpaid(db, userId, today, horizon),
        q.overdue(db, userId, today, OVERDUE_LIST_LIMIT),
      ]);
      const upcoming: ObligationsSummaryDto['upcoming'] = [
        ...credits.upcoming.map((p) => ({
          source: 'credit' as const,
          id: p.blockId,
          title: p.title,
          date: p.date,
          amount: p.amount,
          currency: p.currency,
          number: p.number,
        })),
        ...dueSoon.map((o) => ({
          source: 'obligation' as const,
          id: o.id,
          title: o.title,
          date: o.dueDate,
          amount: o.amount,
          currency: o.currency,
          number: null,
        })),
      ].sort((a, b) => a.date.localeCompare(b.date) || a.title.localeCompare(b.title));
      return {
        today,
        horizon,
        credits: {
          count: credits.count,
          byCurrency: credits.byCurrency,
          overduePayments: credits.overduePayments,
          overdue: credits.overdue.map((p) => ({
            id: p.blockId,
            title: p.title,
            number: p.number,
            date: p.date,
            amount: p.amount,
            currency: p.currency,
            overdueDays: p.overdueDays,
            penalty: p.penalty,
          })),
        },
        obligations: {
          overdueCount: late.totals.reduce((n, t) => n + t.count, 0),
          overdueTotals: late.totals.map(({ currency, total }) => ({ currency, total })),
          overdue: late.items.map((r) => toDto(r, today)),
        },
        upcoming,
        upcomingTotals: sumsByCurrency(upcoming),
      };
    },
  };
}

export type ObligationsService = ReturnType<typeof createObligationsService>;
