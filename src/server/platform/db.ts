import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from '../db/schema.js';
import type { Config } from '../config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { convertPgliteFolder, isPgliteFolder } from './pglite-conversion.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Rows of a raw `db.execute(sql\`…\`)` result; both drivers return `{ rows }`. */
export async function rowsOf<T>(result: Promise<unknown>): Promise<T[]> {
  return ((await result) as { rows: T[] }).rows;
}

/** Socket errors of a database that cannot be reached (refused, reset, unreachable, name lookup). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
/**
 * SQLSTATEs of a server that is there but not serving: connection exceptions (class 08), shutting
 * down or starting up (57P01–57P03), out of connections (53300).
 */
const NOT_SERVING = /^(08...|57P0[123]|53300)$/;
/** What pg and pg-pool say when a connection was lost or never made. */
const LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether an error means the database could not be asked at all, as opposed to a query that went
 * wrong: the request may succeed later, so it is a 503, never a 401 or 500. Drizzle wraps the
 * driver's error as its `cause`.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE.has(code) || NOT_SERVING.test(code))) return true;
    if (LOST.test(e.message)) return true;
  }
  return false;
}

export interface Database {
  db: Db;
  /** `embedded`: the app's own cluster in DATA_DIR; `postgres`: a server at DATABASE_URL. */
  driver: 'embedded' | 'postgres';
  /** Runs a multi-statement SQL script in one transaction on one connection. */
  runScript(sql: string): Promise<void>;
  /** Runs `fn` on one connection holding a session-level advisory lock (migrations across instances). */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Pool gauges for /metrics (postgres only). */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
}

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl !== undefined) {
    return server({ connectionString: config.databaseUrl }, config, logger, 'postgres');
  }
  const legacy = isPgliteFolder(config.dataDir);
  const cluster = await startEmbeddedPostgres({ logger, dataDir: config.dataDir });
  const database = server(cluster.connection, config, logger, 'embedded', cluster.stop);
  if (legacy) {
    try {
      await convertPgliteFolder(config.dataDir, database, logger);
    } catch (err) {
      await database.close();
      throw err;
    }
  }
  return database;
}

const EMBEDDED_POOL = 2;

/** Distinct statement texts that get a name; beyond it statements run unnamed (parsed each time). */
const MAX_PREPARED = 1000;

/**
 * A pg client that runs every parameterised statement as a named prepared statement, named after
 * its text: PostgreSQL parses it once per connection and can keep its plan, which takes a third to
 * two thirds off the server's CPU for the short queries of a request. Statements without
 * parameters (migration scripts, `begin`) stay unnamed: a prepared statement holds one command.
 */
function preparingClient(): typeof pg.Client {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `wt_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  class PreparingClient extends pg.Client {}
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the client as `this`
  const plainQuery = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  PreparingClient.prototype.query = function (
    this: pg.Client,
    config: unknown,
    values?: unknown,
    ...rest: unknown[]
  ) {
    if (
      Array.isArray(values) &&
      values.length > 0 &&
      typeof config === 'object' &&
      config !== null &&
      'text' in config &&
      typeof config.text === 'string' &&
      !('name' in config && config.name !== undefined)
    ) {
      const name = nameOf(config.text);
      if (name !== undefined) return plainQuery.call(this, { ...config, name }, values, ...rest);
    }
    return plainQuery.call(this, config, values, ...rest);
  } as typeof pg.Client.prototype.query;
  return PreparingClient;
}

function server(
  connection: pg.ClientConfig,
  config: Config,
  logger: Logger,
  driver: Database['driver'],
  stopCluster?: () => Promise<void>,
): Database {
  const pool = new pg.Pool({
    ...connection,
    Client: preparingClient(),
    // The embedded cluster shares the app's cores: a few backends keep them busy, more only cost memory.
    max: driver === 'embedded' ? EMBEDDED_POOL : config.sqlPool.size + config.sqlPool.maxOverflow,
    connectionTimeoutMillis: config.sqlPool.timeoutSeconds * 1000,
    maxLifetimeSeconds: config.sqlPool.recycleSeconds,
    // The embedded cluster shares the app's machine: idle backends (a few MiB each) go sooner.
    idleTimeoutMillis: driver === 'embedded' ? 10_000 : 30_000,
  });
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle database connection failed'));
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    driver,
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
      await stopCluster?.();
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
