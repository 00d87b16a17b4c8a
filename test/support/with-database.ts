/**
 * Runs a command (a test runner) with DATABASE_URL pointing at a database: the one already set,
 * or else an embedded PostgreSQL cluster made for this run in the temporary folder, the same
 * cluster the app starts on its embedded defaults, stopped and removed when the command ends.
 *
 *   node --import tsx test/support/with-database.ts <command> [args…]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startEmbeddedPostgres } from '../../src/server/platform/embedded-postgres.js';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('usage: with-database.ts <command> [args…]');
  process.exit(2);
}

let url = process.env.DATABASE_URL;
let cleanUp = async () => {};
if (!url) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wt-test-db-'));
  const cluster = await startEmbeddedPostgres({
    logger: pino({ level: 'warn' }),
    dataDir,
    // Test files run two at a time, each with several apps of up to 20 connections.
    maxConnections: 300,
  });
  url = cluster.url;
  cleanUp = async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

// Test files make their own databases named after the run (test/support/app.ts); dropped below.
const run = randomBytes(6).toString('hex');
const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url, WT_TEST_RUN: run },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const made = await admin.query<{ datname: string }>(
  `select datname from pg_database where datname like 'wt\\_t\\_${run}\\_%' or datname like 'wt\\_tpl\\_${run}\\_%'`,
);
for (const { datname } of made.rows) await admin.query(`drop database if exists ${datname} with (force)`);
await admin.end();
await cleanUp();
process.exit(code);
