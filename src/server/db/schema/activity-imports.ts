import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { portfolios } from './investments.js';
import { batchOwnerColumns, batchTimeColumns, rowHeadColumns } from './imports.js';

/** One uploaded activities file for a portfolio: a preview until committed, undone as a whole. */
export const activityImportBatches = pgTable(
  'activity_import_batches',
  {
    ...batchOwnerColumns(),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    /** csv | json */
    format: text('format').notNull(),
    /** The built-in preset the file was read with (ghostfolio, intelinvest, snowball); null: a mapping. */
    preset: text('preset'),
    fileName: text('file_name').notNull().default(''),
    /** preview | committed */
    status: text('status').notNull(),
    /** Hand-priced assets the commit created for instruments the catalogue lacks; undo removes them. */
    createdAssets: uuid('created_assets').array().notNull(),
    ...batchTimeColumns(),
  },
  (t) => [
    index('activity_import_batches_user_idx').on(t.userId, t.createdAt),
    check('activity_import_batches_format_check', sql`${t.format} in ('csv', 'json')`),
    check('activity_import_batches_status_check', sql`${t.status} in ('preview', 'committed')`),
  ],
);

/** An activity: staged as the operation it becomes, then (committed) the record that it was imported. */
export const activityImportRows = pgTable(
  'activity_import_rows',
  {
    ...rowHeadColumns(() => activityImportBatches.id),
    portfolioId: uuid('portfolio_id').notNull(),
    /** new | duplicate | skipped */
    status: text('status').notNull(),
    committed: boolean('committed').notNull().default(false),
    /** "<day>|<type>|<instrument>|<quantity>|<price>|<n-th alike that day>" */
    dedupeKey: text('dedupe_key').notNull(),
    /** The ticker or ISIN as the file gives it. */
    symbol: text('symbol').notNull(),
    /** The catalogue's name, or null when the instrument becomes a hand-priced asset. */
    name: text('name'),
    /** The operation's column values as the operations service prepared them. */
    operation: jsonb('operation').notNull(),
    operationId: uuid('operation_id').notNull(),
  },
  (t) => [
    uniqueIndex('activity_import_rows_batch_line_key').on(t.batchId, t.line),
    index('activity_import_rows_committed_idx')
      .on(t.portfolioId, t.dedupeKey)
      .where(sql`${t.committed}`),
    check('activity_import_rows_status_check', sql`${t.status} in ('new', 'duplicate', 'skipped')`),
  ],
);
