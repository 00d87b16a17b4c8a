import { Big, toFixed } from '../../../common/money.js';
import { addDays, monthRange } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { notFound, validationFailed } from '../../platform/errors.js';
import type { CreditBlocksService } from './credit-blocks.service.js';
import * as q from './obligations.queries.js';
import type {
  CreateObligationBody,
  CurrencyTotal,
  ObligationDto,
  ObligationMonthDto,
  ObligationsSummaryDto,
  PatchObligationBody,
} from './obligations.schemas.js';

export interface ObligationsServiceDeps {
  db: Db;
  userToday: (userId: string) => Promise<string>;
  creditBlocks: CreditBlocksService;
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
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Rules a schema cannot say: a positive amount, a title that is not blank, paidDate only when done. */
function checked(values: q.ObligationValues, today: string, paidDateGiven: boolean): q.ObligationValues {
  if (values.title.trim() === '') throw validationFailed('title', 'must not be blank');
  const amount = new Big(values.amount);
  if (amount.lte(0)) throw validationFailed('amount', 'must be greater than 0');
  if (!values.done && paidDateGiven)
    throw validationFailed('paidDate', 'can only be set on a paid obligation');
  return {
    ...values,
    title: values.title.trim(),
    paidDate: values.done ? (values.paidDate ?? today) : null,
  };
}

function sumsByCurrency(items: { currency: string; amount: string }[]): CurrencyTotal[] {
  const totals = new Map<string, Big>();
  for (const item of items)
    totals.set(item.currency, (totals.get(item.currency) ?? new Big(0)).plus(item.amount));
  return [...totals]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, total]) => ({ currency, total: toFixed(total) }));
}

export function createObligationsService({ db, userToday, creditBlocks }: ObligationsServiceDeps) {
  return {
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
        },
        today,
        body.paidDate !== undefined,
      );
      return toDto(await q.insertObligation(db, userId, values), today);
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
        },
        today,
        patch.paidDate !== undefined,
      );
      const updated = await q.updateObligation(db, userId, id, values);
      if (!updated) throw obligationNotFound();
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
