import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from '../db/schema.js';
import type { Config } from '../config.js';
import type { Database, Db } from './db.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { convertPgliteFolder, isPgliteFolder } from './pglite-conversion.js';

/** The app's database: a PostgreSQL server at DATABASE_URL, else the embedded cluster in DATA_DIR. */
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
