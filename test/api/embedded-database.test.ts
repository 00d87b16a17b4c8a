import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { rowsOf } from '../../src/server/platform/db.js';
import { openDatabase } from '../../src/server/platform/open-database.js';
import { migrate, readMigrations } from '../../src/server/platform/migrate.js';
import { pgliteDatabase } from '../../src/server/platform/pglite-conversion.js';
import { testConfig } from '../support/app.js';

const logger = pino({ level: 'silent' });
const configFor = (dataDir: string) => ({ ...testConfig(), databaseUrl: undefined, dataDir });

async function withFolder(fn: (dir: string) => Promise<void>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wt-data-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A process holding the folder's database open, as a running app would. */
function holder(dataDir: string, script = '') {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/hold-database.ts', dataDir, script],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return { child, ready };
}

const postmasterPid = (dataDir: string) => {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
};

describe('the embedded database', () => {
  it('keeps its data across a restart, reachable through a socket only', async () => {
    await withFolder(async (dir) => {
      const first = await openDatabase(configFor(dir), logger);
      assert.equal(first.driver, 'embedded');
      await migrate(first, logger);
      await first.runScript(`insert into users (email, password_hash) values ('restart@example.test', 'x')`);
      const [listen] = await rowsOf<{ listen_addresses: string }>(
        first.db.execute(sql`show listen_addresses`),
      );
      assert.equal(listen?.listen_addresses, '', 'no TCP port is opened');
      await first.close();
      assert.equal(postmasterPid(dir), undefined, 'closing the app stops its database');

      const second = await openDatabase(configFor(dir), logger);
      const rows = await rowsOf<{ email: string }>(second.db.execute(sql`select email from users`));
      await second.close();
      assert.deepEqual(
        rows.map((r) => r.email),
        ['restart@example.test'],
      );
    });
  });

  it('converts a data folder made by 0.1 (PGlite) on first start, every row and amount intact', async () => {
    await withFolder(async (dir) => {
      // What 0.1 left: PGlite's files at the top of the folder, its six migrations applied.
      const old = await PGlite.create(dir);
      await migrate(
        await pgliteDatabase(old),
        logger,
        readMigrations().filter((m) => m.id <= '0006'),
      );
      await old.exec(`
        insert into users (id, email, password_hash) values ('00000000-0000-4000-8000-000000000001', 'old@example.test', 'x');
        insert into budget_accounts (id, user_id, name, kind, currency, opening_balance)
          values ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'Карта', 'card', 'RUB', '1234567.89');`);
      await old.close();

      const database = await openDatabase(configFor(dir), logger);
      await migrate(database, logger);
      const accounts = await rowsOf<{ name: string; opening_balance: string }>(
        database.db.execute(sql`select name, opening_balance from budget_accounts`),
      );
      await database.close();
      assert.deepEqual(accounts, [{ name: 'Карта', opening_balance: '1234567.89' }]);
      assert.ok(!existsSync(path.join(dir, 'PG_VERSION')), 'the old files no longer sit at the top');
      const aside = readdirSync(dir).filter((e) => e.startsWith('pglite-'));
      assert.equal(aside.length, 1, 'the old files are kept aside');

      const again = await openDatabase(configFor(dir), logger);
      const [count] = await rowsOf<{ n: number }>(
        again.db.execute(sql`select count(*)::int as n from budget_accounts`),
      );
      await again.close();
      assert.equal(count?.n, 1, 'a second start converts nothing again');
    });
  });

  it('survives the app being killed: the next start takes the database over with every committed row', async () => {
    await withFolder(async (dir) => {
      const app = holder(dir, `insert into users (email, password_hash) values ('killed@example.test', 'x')`);
      await app.ready;
      const orphan = postmasterPid(dir);
      app.child.kill('SIGKILL');
      await new Promise((r) => app.child.once('exit', r));
      assert.ok(orphan !== undefined && process.kill(orphan, 0), 'the database outlived the killed app');

      const database = await openDatabase(configFor(dir), logger);
      const rows = await rowsOf<{ email: string }>(database.db.execute(sql`select email from users`));
      assert.notEqual(postmasterPid(dir), orphan, 'a new postmaster runs');
      await database.close();
      assert.deepEqual(
        rows.map((r) => r.email),
        ['killed@example.test'],
      );
    });
  });

  it('starts over pid files left by a power cut whose numbers now belong to other processes', async () => {
    await withFolder(async (dir) => {
      const first = await openDatabase(configFor(dir), logger);
      await first.close();
      // The numbers of live processes that are not ours: this test process (started at another
      // time than the file says) and, as the postmaster, the same.
      writeFileSync(path.join(dir, 'app.pid'), `${process.ppid}\n1\n`);
      writeFileSync(
        path.join(dir, 'postgres', 'postmaster.pid'),
        `${process.pid}\n${path.join(dir, 'postgres')}\n0\n5432\n\n\n`,
      );
      const database = await openDatabase(configFor(dir), logger);
      await database.close();
      assert.ok(process.kill(process.pid, 0), 'the process named by the stale file was not signalled');
    });
  });

  it('refuses a second app on a folder that a running app uses', async () => {
    await withFolder(async (dir) => {
      const app = holder(dir);
      await app.ready;
      try {
        await assert.rejects(openDatabase(configFor(dir), logger), /in use by another running WealthTracker/);
      } finally {
        app.child.kill('SIGTERM');
        await new Promise((r) => app.child.once('exit', r));
      }
    });
  });
});
