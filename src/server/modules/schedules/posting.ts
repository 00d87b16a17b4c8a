import type { FastifyBaseLogger } from 'fastify';
import { addDays, dayInZone } from '../../../common/dates.js';
import type { Cache } from '../../platform/cache.js';
import type { Db } from '../../platform/db.js';
import type { IsWorkingDay } from './recurrence.js';
import { MAX_MOVE_DAYS, occurrenceViews } from './schedule-rules.js';
import * as q from './schedules.queries.js';
import type { SchedulesService } from './schedules.service.js';

const EVERY_MS = 60_000;
/** A restart after a long stop catches up at most this far back. */
const CATCH_UP_DAYS = 366;

/**
 * Posts the automatic schedules' occurrences on their day, the user's calendar day in their time
 * zone. Any number of instances may run it at once: each occurrence's key is claimed in the same
 * database transaction as its transaction, so it is posted once. A lock in the shared cache only
 * spares the other instances the work.
 */
export function createPostingJob(deps: {
  db: Db;
  cache: Cache;
  schedules: SchedulesService;
  now: () => Date;
  isWorkingDay: IsWorkingDay;
  logger: FastifyBaseLogger;
}) {
  const { db, cache, schedules, now, isWorkingDay, logger } = deps;
  let timer: NodeJS.Timeout | undefined;

  /** Posts every due occurrence not posted yet; returns how many this call posted. */
  async function postDue(): Promise<number> {
    const instant = now();
    let posted = 0;
    for (const row of await q.autoSchedules(db)) {
      const today = dayInZone(instant, row.timeZone);
      const catchUp = addDays(today, -CATCH_UP_DAYS);
      const from = row.postFrom > catchUp ? row.postFrom : catchUp;
      if (from > today) continue;
      const stored = new Map(
        (await q.occurrenceRows(db, row.userId, [row.id], addDays(from, -MAX_MOVE_DAYS))).map((r) => [
          r.nominalDate,
          r,
        ]),
      );
      for (const v of occurrenceViews(row, stored, from, today, today, isWorkingDay)) {
        if (v.status !== 'expected' && v.status !== 'overdue') continue;
        try {
          if ((await schedules.post(row.userId, row, v)) !== null) posted++;
        } catch (err) {
          // An archived account or a deleted category: the occurrence waits, the others go on.
          logger.warn(
            { err: err instanceof Error ? err.message : String(err), scheduleId: row.id, day: v.nominalDate },
            'scheduled occurrence not posted',
          );
        }
      }
    }
    return posted;
  }

  async function tick(): Promise<void> {
    const lock = await cache.hit('schedules:posting', EVERY_MS - 5_000);
    if (lock.count > 1) return;
    await postDue();
  }

  return {
    postDue,
    tick,
    start(): void {
      const run = () => {
        tick().catch((err: unknown) =>
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'schedule posting failed'),
        );
      };
      setImmediate(run);
      timer = setInterval(run, EVERY_MS);
      timer.unref();
    },
    stop(): void {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
