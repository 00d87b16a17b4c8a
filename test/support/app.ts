import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pino, type Logger } from 'pino';
import { buildApp, type AppDeps, type AppInstance } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { memoryCache, redisCache, type Cache } from '../../src/server/platform/cache.js';
import { embedded, openDatabase, type Database } from '../../src/server/platform/db.js';
import { migrate, readMigrations } from '../../src/server/platform/migrate.js';

/**
 * API tests run against PGlite by default and against the real PostgreSQL and Redis when
 * DATABASE_URL / REDIS_URL are set. Every test registers its own users, so files do not interfere.
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
    ...overrides,
  });
}

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A migrated embedded database, loaded from a snapshot made once per set of migrations. */
async function snapshotPglite(): Promise<PGlite> {
  const migrations = readMigrations();
  const hash = createHash('sha256')
    .update(migrations.map((m) => m.checksum).join(','))
    .digest('hex')
    .slice(0, 16);
  const dir = path.resolve('.tmp');
  const file = path.join(dir, `pglite-${hash}.tar.gz`);
  if (existsSync(file)) {
    return PGlite.create({ loadDataDir: new Blob([readFileSync(file)]) });
  }
  const client = await PGlite.create();
  await migrate(embedded(client), logger, migrations);
  const dump = await client.dumpDataDir('gzip');
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, file);
  return client;
}

export async function testDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl === undefined) return embedded(await snapshotPglite());
  const database = await openDatabase(config, logger);
  await migrate(database, logger);
  return database;
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
  const cache = config.redisUrl ? redisCache(config.redisUrl, log, prefix) : memoryCache(prefix);
  const app = await buildApp({
    config,
    database,
    cache,
    logger: log,
    now: () => new Date(),
    ...options.deps,
  });
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
