import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { backup, BackupError, restore } from '../../scripts/backup.js';
import type { Config } from '../../src/server/config.js';
import { rowsOf, type Database } from '../../src/server/platform/db.js';
import { openDatabase } from '../../src/server/platform/open-database.js';
import { migrate } from '../../src/server/platform/migrate.js';
import { buildTestApp, register, testConfig } from '../support/app.js';
import { adminQuery, createDatabase, REPO, type TempDatabase } from './support.js';

const logger = pino({ level: 'silent' });
const BACKUP_NAME = /^wealthtracker-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.(dump|tar\.gz)$/;

type Query = (text: string) => Promise<Record<string, unknown>[]>;

/** One checksum per table of every row, so two databases compare equal only with the same data. */
async function fingerprint(query: Query): Promise<Record<string, string>> {
  const tables = await query(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await query(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as sum from "${String(name)}" t`,
    );
    result[String(name)] = `${String(row?.n)} rows, ${String(row?.sum)}`;
  }
  return result;
}

const embeddedQuery =
  (database: Database): Query =>
  (text) =>
    rowsOf<Record<string, unknown>>(database.db.execute(sql.raw(text)));

const pgQuery =
  (url: string): Query =>
  (text) =>
    adminQuery(url, text);

/** A few users with a profile written through the app, so the backup holds real rows. */
async function fillThroughApp(config: Config, env: Record<string, string>): Promise<void> {
  const database = await openDatabase(config, logger);
  await migrate(database, logger);
  const t = await buildTestApp({ env, deps: { database } });
  try {
    for (const name of ['Анна', "O'Brien; drop table users", 'Борис']) {
      const s = await register(t.app);
      const res = await t.app.inject({
        method: 'PATCH',
        url: '/api/users/me',
        headers: s.auth,
        payload: { name },
      });
      assert.equal(res.statusCode, 200);
    }
  } finally {
    await t.close();
  }
}

function npmRun(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('backup and restore', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'wt-backup-'));
    // Run by root, the embedded cluster runs as "nobody", which must pass through to DATA_DIR.
    chmodSync(tmp, 0o755);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('PostgreSQL: pg_dump, then pg_restore | psql in one transaction', () => {
    const dbs: TempDatabase[] = [];
    after(async () => {
      await Promise.all(dbs.map((d) => d.drop()));
    });

    it('round trip into an empty database; a non-empty one only with --force', async () => {
      const source = await createDatabase();
      const copy = await createDatabase();
      dbs.push(source, copy);
      const sourceEnv = { DATABASE_URL: source.url };
      await fillThroughApp(testConfig(sourceEnv), sourceEnv);
      const expected = await fingerprint(pgQuery(source.url));
      assert.match(expected.users ?? '', /^3 rows/);

      // Through npm, as a person runs it.
      const out = path.join(tmp, 'pg');
      const cli = await npmRun(['backup', '--', '--out', `${out}/`], { DATABASE_URL: source.url });
      assert.equal(cli.code, 0, cli.output);
      const files = readdirSync(out);
      assert.equal(files.length, 1);
      assert.match(files[0]!, BACKUP_NAME);
      assert.ok(files[0]!.endsWith('.dump'));
      const file = path.join(out, files[0]!);
      assert.equal(statSync(file).mode & 0o777, 0o600, 'readable by the owner only');

      const restored = await restore(testConfig({ DATABASE_URL: copy.url }), file);
      assert.ok(restored.migrations >= 1);
      assert.deepEqual(await fingerprint(pgQuery(copy.url)), expected);

      // The copy changes (new data, a table of a later migration): a plain restore refuses…
      await adminQuery(copy.url, "update users set name = 'changed'");
      await adminQuery(copy.url, 'create table later_feature (id int)');
      const refused = await npmRun(['restore', '--', file], { DATABASE_URL: copy.url });
      assert.equal(refused.code, 1);
      assert.match(refused.output, /not empty.*--force/);
      assert.match((await fingerprint(pgQuery(copy.url))).users ?? '', /^3 rows/);
      const changed = await adminQuery<{ name: string }>(copy.url, 'select distinct name from users');
      assert.deepEqual(changed, [{ name: 'changed' }], 'nothing was touched');

      // …and --force replaces everything, the later table included.
      await restore(testConfig({ DATABASE_URL: copy.url }), file, true);
      assert.deepEqual(await fingerprint(pgQuery(copy.url)), expected);
    });

    it('a broken backup file changes nothing', async () => {
      const target = await createDatabase();
      dbs.push(target);
      await adminQuery(target.url, 'create table keep_me (id int); insert into keep_me values (1)');
      await assert.rejects(
        restore(testConfig({ DATABASE_URL: target.url }), path.join(REPO, 'package.json'), true),
        /not a WealthTracker backup/,
      );
      const truncated = path.join(tmp, 'truncated.dump');
      writeFileSync(truncated, 'PGDMP\u0001\u000e\u0000broken');
      await assert.rejects(restore(testConfig({ DATABASE_URL: target.url }), truncated, true), BackupError);
      assert.deepEqual(await adminQuery(target.url, 'select id from keep_me'), [{ id: 1 }]);
    });
  });

  describe('embedded: a snapshot of the stopped cluster in DATA_DIR', () => {
    it('round trip into a new folder; refuses while the database is open and over data without --force', async () => {
      const dataDir = path.join(tmp, 'data');
      const env = { DATABASE_URL: '', DATA_DIR: dataDir };
      const config = testConfig(env);
      await fillThroughApp(config, env);

      const open = await openDatabase(config, logger);
      await assert.rejects(backup(config, tmp), /in use by a running WealthTracker/);
      const expected = await fingerprint(embeddedQuery(open));
      await open.close();
      assert.match(expected.users ?? '', /^3 rows/);

      const file = await backup(config, path.join(tmp, 'embedded'));
      assert.equal(path.dirname(file), path.join(tmp, 'embedded'));
      assert.match(path.basename(file), BACKUP_NAME);
      assert.ok(file.endsWith('.tar.gz'));

      const copyDir = path.join(tmp, 'restored');
      const copyConfig = testConfig({ DATABASE_URL: '', DATA_DIR: copyDir });
      const result = await restore(copyConfig, file);
      assert.ok(result.migrations >= 1);
      const copy = await openDatabase(copyConfig, logger);
      try {
        assert.deepEqual(await fingerprint(embeddedQuery(copy)), expected);
      } finally {
        await copy.close();
      }

      await assert.rejects(restore(copyConfig, file), /not empty.*--force/);
      await assert.rejects(
        restore(
          testConfig({ DATA_DIR: copyDir, DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/unused' }),
          file,
        ),
        /embedded database: unset DATABASE_URL/,
        'a snapshot is not restored into PostgreSQL',
      );
      const forced = await restore(copyConfig, file, true);
      assert.ok(
        forced.replacedDataMovedTo && existsSync(forced.replacedDataMovedTo),
        'the replaced data is kept',
      );
    });
  });
});
