import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { embedded, openDatabase, rowsOf, type Database } from '../../src/server/platform/db.js';
import { migrate, readMigrations } from '../../src/server/platform/migrate.js';
import { buildTestApp, PASSWORD, testConfig } from '../support/app.js';

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

/** An empty database: embedded, or a new one on the PostgreSQL server of DATABASE_URL. */
async function emptyDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const config = testConfig();
  if (config.databaseUrl === undefined)
    return { database: embedded(await PGlite.create()), drop: async () => {} };
  const name = `wt_upgrade_${randomBytes(5).toString('hex')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    await client.query(text).finally(() => client.end());
  };
  await admin(`create database ${name}`);
  const url = new URL(config.databaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ ...config, databaseUrl: url.toString() }, logger);
  return { database, drop: () => admin(`drop database if exists ${name} with (force)`) };
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

describe('upgrading a database made by release 0.1.0', () => {
  it('migrates to the current schema keeping every row, and its users log in and see their money', async () => {
    const { database, drop } = await emptyDatabase();
    try {
      const migrations = readMigrations();
      const previous = migrations.slice(0, RELEASE_0_1_0.length);
      assert.deepEqual(
        previous.map((m) => m.id),
        RELEASE_0_1_0,
      );
      await migrate(database, logger, previous);
      await database.runScript(readFileSync(FIXTURE, 'utf8'));
      const released = await columnsOf(database);
      const before = await contents(database, released);
      const empty = [...before].filter(([, rows]) => rows.length === 0).map(([table]) => table);
      assert.deepEqual(empty, [], 'the 0.1.0 database has rows in every table');

      const applied = await migrate(database, logger, migrations);
      assert.deepEqual(
        applied,
        migrations.slice(previous.length).map((m) => m.id),
      );
      const current = await columnsOf(database);
      for (const [table, list] of released) {
        const gone = list.filter((c) => !current.get(table)?.includes(c));
        assert.deepEqual(gone, [], `${table} keeps its columns`);
      }
      const after = await contents(database, released);
      for (const [table, rows] of before)
        assert.deepEqual(after.get(table), rows, `${table}: every row, unchanged`);

      const t = await buildTestApp({ deps: { database } });
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
      // The database is this test's: only the app and its cache close here.
      await t.app.close();
      await t.cache.close();
    } finally {
      await database.close();
      await drop();
    }
  });
});
