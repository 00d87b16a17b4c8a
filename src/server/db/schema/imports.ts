import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { budgetAccounts, budgetCategories } from './budget.js';
import { users } from './users.js';

/** The id and owner of an import batch (statements and activities alike). */
export const batchOwnerColumns = () => ({
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
});

/** When an import batch was uploaded and committed. */
export const batchTimeColumns = () => ({
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  committedAt: timestamp('committed_at', { withTimezone: true }),
});

/** The batch, line and owner of an imported row. */
export const rowHeadColumns = (batchId: () => AnyPgColumn) => ({
  batchId: uuid('batch_id').notNull().references(batchId, { onDelete: 'cascade' }),
  line: integer('line').notNull(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
});

/** One uploaded statement: a preview until committed; a committed batch is undone as a whole. */
export const importBatches = pgTable(
  'import_batches',
  {
    ...batchOwnerColumns(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => budgetAccounts.id, { onDelete: 'cascade' }),
    /** csv | ofx | qif */
    format: text('format').notNull(),
    fileName: text('file_name').notNull().default(''),
    /** preview | committed */
    status: text('status').notNull(),
    ...batchTimeColumns(),
  },
  (t) => [
    index('import_batches_user_idx').on(t.userId, t.createdAt),
    check('import_batches_format_check', sql`${t.format} in ('csv', 'ofx', 'qif')`),
    check('import_batches_status_check', sql`${t.status} in ('preview', 'committed')`),
  ],
);

/** A statement row: staged for the preview, then (committed) the record that it was imported. */
export const importRows = pgTable(
  'import_rows',
  {
    ...rowHeadColumns(() => importBatches.id),
    accountId: uuid('account_id').notNull(),
    /** new | duplicate | skipped */
    status: text('status').notNull(),
    committed: boolean('committed').notNull().default(false),
    /** "id:<bank id>" or "fp:<day>|<amount>|<description>|<n-th alike that day>" */
    dedupeKey: text('dedupe_key').notNull().default(''),
    date: date('date', { mode: 'string' }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }),
    type: text('type').notNull(),
    amount: numeric('amount', { precision: 20, scale: 2 }).notNull(),
    /** Set by a transfer rule: the other own account of a transfer (from it when money came in). */
    toAccountId: uuid('to_account_id'),
    categoryId: uuid('category_id'),
    /** rule | learned | bank | user */
    categorySource: text('category_source'),
    description: text('description').notNull(),
    payee: text('payee').notNull(),
    payeeKey: text('payee_key').notNull(),
    mcc: text('mcc'),
    bankCategory: text('bank_category'),
    bankId: text('bank_id'),
    transactionId: uuid('transaction_id').notNull(),
    /** An imported operation of another own account that looks like the other side of a transfer. */
    transferMatchId: uuid('transfer_match_id'),
  },
  (t) => [
    uniqueIndex('import_rows_batch_line_key').on(t.batchId, t.line),
    uniqueIndex('import_rows_committed_key')
      .on(t.accountId, t.dedupeKey)
      .where(sql`${t.committed}`),
    index('import_rows_payee_idx')
      .on(t.userId, t.payeeKey)
      .where(sql`${t.committed}`),
    index('import_rows_transaction_idx')
      .on(t.transactionId)
      .where(sql`${t.committed}`),
    check('import_rows_status_check', sql`${t.status} in ('new', 'duplicate', 'skipped')`),
    check('import_rows_type_check', sql`${t.type} in ('income', 'expense')`),
  ],
);

/** A CSV column mapping saved under a name: of bank statements or of investment activities. */
export const importPresets = pgTable(
  'import_presets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** statements | activities */
    kind: text('kind').notNull().default('statements'),
    settings: jsonb('settings').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('import_presets_user_name_key').on(t.userId, t.name),
    check('import_presets_kind_check', sql`${t.kind} in ('statements', 'activities')`),
  ],
);

/** When a row's field contains `pattern`: set the category, rewrite the description or make it a transfer. */
export const importRules = pgTable(
  'import_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** description | payee | mcc */
    field: text('field').notNull(),
    pattern: text('pattern').notNull(),
    categoryId: uuid('category_id').references(() => budgetCategories.id),
    setDescription: text('set_description'),
    transferAccountId: uuid('transfer_account_id').references(() => budgetAccounts.id, {
      onDelete: 'cascade',
    }),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('import_rules_user_idx').on(t.userId, t.position),
    check('import_rules_field_check', sql`${t.field} in ('description', 'payee', 'mcc')`),
  ],
);
