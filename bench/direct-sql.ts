import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../src/server/db/schema.js';
import type { Db } from '../src/server/platform/db.js';
import { accountsInPeriod } from '../src/server/modules/budget/accounts.queries.js';
import * as summary from '../src/server/modules/budget/summary.queries.js';

/**
 * The ceiling for the month summary and the charts: the very SQL the endpoints run (captured from
 * the module's own query functions once), replayed straight through the driver with no HTTP, no
 * auth, no validation and no serialisation: the report queries concurrently, each a prepared
 * statement as the app runs them on PostgreSQL.
 */
export interface DirectSql {
  monthSummary: () => Promise<void>;
  charts: () => Promise<void>;
  close: () => Promise<void>;
}

interface Captured {
  text: string;
  params: unknown[];
  name?: string;
}

type Run = (q: Captured) => Promise<unknown>;

export async function openDirectSql(
  target: string | pg.ClientConfig,
  userId: string,
  month: { from: string; toExclusive: string; yearFrom: string; currency: string },
): Promise<DirectSql> {
  let captured: Captured[] = [];
  const logger = { logQuery: (text: string, params: unknown[]) => captured.push({ text, params }) };
  const pool = new pg.Pool({
    ...(typeof target === 'string' ? { connectionString: target } : target),
    max: 10,
  });
  const db: Db = drizzlePg(pool, { schema, logger });
  const run: Run = (q) => pool.query({ name: q.name, text: q.text, values: q.params });
  const close = () => pool.end();

  const capture = async (fn: () => Promise<unknown>) => {
    captured = [];
    await fn();
    return captured;
  };
  const named = (queries: Captured[], prefix: string) =>
    queries.map((q, i) => ({ ...q, name: `${prefix}${i}` }));
  const { from, toExclusive, yearFrom, currency } = month;
  const summaryQueries = named(
    await capture(() =>
      Promise.all([
        accountsInPeriod(db, userId, { from, toExclusive }),
        summary.limitUse(db, userId, from, toExclusive, currency),
      ]),
    ),
    's',
  );
  const chartQueries = named(
    await capture(() =>
      Promise.all([
        summary.totalsByCategory(db, userId, from, toExclusive, true),
        summary.totalsByMonth(db, userId, yearFrom, toExclusive, currency),
      ]),
    ),
    'c',
  );

  return {
    async monthSummary() {
      await Promise.all(summaryQueries.map(run));
    },
    async charts() {
      await Promise.all(chartQueries.map(run));
    },
    close,
  };
}
