import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../src/server/db/schema.js';
import type { Db } from '../src/server/platform/db.js';
import { findUserById } from '../src/server/modules/auth/auth.queries.js';
import { accountsInPeriod } from '../src/server/modules/budget/accounts.queries.js';
import { categoryLabels } from '../src/server/modules/budget/categories.queries.js';
import * as summary from '../src/server/modules/budget/summary.queries.js';

/**
 * The ceiling for the month summary and the charts: the very SQL the endpoints run (captured from
 * the module's own query functions once), replayed straight through the driver with no HTTP, no
 * auth, no validation and no serialisation. Like the service: the profile first, then the report
 * queries concurrently.
 */
export interface DirectSql {
  monthSummary: () => Promise<void>;
  charts: () => Promise<void>;
  close: () => Promise<void>;
}

interface Captured {
  text: string;
  params: unknown[];
}

type Run = (q: Captured) => Promise<unknown>;

export async function openDirectSql(
  target: { databaseUrl: string } | { dataDir: string },
  userId: string,
  month: { from: string; toExclusive: string; yearFrom: string; currency: string },
): Promise<DirectSql> {
  let captured: Captured[] = [];
  const logger = { logQuery: (text: string, params: unknown[]) => captured.push({ text, params }) };
  let db: Db;
  let run: Run;
  let close: () => Promise<void>;
  if ('databaseUrl' in target) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 10 });
    db = drizzlePg(pool, { schema, logger });
    run = (q) => pool.query(q.text, q.params);
    close = () => pool.end();
  } else {
    const client = await PGlite.create(target.dataDir);
    db = drizzlePglite(client, { schema, logger });
    run = (q) => client.query(q.text, q.params);
    close = () => client.close();
  }

  const capture = async (fn: () => Promise<unknown>) => {
    captured = [];
    await fn();
    return captured;
  };
  const { from, toExclusive, yearFrom, currency } = month;
  const [profile] = await capture(() => findUserById(db, userId));
  const summaryQueries = await capture(() =>
    Promise.all([
      accountsInPeriod(db, userId, { from, toExclusive }),
      summary.limitUse(db, userId, from, toExclusive, currency),
    ]),
  );
  const chartQueries = await capture(() =>
    Promise.all([
      categoryLabels(db, userId),
      summary.totalsByCategoryAndDay(db, userId, from, toExclusive),
      summary.totalsByMonth(db, userId, yearFrom, toExclusive, currency),
    ]),
  );
  if (profile === undefined) throw new Error('the profile query was not captured');

  return {
    async monthSummary() {
      await run(profile);
      await Promise.all(summaryQueries.map(run));
    },
    async charts() {
      await run(profile);
      await Promise.all(chartQueries.map(run));
    },
    close,
  };
}
