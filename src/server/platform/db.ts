import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import * as schema from '../db/schema.js';
import type { Config } from '../config.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Rows of a raw `db.execute(sql\`…\`)` result; both drivers return `{ rows }`. */
export async function rowsOf<T>(result: Promise<unknown>): Promise<T[]> {
  return ((await result) as { rows: T[] }).rows;
}

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Runs a multi-statement SQL script in one transaction on one connection. */
  runScript(sql: string): Promise<void>;
  /** Runs `fn` on one connection holding a session-level advisory lock (migrations across instances). */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Pool gauges for /metrics (postgres only). */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
}

export async function openDatabase(config: Config, logger: Logger, pglite?: PGlite): Promise<Database> {
  if (config.databaseUrl === undefined) {
    let client = pglite;
    if (!client) {
      mkdirSync(config.dataDir, { recursive: true });
      client = await PGlite.create(config.dataDir);
    }
    return embedded(client);
  }
  return server(config, logger);
}

export function embedded(client: PGlite): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    async runScript(sql) {
      await client.transaction(async (tx) => {
        await tx.exec(sql);
      });
    },
    // One connection in-process: there is nobody to lock against.
    withLock: (_key, fn) => fn(),
    async ping() {
      await client.query('select 1');
    },
    async close() {
      if (!client.closed) await client.close();
    },
    poolStats: () => undefined,
  };
}

function server(config: Config, logger: Logger): Database {
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: config.sqlPool.size + config.sqlPool.maxOverflow,
    connectionTimeoutMillis: config.sqlPool.timeoutSeconds * 1000,
    maxLifetimeSeconds: config.sqlPool.recycleSeconds,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle database connection failed'));
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    async runScript(sql) {
      const conn = await pool.connect();
      try {
        await conn.query('begin');
        await conn.query(sql);
        await conn.query('commit');
      } catch (err) {
        await conn.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    },
    async withLock(key, fn) {
      const conn = await pool.connect();
      try {
        await conn.query('select pg_advisory_lock($1)', [key]);
        return await fn();
      } finally {
        await conn.query('select pg_advisory_unlock($1)', [key]).catch(() => undefined);
        conn.release();
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await pool.end();
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
