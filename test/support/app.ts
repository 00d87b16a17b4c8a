import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { buildApp } from '../../src/server/app.js';
import type { AppDeps, AppInstance } from '../../src/server/platform/app-instance.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { memoryCache, redisCache, type Cache } from '../../src/server/platform/cache.js';
import type { Database } from '../../src/server/platform/db.js';
import { openDatabase } from '../../src/server/platform/open-database.js';
import { startEmbeddedPostgres } from '../../src/server/platform/embedded-postgres.js';
import { migrate, readMigrations } from '../../src/server/platform/migrate.js';

/**
 * API tests run against an embedded PostgreSQL cluster by default and against a PostgreSQL server
 * and Redis when DATABASE_URL / REDIS_URL are set. Every test registers its own users, so files
 * do not interfere.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SECRET_KEY: 'test-secret-key-that-is-long-enough-000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    DATA_DIR: '.tmp/unused',
    WEB_DIR: '.tmp/no-web',
    RATE_LIMIT_PER_MINUTE: '100000',
    AUTH_RATE_LIMIT_PER_IP: '100000',
    LOGIN_RATE_LIMIT_PER_ACCOUNT: '100000',
    REGISTER_RATE_LIMIT_PER_IP: '100000',
    // Sessions expire by the app's clock, which some tests move months ahead.
    REFRESH_TOKEN_EXPIRE_DAYS: '365',
    // Tests run the posting job by hand with their own clock: a timer would post for other files' users.
    SCHEDULE_POSTING: 'false',
    // Nothing listens there: tests that need rates start the fake Bank of Russia and point here.
    CBR_URL: 'http://127.0.0.1:9/scripts/',
    CBR_WAIT_MS: '1000',
    ...overrides,
  });
}

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

let ownCluster: Promise<string> | undefined;

/**
 * The database tests use: DATABASE_URL (set by `test/support/with-database.ts` for `npm test`, or
 * by the caller), else a cluster of this process's own in the temporary folder — for a single test
 * file run by hand.
 */
export function testDatabaseUrl(): Promise<string> {
  const url = process.env.DATABASE_URL;
  if (url) return Promise.resolve(url);
  ownCluster ??= (async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wt-test-db-'));
    const cluster = await startEmbeddedPostgres({ logger, dataDir, maxConnections: 300 });
    // The cluster gets its fast shutdown on exit; what it still writes then may outlive this.
    process.once('exit', () => {
      try {
        rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // left in the temporary folder
      }
    });
    return cluster.url;
  })();
  return ownCluster;
}

let fileDatabase: Promise<string> | undefined;

/**
 * This test file's own database, copied from a migrated template: files that run side by side
 * never see each other's rows, not even in the tables shared by all users (the instrument
 * catalogue, last prices). `with-database.ts` drops them all after the run (WT_TEST_RUN names it).
 */
function fileDatabaseUrl(): Promise<string> {
  // A file run on its own (no WT_TEST_RUN) has nobody beside it: the database as given.
  if (process.env.WT_TEST_RUN === undefined) return testDatabaseUrl();
  fileDatabase ??= (async () => {
    const base = new URL(await testDatabaseUrl());
    const run = (process.env.WT_TEST_RUN ?? '').replace(/[^a-z0-9]/g, '');
    const hash = createHash('sha256')
      .update(
        readMigrations()
          .map((m) => m.checksum)
          .join(','),
      )
      .digest('hex')
      .slice(0, 12);
    const template = `wt_tpl_${run}_${hash}`;
    const name = `wt_t_${run}_${process.pid}_${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    try {
      // One file makes the template; the others wait for it.
      await admin.query('select pg_advisory_lock(7262002)');
      const found = await admin.query('select 1 from pg_database where datname = $1', [template]);
      if (found.rowCount === 0) {
        await admin.query(`create database ${template}`);
        const url = new URL(base);
        url.pathname = `/${template}`;
        const database = await openDatabase({ ...testConfig(), databaseUrl: url.toString() }, logger);
        await migrate(database, logger);
        await database.close();
      }
      await admin.query(`create database ${name} template ${template}`);
    } finally {
      await admin.query('select pg_advisory_unlock(7262002)').catch(() => undefined);
      await admin.end();
    }
    base.pathname = `/${name}`;
    return base.toString();
  })();
  return fileDatabase;
}

/** The database of a test app: an explicit DATABASE_URL override as given, else the file's own. */
export async function testDatabase(config: Config): Promise<Database> {
  const explicit = config.databaseUrl !== undefined && config.databaseUrl !== process.env.DATABASE_URL;
  const database = await openDatabase(
    { ...config, databaseUrl: explicit ? config.databaseUrl : await fileDatabaseUrl() },
    logger,
  );
  if (explicit || process.env.WT_TEST_RUN === undefined) await migrate(database, logger);
  return database;
}

/** A new empty database on the test server, dropped by `drop()`. */
export async function emptyDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const url = new URL(await testDatabaseUrl());
  const name = `wt_empty_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  url.pathname = `/${name}`;
  const database = await openDatabase({ ...testConfig(), databaseUrl: url.toString() }, logger);
  return {
    database,
    drop: async () => {
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface TestApp {
  app: AppInstance;
  config: Config;
  database: Database;
  cache: Cache;
  close(): Promise<void>;
}

export async function buildTestApp(
  options: { env?: Record<string, string>; deps?: Partial<AppDeps>; logger?: Logger } = {},
): Promise<TestApp> {
  const config = testConfig(options.env);
  const log = options.logger ?? logger;
  const database = options.deps?.database ?? (await testDatabase(config));
  // A fresh key prefix per app keeps counters of different test files apart in a shared Redis.
  const prefix = `wt-test:${randomUUID()}:`;
  const now = options.deps?.now ?? (() => new Date());
  const cache = config.redisUrl
    ? await redisCache(config.redisUrl, log, now, prefix)
    : memoryCache(now, prefix);
  const app = await buildApp({ config, database, cache, logger: log, ...options.deps, now });
  await app.ready();
  return {
    app,
    config,
    database,
    cache,
    async close() {
      await app.close();
      await cache.close();
      await database.close();
    },
  };
}

export interface Session {
  accessToken: string;
  refreshCookie: string;
  user: { id: string; email: string };
  auth: { authorization: string };
}

export const uniqueEmail = () => `user-${randomUUID()}@example.test`;
export const PASSWORD = 'correct horse battery';

/** Registers a new user and returns its tokens. */
export async function register(
  app: AppInstance,
  email = uniqueEmail(),
  password = PASSWORD,
): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password } });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  return sessionOf(res);
}

export function sessionOf(res: { json(): unknown; cookies: { name: string; value: string }[] }): Session {
  const body = res.json() as { accessToken: string; user: { id: string; email: string } };
  const cookie = res.cookies.find((c) => c.name === 'wt_refresh');
  return {
    accessToken: body.accessToken,
    refreshCookie: cookie?.value ?? '',
    user: body.user,
    auth: { authorization: `Bearer ${body.accessToken}` },
  };
}
