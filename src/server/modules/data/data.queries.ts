import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../platform/db.js';

/**
 * What the full export holds, in the order an import writes it (every reference points back).
 * `uuids` are the columns that hold ids of the user's own rows, or lists of them, or a path to one
 * inside a JSON column ("operation.values.manualAssetId"): an import gives each a new id.
 * `owner` is how a table's rows are the user's: its own `user_id`, or a parent's.
 */
export const EXPORT_TABLES = [
  { name: 'budget_accounts', uuids: ['id'], order: 'id' },
  // Groups before their categories.
  { name: 'budget_categories', uuids: ['id', 'parent_id'], order: 'parent_id nulls first, id' },
  {
    name: 'budget_transactions',
    uuids: ['id', 'account_id', 'to_account_id', 'category_id'],
    order: 'id',
  },
  { name: 'budget_account_months', uuids: ['account_id'], order: 'account_id, month' },
  {
    name: 'budget_category_months',
    uuids: ['account_id', 'category_id'],
    order: 'account_id, month, type, category_id nulls first',
  },
  { name: 'fx_user_rates', uuids: ['id'], order: 'id' },
  { name: 'import_presets', uuids: ['id'], order: 'id' },
  { name: 'import_rules', uuids: ['id', 'category_id', 'transfer_account_id'], order: 'id' },
  { name: 'import_batches', uuids: ['id', 'account_id'], order: 'id' },
  {
    name: 'import_rows',
    uuids: ['batch_id', 'account_id', 'to_account_id', 'category_id', 'transaction_id', 'transfer_match_id'],
    order: 'batch_id, line',
  },
  // Shared reference data the operations name; another instance may not know them yet.
  {
    name: 'instruments',
    uuids: [],
    order: 'uid',
    shared: `uid in (select instrument_uid from operations where user_id = $user
      union select instrument_uid from positions where user_id = $user
      union select operation->'values'->>'instrumentUid' from activity_import_rows where user_id = $user)`,
  },
  { name: 'portfolios', uuids: ['id'], order: 'id' },
  { name: 'manual_assets', uuids: ['id'], order: 'id' },
  { name: 'manual_asset_prices', uuids: ['id', 'manual_asset_id'], order: 'id' },
  { name: 'operations', uuids: ['id', 'portfolio_id', 'manual_asset_id'], order: 'id' },
  { name: 'positions', uuids: ['id', 'portfolio_id', 'manual_asset_id'], order: 'id' },
  { name: 'activity_import_batches', uuids: ['id', 'portfolio_id', 'created_assets'], order: 'id' },
  {
    name: 'activity_import_rows',
    uuids: ['batch_id', 'portfolio_id', 'operation_id', 'operation.values.manualAssetId'],
    order: 'batch_id, line',
  },
  { name: 'obligations', uuids: ['id', 'series_id'], order: 'id' },
  { name: 'credit_blocks', uuids: ['id'], order: 'id' },
  {
    name: 'credit_payments',
    uuids: ['id', 'block_id'],
    order: 'id',
    child: 'block_id in (select id from credit_blocks where user_id = $user)',
  },
  {
    name: 'credit_early_repayments',
    uuids: ['id', 'block_id'],
    order: 'id',
    child: 'block_id in (select id from credit_blocks where user_id = $user)',
  },
  { name: 'schedules', uuids: ['id', 'account_id', 'to_account_id', 'category_id'], order: 'id' },
  { name: 'schedule_occurrences', uuids: ['id', 'schedule_id', 'transaction_id'], order: 'id' },
] as const satisfies readonly {
  name: string;
  uuids: readonly string[];
  order: string;
  shared?: string;
  child?: string;
}[];

export type ExportTable = (typeof EXPORT_TABLES)[number];

/** Tables files of earlier versions hold that are now rebuilt from the rest: an import skips them. */
export const REBUILT_TABLES = new Set(['net_worth_snapshots']);

function whereOf(table: ExportTable, userId: string) {
  const condition = 'shared' in table ? table.shared : 'child' in table ? table.child : 'user_id = $user';
  // The conditions are constants of this file; only the user id is a parameter.
  const [first, ...rest] = condition.split('$user');
  return sql.join([sql.raw(first!), ...rest.flatMap((part) => [sql`${userId}::uuid`, sql.raw(part)])], sql``);
}

/**
 * One page of a table's rows as JSON texts, without `user_id`, numbers as strings (exact decimals
 * survive any JSON reader).
 */
export async function exportPage(
  db: Db,
  table: ExportTable,
  userId: string,
  limit: number,
  offset: number,
): Promise<string[]> {
  const rows = await rowsOf<{ j: string }>(
    db.execute(sql`select (select jsonb_object_agg(key, case when jsonb_typeof(value) = 'number'
          then to_jsonb(value #>> '{}') else value end)
        from jsonb_each(to_jsonb(x) - 'user_id'))::text as j
      from (select * from ${sql.raw(table.name)} where ${whereOf(table, userId)}
        order by ${sql.raw(table.order)} limit ${limit} offset ${offset}) x`),
  );
  return rows.map((r) => r.j);
}

export async function profileOf(db: Db, userId: string) {
  const [row] = await rowsOf<{ base_currency: string; time_zone: string; locale: string }>(
    db.execute(sql`select base_currency, time_zone, locale from users where id = ${userId}`),
  );
  return row;
}

/** Whether the user has anything of their own besides what every new user gets (categories, an empty portfolio). */
export async function ownsAnything(db: Db, userId: string): Promise<boolean> {
  const tables = [
    'budget_accounts',
    'budget_transactions',
    'operations',
    'positions',
    'manual_assets',
    'obligations',
    'credit_blocks',
    'schedules',
    'fx_user_rates',
    'import_rules',
    'import_presets',
  ];
  const checks = tables.map((t) => sql`exists (select 1 from ${sql.raw(t)} where user_id = ${userId})`);
  const rows = await rowsOf<{ any: boolean }>(db.execute(sql`select ${sql.join(checks, sql` or `)} as any`));
  return rows[0]?.any ?? false;
}

/** What a new user starts with (categories, an empty portfolio) makes way for the imported things. */
export async function dropDefaults(db: Db, userId: string): Promise<void> {
  await db.execute(sql`delete from portfolios where user_id = ${userId}`);
  await db.execute(sql`delete from budget_categories where user_id = ${userId} and parent_id is not null`);
  await db.execute(sql`delete from budget_categories where user_id = ${userId}`);
}

/** Writes rows given as JSON objects with the table's own column names; unknown keys are ignored. */
export async function insertRows(db: Db, table: ExportTable, rows: object[]): Promise<void> {
  const name = sql.raw(table.name);
  await db.execute(sql`insert into ${name} select * from jsonb_populate_recordset(null::${name}, ${JSON.stringify(rows)}::jsonb)
    ${'shared' in table ? sql`on conflict do nothing` : sql``}`);
}

export async function setProfile(
  db: Db,
  userId: string,
  profile: { baseCurrency: string; timeZone: string; locale: string },
): Promise<void> {
  await db.execute(sql`update users set base_currency = ${profile.baseCurrency}, time_zone = ${profile.timeZone},
    locale = ${profile.locale}, updated_at = now() where id = ${userId}`);
}
