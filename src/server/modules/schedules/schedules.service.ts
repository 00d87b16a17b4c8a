import { addDays, daysBetween } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import type { Budget } from '../budget/budget.js';
import type { CreatedTransaction } from '../budget/transactions.service.js';
import { occurrencesBetween, type IsWorkingDay } from './recurrence.js';
import { checkRule, MAX_MOVE_DAYS, positiveAmount, ruleOf, type OccurrenceView } from './schedule-rules.js';
import { createOccurrenceViews, occurrenceNotFound } from './occurrence-views.js';
import * as q from './schedules.queries.js';
import type {
  CreateScheduleBody,
  EditFromBody,
  OccurrenceDto,
  PostOccurrenceBody,
  ScheduleDto,
} from './schedules.schemas.js';

export interface SchedulesServiceDeps {
  db: Db;
  budget: Budget;
  userToday: (userId: string) => Promise<string>;
  isWorkingDay: IsWorkingDay;
}

const OVERDUE_LOOKBACK_DAYS = 90;

const scheduleNotFound = () => notFound('Schedule');
const occurrenceDone = () =>
  new AppError(409, 'OCCURRENCE_DONE', 'The occurrence is already posted or matched to a transaction');

export function createSchedulesService({ db, budget, userToday, isWorkingDay }: SchedulesServiceDeps) {
  const { views, occurrenceOf, findMatch } = createOccurrenceViews({ db, userToday, isWorkingDay });
  async function find(tx: Db, userId: string, id: string) {
    const row = await q.findSchedule(tx, userId, id);
    if (!row) throw scheduleNotFound();
    return row;
  }

  /** Accounts, category and amount of a schedule checked against the user's own. */
  async function checked(
    userId: string,
    body: CreateScheduleBody,
  ): Promise<q.NewSchedule & { currency: string }> {
    const rule = checkRule(body);
    if (body.title.trim() === '') throw validationFailed('title', 'BLANK', 'must not be blank');
    const accounts = new Map((await budget.accounts.list(userId, true)).map((a) => [a.id, a]));
    const account = accounts.get(body.accountId);
    if (!account)
      throw new AppError(404, 'ACCOUNT_NOT_FOUND', 'accountId: account not found', { field: 'accountId' });
    const toAccountId = body.toAccountId ?? null;
    if (body.type === 'transfer') {
      if (toAccountId === null)
        throw validationFailed('toAccountId', 'REQUIRED', 'is required for a transfer');
      if (toAccountId === body.accountId)
        throw validationFailed('toAccountId', 'SAME_AS_OTHER', 'must differ from accountId', {
          other: 'accountId',
        });
      const to = accounts.get(toAccountId);
      if (!to)
        throw new AppError(404, 'ACCOUNT_NOT_FOUND', 'toAccountId: account not found', {
          field: 'toAccountId',
        });
      if (to.currency !== account.currency)
        throw validationFailed('toAccountId', 'CURRENCY_MISMATCH', 'must be in the currency of accountId');
      if (body.categoryId)
        throw validationFailed('categoryId', 'TRANSFER_HAS_NO_CATEGORY', 'a transfer has no category');
    } else if (toAccountId !== null) {
      throw validationFailed('toAccountId', 'ONLY_TRANSFER', 'only a transfer has a receiving account');
    }
    if (body.categoryId) {
      const category = await budget.categories.get(userId, body.categoryId).catch(() => undefined);
      if (!category || category.deleted)
        throw new AppError(404, 'CATEGORY_NOT_FOUND', 'categoryId: category not found', {
          field: 'categoryId',
        });
      if (category.kind !== body.type)
        throw validationFailed('categoryId', 'CATEGORY_KIND', `must be a ${body.type} category`, {
          kind: `${body.type}`,
        });
    }
    return {
      type: body.type,
      title: body.title.trim(),
      accountId: body.accountId,
      toAccountId,
      categoryId: body.categoryId ?? null,
      amount: positiveAmount(body.amount, 'amount'),
      tolerancePercent: body.tolerancePercent ?? 0,
      mode: body.mode,
      ...rule,
      postFrom: rule.startDate,
      currency: account.currency,
    };
  }

  async function toDto(
    userId: string,
    row: q.ScheduleRow,
    currency: string,
    today: string,
  ): Promise<ScheduleDto> {
    const [next] = (await views(db, userId, [row], today, addDays(today, 800), today)).filter(
      (v) => v.status === 'expected',
    );
    return {
      id: row.id,
      type: row.type as ScheduleDto['type'],
      title: row.title,
      accountId: row.accountId,
      toAccountId: row.toAccountId,
      categoryId: row.categoryId,
      amount: row.amount,
      currency,
      tolerancePercent: row.tolerancePercent,
      mode: row.mode as ScheduleDto['mode'],
      every: row.every,
      unit: row.unit,
      monthDay: row.monthDay,
      weekday: row.weekday,
      shift: row.shift,
      startDate: row.startDate,
      endDate: row.endDate,
      count: row.count,
      next: next?.date ?? null,
      createdAt: row.createdAt.toISOString(),
    };
  }

  /**
   * Posts one occurrence as a transaction, once: the occurrence's key is claimed in the same
   * database transaction, so a second instance or a retry finds it taken and posts nothing.
   */
  async function post(
    userId: string,
    row: q.ScheduleRow,
    occurrence: { nominalDate: string; date: string; amount: string },
  ): Promise<string | null> {
    return db.transaction(async (tx) => {
      const claimed = await q.claimOccurrence(
        tx,
        { userId, scheduleId: row.id, nominalDate: occurrence.nominalDate },
        { status: 'posted', date: occurrence.date, amount: occurrence.amount },
      );
      if (!claimed) return null;
      const transactionId = await budget.transactions.createWithin(tx, userId, {
        type: row.type as CreateScheduleBody['type'],
        date: occurrence.date,
        accountId: row.accountId,
        ...(row.toAccountId === null ? {} : { toAccountId: row.toAccountId }),
        ...(row.categoryId === null ? {} : { categoryId: row.categoryId }),
        amount: occurrence.amount,
        description: row.title,
      });
      await q.linkTransaction(tx, row.id, occurrence.nominalDate, transactionId);
      return transactionId;
    });
  }

  const service = {
    async list(userId: string): Promise<ScheduleDto[]> {
      const [rows, currencies, today] = await Promise.all([
        q.listSchedules(db, userId),
        q.accountCurrencies(db, userId),
        userToday(userId),
      ]);
      return Promise.all(rows.map((r) => toDto(userId, r, currencies.get(r.accountId) ?? '', today)));
    },

    async get(userId: string, id: string): Promise<ScheduleDto> {
      const [row, currencies, today] = await Promise.all([
        find(db, userId, id),
        q.accountCurrencies(db, userId),
        userToday(userId),
      ]);
      return toDto(userId, row, currencies.get(row.accountId) ?? '', today);
    },

    async create(userId: string, body: CreateScheduleBody): Promise<ScheduleDto> {
      const [{ currency, ...values }, today] = await Promise.all([checked(userId, body), userToday(userId)]);
      // Occurrences before today were recorded by hand before the schedule existed: never posted.
      const row = await q.insertSchedule(db, userId, {
        ...values,
        postFrom: values.startDate > today ? values.startDate : today,
      });
      return toDto(userId, row, currency, today);
    },

    /**
     * A new rule from a day on: the series ends the day before and a new schedule continues it,
     * taking over what happened to its occurrences from that day. From the start or earlier the
     * schedule is simply replaced.
     */
    async editFrom(userId: string, id: string, body: EditFromBody): Promise<ScheduleDto> {
      const today = await userToday(userId);
      const current = await find(db, userId, id);
      const { from, ...changes } = body;
      const merged: CreateScheduleBody = {
        type: current.type as CreateScheduleBody['type'],
        title: current.title,
        accountId: current.accountId,
        toAccountId: current.toAccountId,
        categoryId: current.categoryId,
        amount: current.amount,
        tolerancePercent: current.tolerancePercent,
        mode: current.mode as CreateScheduleBody['mode'],
        ...ruleOf(current),
        ...changes,
        startDate: from > current.startDate ? from : current.startDate,
      };
      const { currency, ...values } = await checked(userId, merged);
      const row = await db.transaction(async (tx) => {
        const locked = await q.lockSchedule(tx, userId, id);
        if (!locked) throw scheduleNotFound();
        if (from <= locked.startDate) {
          return (await q.updateSchedule(tx, userId, id, { ...values, postFrom: locked.postFrom }))!;
        }
        const done = occurrencesBetween(
          ruleOf(locked),
          addDays(locked.startDate, -MAX_MOVE_DAYS),
          addDays(from, MAX_MOVE_DAYS),
          isWorkingDay,
        ).filter((o) => o.nominal < from).length;
        await q.updateSchedule(tx, userId, id, { endDate: addDays(from, -1), count: null });
        const next = await q.insertSchedule(tx, userId, {
          ...values,
          // A count is the whole series': what is left of it after the day.
          count:
            values.count == null
              ? null
              : Math.max(1, values.count - (changes.count === undefined ? done : 0)),
          postFrom: locked.postFrom > from ? locked.postFrom : from,
        });
        await q.moveOccurrences(tx, id, next.id, from);
        return next;
      });
      return toDto(userId, row, currency, today);
    },

    async remove(userId: string, id: string): Promise<void> {
      if (!(await q.deleteSchedule(db, userId, id))) throw scheduleNotFound();
    },

    async occurrences(
      userId: string,
      id: string,
      query: { from?: string; to?: string },
    ): Promise<OccurrenceDto[]> {
      const today = await userToday(userId);
      const from = query.from ?? addDays(today, -30);
      const to = query.to ?? addDays(today, 90);
      if (from > to) throw validationFailed('from', 'AFTER_OTHER', 'must not be after to', { other: 'to' });
      if (daysBetween(from, to) > 800)
        throw validationFailed('to', 'PERIOD_TOO_LONG', 'at most 800 days after from', { days: '800' });
      const row = await find(db, userId, id);
      return views(db, userId, [row], from, to, today);
    },

    /** Occurrences of every schedule falling in [from, to] (upcoming and the forecast). */
    async between(
      userId: string,
      from: string,
      to: string,
    ): Promise<(OccurrenceView & { schedule: q.ScheduleRow; currency: string })[]> {
      const [rows, currencies, today] = await Promise.all([
        q.listSchedules(db, userId),
        q.accountCurrencies(db, userId),
        userToday(userId),
      ]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return (await views(db, userId, rows, from, to, today)).map((v) => {
        const schedule = byId.get(v.scheduleId)!;
        return { ...v, schedule, currency: currencies.get(schedule.accountId) ?? '' };
      });
    },

    overdueLookbackDays: OVERDUE_LOOKBACK_DAYS,

    /** Posts one occurrence now: a confirmation, or an early payment. */
    async postOccurrence(
      userId: string,
      id: string,
      nominalDate: string,
      body: PostOccurrenceBody,
    ): Promise<OccurrenceDto> {
      const today = await userToday(userId);
      const row = await find(db, userId, id);
      const occ = await occurrenceOf(userId, row, nominalDate, today);
      if (occ.status === 'posted' || occ.status === 'matched') throw occurrenceDone();
      const date = body.date ?? (occ.date > today ? today : occ.date);
      const amount = body.amount === undefined ? occ.amount : positiveAmount(body.amount, 'amount');
      const transactionId = await post(userId, row, { nominalDate, date, amount });
      if (transactionId === null) throw occurrenceDone();
      return { scheduleId: id, nominalDate, date, amount, status: 'posted', transactionId };
    },

    async skipOccurrence(userId: string, id: string, nominalDate: string): Promise<OccurrenceDto> {
      const today = await userToday(userId);
      const row = await find(db, userId, id);
      const occ = await occurrenceOf(userId, row, nominalDate, today);
      if (
        !(await q.overrideOccurrence(
          db,
          { userId, scheduleId: id, nominalDate },
          { status: 'skipped', date: null, amount: null },
        ))
      )
        throw occurrenceDone();
      return { ...occ, status: 'skipped' };
    },

    async changeOccurrence(
      userId: string,
      id: string,
      nominalDate: string,
      body: { date?: string; amount?: string },
    ): Promise<OccurrenceDto> {
      const today = await userToday(userId);
      const row = await find(db, userId, id);
      const occ = await occurrenceOf(userId, row, nominalDate, today);
      const date = body.date ?? occ.date;
      if (Math.abs(daysBetween(nominalDate, date)) > MAX_MOVE_DAYS)
        throw validationFailed('date', 'TOO_FAR', `must be within ${MAX_MOVE_DAYS} days of the occurrence`, {
          days: `${MAX_MOVE_DAYS}`,
        });
      const amount = body.amount === undefined ? occ.amount : positiveAmount(body.amount, 'amount');
      if (
        !(await q.overrideOccurrence(
          db,
          { userId, scheduleId: id, nominalDate },
          { status: 'changed', date, amount },
        ))
      )
        throw occurrenceDone();
      return { ...occ, date, amount, status: date < today ? 'overdue' : 'expected' };
    },

    async restoreOccurrence(userId: string, id: string, nominalDate: string): Promise<void> {
      await find(db, userId, id);
      if (!(await q.clearOverride(db, userId, id, nominalDate))) throw occurrenceNotFound();
    },

    /**
     * The expected occurrence a transaction on this account would be linked to, if any: same
     * account (and type, and receiving account for a transfer, when given), amount within the
     * schedule's tolerance, day within MATCH_DAYS. For statement import to show before saving.
     */
    matchOccurrence: (
      userId: string,
      t: { accountId: string; date: string; amount: string; type?: string; toAccountId?: string | null },
    ) => findMatch(db, userId, t),

    /**
     * Links transactions just entered or imported to the occurrences they fulfil, in their own
     * database transaction: the occurrence then counts once, as that transaction.
     */
    async linkCreated(tx: Db, userId: string, created: CreatedTransaction[]): Promise<void> {
      // Read once for all of them: an import brings thousands, most on accounts without schedules.
      const schedules = await q.listSchedules(tx, userId);
      if (schedules.length === 0) return;
      const listed = { schedules, today: await userToday(userId) };
      for (const t of created) {
        const match = await findMatch(tx, userId, t, listed);
        if (match === null) continue;
        const key = { userId, scheduleId: match.scheduleId, nominalDate: match.nominalDate };
        if (await q.claimOccurrence(tx, key, { status: 'matched', date: t.date, amount: t.amount }))
          await q.linkTransaction(tx, match.scheduleId, match.nominalDate, t.id);
      }
    },

    post,
  };
  return service;
}

export type SchedulesService = ReturnType<typeof createSchedulesService>;
