import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { rowsOf, type Database } from '../../src/server/platform/db.js';
import { openDatabase } from '../../src/server/platform/open-database.js';
import { migrate, readMigrations } from '../../src/server/platform/migrate.js';
import { pgliteDatabase } from '../../src/server/platform/pglite-conversion.js';
import { buildTestApp, emptyDatabase, PASSWORD, testConfig } from '../support/app.js';

const logger = pino({ level: 'silent' });

/** The migrations release 0.1.0 shipped; its databases are what an upgrade starts from. */
const RELEASE_0_1_0 = [
  '0001_users_sessions',
  '0002_budget',
  '0003_obligations',
  '0004_investments',
  '0005_net_worth',
  '0006_account_month_flows',
];
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/release-0.1.0.sql');

/** Makes `database` what 0.1.0 left: its migrations applied and its users' rows in every table. */
async function release010(database: Database): Promise<Map<string, string[]>> {
  const previous = readMigrations().slice(0, RELEASE_0_1_0.length);
  assert.deepEqual(
    previous.map((m) => m.id),
    RELEASE_0_1_0,
  );
  await migrate(database, logger, previous);
  await database.runScript(readFileSync(FIXTURE, 'utf8'));
  const columns = await columnsOf(database);
  const rows = await contents(database, columns);
  const empty = [...rows].filter(([, r]) => r.length === 0).map(([table]) => table);
  assert.deepEqual(empty, [], 'the 0.1.0 database has rows in every table');
  return columns;
}

/** The columns of every table but the migrations' own. */
async function columnsOf(database: Database): Promise<Map<string, string[]>> {
  const rows = await rowsOf<{ table_name: string; column_name: string }>(
    database.db.execute(sql`select table_name, column_name from information_schema.columns
      where table_schema = 'public' and table_name <> 'schema_migrations' order by table_name, ordinal_position`),
  );
  const tables = new Map<string, string[]>();
  for (const r of rows) tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), r.column_name]);
  return tables;
}

/** Every row of the given tables, as sorted JSON texts of the given columns. */
async function contents(database: Database, columns: Map<string, string[]>): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  for (const [table, list] of columns) {
    const select = list.map((c) => `"${c}"`).join(', ');
    const rows = await rowsOf<{ row: string }>(
      database.db.execute(
        sql.raw(`select to_jsonb(x)::text as row from (select ${select} from "${table}") x order by 1`),
      ),
    );
    result.set(
      table,
      rows.map((r) => r.row),
    );
  }
  return result;
}

/** Migrates to the current schema; then every 0.1.0 table keeps its columns and every row its values. */
async function upgradeKeepsEverything(
  database: Database,
  released: Map<string, string[]>,
  before: Map<string, string[]>,
) {
  const migrations = readMigrations();
  await migrate(database, logger, migrations);
  const applied = await rowsOf<{ id: string }>(
    database.db.execute(sql`select id from schema_migrations order by id`),
  );
  assert.deepEqual(
    applied.map((m) => m.id),
    migrations.map((m) => m.id),
  );
  const current = await columnsOf(database);
  for (const [table, list] of released) {
    const gone = list.filter((c) => !current.get(table)?.includes(c));
    assert.deepEqual(gone, [], `${table} keeps its columns`);
  }
  const after = await contents(database, released);
  for (const [table, rows] of before)
    assert.deepEqual(after.get(table), rows, `${table}: every row, unchanged`);
}

/** The upgraded app: the 0.1.0 user logs in and sees the same money. */
async function sameMoney(database: Database) {
  const t = await buildTestApp({ deps: { database } });
  try {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'anna@example.test', password: PASSWORD },
    });
    assert.equal(login.statusCode, 200, login.body);
    const auth = { authorization: `Bearer ${login.json().accessToken as string}` };
    const month = await t.app.inject({ url: '/api/budget/summary/month?month=2026-10', headers: auth });
    assert.equal(month.statusCode, 200, month.body);
    const { totals } = month.json<{ totals: { currency: string; income: string; expense: string }[] }>();
    const rub = totals.find((x) => x.currency === 'RUB')!;
    assert.equal(rub.income, '120000.00');
    assert.equal(rub.expense, '3456.78');
    const accounts = await t.app.inject({ url: '/api/budget/accounts', headers: auth });
    assert.deepEqual(
      accounts
        .json<{ name: string; balance: string }[]>()
        .map((a) => `${a.name} ${a.balance}`)
        .sort(),
      ['Dollars 387.50', 'Карта 72543.22', 'Накопительный 150000.00'],
    );
    const portfolio = await t.app.inject({ url: '/api/portfolio', headers: auth });
    assert.equal(portfolio.statusCode, 200, portfolio.body);
    assert.equal(portfolio.json().portfolios.length, 2);
  } finally {
    // The database is the test's own: only the app and its cache close here.
    await t.app.close();
    await t.cache.close();
  }
}

describe('upgrading a database made by release 0.1.0', () => {
  it('on a PostgreSQL server: migrates keeping every row, and its user sees the same money', async () => {
    const { database, drop } = await emptyDatabase();
    try {
      const released = await release010(database);
      const before = await contents(database, released);
      await upgradeKeepsEverything(database, released, before);
      await sameMoney(database);
    } finally {
      await drop();
    }
  });

  it('in the embedded data folder (0.1.0 ran PGlite there): converted and migrated keeping every row', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wt-upgrade-'));
    try {
      const old = await pgliteDatabase(await PGlite.create(dataDir));
      const released = await release010(old);
      const before = await contents(old, released);
      await old.close();

      const database = await openDatabase({ ...testConfig(), databaseUrl: undefined, dataDir }, logger);
      try {
        await upgradeKeepsEverything(database, released, before);
        await sameMoney(database);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
