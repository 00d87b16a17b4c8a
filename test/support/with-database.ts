/**
 * Runs a command (a test runner) with DATABASE_URL pointing at a database: the one already set,
 * or else an embedded PostgreSQL cluster made for this run in the temporary folder, the same
 * cluster the app starts on its embedded defaults, stopped and removed when the command ends.
 *
 *   node --import tsx test/support/with-database.ts <command> [args…]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

const child = spawn(command, args, {
  stdio: 'inherit',
  env: {
    ...process.env,
    DATABASE_URL: url,
    WT_TEST_DATABASE: process.env.DATABASE_URL ? 'postgres' : 'embedded',
  },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
await cleanUp();
process.exit(code);
