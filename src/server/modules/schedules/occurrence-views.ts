import { addDays, daysBetween } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { occurrencesBetween, type IsWorkingDay } from './recurrence.js';
import { amountFits, MAX_MOVE_DAYS, occurrenceViews, ruleOf, type OccurrenceView } from './schedule-rules.js';
import * as q from './schedules.queries.js';

export interface OccurrenceViewsDeps {
  db: Db;
  userToday: (userId: string) => Promise<string>;
  isWorkingDay: IsWorkingDay;
}

/** An entered or imported transaction matches an expected occurrence this many days either side. */
export const MATCH_DAYS = 3;

export const occurrenceNotFound = () => notFound('Occurrence');

/** An occurrence an entered or imported transaction can be linked to. */
export interface OccurrenceMatch {
  scheduleId: string;
  nominalDate: string;
  date: string;
  amount: string;
}

/** Schedules' occurrences with what happened to each, one of them by its day, and matches for a transaction. */
export function createOccurrenceViews({ db, userToday, isWorkingDay }: OccurrenceViewsDeps) {
  async function storedOf(tx: Db, userId: string, rows: q.ScheduleRow[], nominalFrom: string) {
    const stored = new Map<string, Map<string, q.OccurrenceRow>>();
    for (const r of await q.occurrenceRows(
      tx,
      userId,
      rows.map((s) => s.id),
      nominalFrom,
    )) {
      let m = stored.get(r.scheduleId);
      if (m === undefined) stored.set(r.scheduleId, (m = new Map<string, q.OccurrenceRow>()));
      m.set(r.nominalDate, r);
    }
    return stored;
  }

  /** Occurrences of `rows` falling in [from, to], with what happened to each. */
  async function views(
    tx: Db,
    userId: string,
    rows: q.ScheduleRow[],
    from: string,
    to: string,
    today: string,
  ) {
    const stored = await storedOf(tx, userId, rows, addDays(from, -MAX_MOVE_DAYS));
    return rows.flatMap((row) =>
      occurrenceViews(
        row,
        stored.get(row.id) ?? new Map<string, q.OccurrenceRow>(),
        from,
        to,
        today,
        isWorkingDay,
      ),
    );
  }

  /** The occurrence of `row` with this nominal day, or 404 when the rule has none. */
  async function occurrenceOf(userId: string, row: q.ScheduleRow, nominalDate: string, today: string) {
    const found = (
      await views(
        db,
        userId,
        [row],
        addDays(nominalDate, -MAX_MOVE_DAYS),
        addDays(nominalDate, MAX_MOVE_DAYS),
        today,
      )
    ).find((v) => v.nominalDate === nominalDate);
    if (found) return found;
    // One before the schedule began posting is not listed, yet may still be confirmed.
    const exists = occurrencesBetween(
      ruleOf(row),
      addDays(nominalDate, -MAX_MOVE_DAYS),
      addDays(nominalDate, MAX_MOVE_DAYS),
      isWorkingDay,
    ).find((o) => o.nominal === nominalDate);
    if (!exists) throw occurrenceNotFound();
    return {
      scheduleId: row.id,
      nominalDate,
      date: exists.date,
      amount: row.amount,
      status: 'overdue',
      transactionId: null,
    } satisfies OccurrenceView;
  }

  /**
   * The best expected occurrence for a transaction: same accounts and type, amount within tolerance,
   * closest day. `listed` are the user's schedules when the caller has them already (many
   * transactions at once); otherwise those of the transaction's account are read.
   */
  async function findMatch(
    tx: Db,
    userId: string,
    t: { type?: string; accountId: string; toAccountId?: string | null; date: string; amount: string },
    listed?: { schedules: q.ScheduleRow[]; today: string },
  ): Promise<OccurrenceMatch | null> {
    const rows = (listed?.schedules ?? (await q.listSchedules(tx, userId, t.accountId))).filter(
      (s) =>
        s.accountId === t.accountId &&
        (t.type === undefined || s.type === t.type) &&
        (t.toAccountId === undefined || s.toAccountId === t.toAccountId),
    );
    if (rows.length === 0) return null;
    const today = listed?.today ?? (await userToday(userId));
    let best: OccurrenceView | null = null;
    for (const v of await views(
      tx,
      userId,
      rows,
      addDays(t.date, -MATCH_DAYS),
      addDays(t.date, MATCH_DAYS),
      today,
    )) {
      if (v.status !== 'expected' && v.status !== 'overdue') continue;
      const s = rows.find((r) => r.id === v.scheduleId)!;
      if (!amountFits(v.amount, s.tolerancePercent, t.amount)) continue;
      if (best === null || Math.abs(daysBetween(v.date, t.date)) < Math.abs(daysBetween(best.date, t.date)))
        best = v;
    }
    return (
      best && {
        scheduleId: best.scheduleId,
        nominalDate: best.nominalDate,
        date: best.date,
        amount: best.amount,
      }
    );
  }

  return { views, occurrenceOf, findMatch };
}
