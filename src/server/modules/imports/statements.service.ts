import { importBatches, importRows } from '../../db/schema.js';
import type { Db } from '../../platform/db.js';
import { notFound, validationFailed } from '../../platform/errors.js';
import type { Budget, Profile } from '../budget/budget.js';
import { alreadyCommitted, batchStore } from './batches.js';
import { decodeChunks, type Encoding } from './decoding.js';
import { problem } from './file-problems.js';
import type { ImportRule } from './row-rules.js';
import { readStatementCsv, type CsvLayout, type CsvMapping } from './statement-csv.js';
import { readOfx } from './statement-ofx.js';
import { readQif } from './statement-qif.js';
import type { StatementItem } from './statement-row.js';
import { stageRow, toRowDto, withFormat } from './statement-staging.js';
import * as q from './statements.queries.js';
import {
  CsvMappingSchema,
  type ImportPreview,
  type ImportRow,
  type RowsQuery,
  type UpdateRowBody,
  type UploadQuery,
} from './statements.schemas.js';
import type { PresetSettings } from './saved-presets.js';
import { IMPORT_LIMITS, mappingOfQuery, mappingRequired, ProblemList } from './uploads.js';

/** Rows staged per statement; memory holds one slice, never the file. */
const SLICE = 2000;

type SavedSettings = PresetSettings<CsvMapping>;

interface Deps {
  db: Db;
  budget: Budget;
  profile: Profile;
  now: () => Date;
  rules: (userId: string) => Promise<ImportRule[]>;
  preset: (userId: string, id: string) => Promise<SavedSettings>;
}

export function createStatementsService({ db, budget, profile, now, rules, preset }: Deps) {
  const batches = batchStore(db, importBatches, importRows);

  async function preview(
    userId: string,
    id: string,
    detected?: Partial<ImportPreview>,
  ): Promise<ImportPreview> {
    const batch = await batches.find(userId, id);
    const counts = { new: 0, duplicate: 0, skipped: 0, transfers: 0 };
    for (const c of await batches.counts(id, q.transfersCounted)) {
      counts[c.status as 'new' | 'duplicate' | 'skipped'] = c.n;
      if (c.status === 'new') counts.transfers = c.extra;
    }
    return {
      id,
      accountId: batch.accountId,
      format: batch.format,
      fileName: batch.fileName,
      status: batch.status as ImportPreview['status'],
      encoding: null,
      delimiter: null,
      preset: null,
      header: [],
      ...detected,
      counts,
      createdAt: batch.createdAt.toISOString(),
      committedAt: batch.committedAt?.toISOString() ?? null,
    };
  }

  /** The CSV mapping asked for: JSON in the query, else a saved preset, else a built-in one by header. */
  async function csvSettings(userId: string, query: UploadQuery) {
    let saved: SavedSettings | undefined;
    if (query.presetId !== undefined) saved = await preset(userId, query.presetId);
    let mapping = saved?.mapping;
    if (query.mapping !== undefined) mapping = mappingOfQuery(CsvMappingSchema, query.mapping);
    return {
      encoding: query.encoding ?? saved?.encoding,
      delimiter: query.delimiter ?? saved?.delimiter,
      mapping,
    };
  }

  return {
    preview,

    /**
     * Reads an uploaded statement as a stream and stages its rows for the preview: rules, learned
     * and bank categories, duplicates, transfers. A file with any problem stages nothing: the
     * error lists the problems with line and column.
     */
    async upload(
      userId: string,
      query: UploadQuery,
      body: AsyncIterable<Uint8Array>,
    ): Promise<ImportPreview> {
      const account = await budget.accounts.get(userId, query.accountId);
      const [{ timeZone }, userRules, settings] = await Promise.all([
        profile(userId),
        rules(userId),
        csvSettings(userId, query),
      ]);
      const context = { timeZone, maxRows: IMPORT_LIMITS.maxRows };
      let encoding: Encoding | null = null;
      let format = query.format;
      let layout: CsvLayout | undefined;
      const text = withFormat(
        decodeChunks(
          body,
          { encoding: settings.encoding, maxBytes: IMPORT_LIMITS.maxBytes },
          (e) => (encoding = e),
        ),
        (f) => (format ??= f),
      );
      async function* items(): AsyncGenerator<StatementItem> {
        const first = await text.next();
        if (first.done) return;
        async function* all() {
          yield first.value as string;
          yield* text;
        }
        if (format === 'ofx') yield* readOfx(all(), context);
        else if (format === 'qif')
          yield* readQif(all(), { ...context, slashFormat: query.qifDates ?? 'mm/dd/yyyy' });
        else yield* readStatementCsv(all(), settings, context, (l) => (layout = l));
      }

      return db
        .transaction(async (tx) => {
          await q.withoutJit(tx);
          // Made once the first rows are read: by then the format is known.
          let batchId: string | undefined;
          const batch = async () =>
            (batchId ??= await batches.insert(tx, {
              userId,
              accountId: account.id,
              format: format ?? 'csv',
              fileName: query.fileName ?? '',
            }));
          const problems = new ProblemList();
          let rows = 0;
          let slice: q.StagedRow[] = [];
          const alike = new Map<string, number>();
          const flush = async () => {
            if (slice.length > 0 && problems.count === 0)
              await q.insertRows(tx, await batch(), userId, account.id, slice);
            slice = [];
          };
          await problems.reading(async () => {
            for await (const item of items()) {
              if ('skipped' in item) continue;
              const staged = 'row' in item ? stageRow(account, userRules, item.row) : item.problem;
              if ('code' in staged) {
                problems.report(staged);
                continue;
              }
              // A zero amount moved nothing.
              if (staged.amount === '0.00') continue;
              // A fingerprint gets the rank of its row among the alike rows of the file, so the second
              // identical coffee of a day is another operation than the first; a bank id seen again
              // in the same file is a duplicate. Only counters are kept, not rows.
              const seen = (alike.get(staged.dedupeKey) ?? 0) + 1;
              alike.set(staged.dedupeKey, seen);
              if (staged.dedupeKey.startsWith('fp:')) staged.dedupeKey += `|${seen}`;
              else if (seen > 1) staged.status = 'duplicate';
              rows++;
              slice.push(staged);
              if (slice.length >= SLICE) await flush();
            }
          });
          if ((format ?? 'csv') === 'csv' && layout !== undefined && layout.mapping === null)
            throw mappingRequired({ header: layout.header, delimiter: layout.delimiter, encoding });
          if (problems.count === 0 && rows === 0 && layout === undefined && format === 'csv')
            problems.report(problem(1, null, 'FILE_EMPTY'));
          problems.throwIfAny();
          await flush();
          const id = await batch();
          await q.suggestCategories(tx, userId, id);
          await q.matchTransfers(tx, userId, id, account.id);
          const found = layout;
          return {
            batchId: id,
            detected: {
              encoding,
              delimiter: found?.delimiter ?? null,
              preset: found?.preset ?? null,
              header: found?.header ?? [],
            },
          };
        })
        .then(({ batchId, detected }) => preview(userId, batchId, detected));
    },

    async rows(userId: string, id: string, query: RowsQuery) {
      const { rows, total } = await batches.rows(userId, id, query);
      return { items: rows.map(toRowDto), total };
    },

    /** Adjusts a previewed row: skip or take it, another category or description, decline a transfer. */
    async updateRow(userId: string, id: string, line: number, body: UpdateRowBody): Promise<ImportRow> {
      const batch = await batches.find(userId, id);
      if (batch.status !== 'preview') throw alreadyCommitted();
      const row = await q.findRow(db, id, line);
      if (!row) throw notFound('Import row', 'IMPORT_ROW_NOT_FOUND');
      if (body.status === 'new' && row.status === 'duplicate')
        throw validationFailed('status', 'DUPLICATE', 'a duplicate cannot be imported again');
      if (body.categoryId) {
        const category = await budget.categories.get(userId, body.categoryId).catch(() => null);
        if (!category || category.deleted)
          throw validationFailed('categoryId', 'UNKNOWN', 'unknown category');
        if (row.toAccountId !== null || category.kind !== row.type)
          throw validationFailed('categoryId', 'CATEGORY_KIND', `must be an ${row.type} category`, {
            kind: `${row.type}`,
          });
      }
      await q.updateRow(db, id, line, {
        ...(body.status !== undefined && row.status !== 'duplicate' ? { status: body.status } : {}),
        ...(body.categoryId !== undefined ? { categoryId: body.categoryId, categorySource: 'user' } : {}),
        ...(body.description !== undefined ? { description: body.description.trim() } : {}),
        ...(body.transfer === false ? { transferMatchId: null } : {}),
      });
      return toRowDto((await q.findRow(db, id, line))!);
    },

    /** Writes the new rows as transactions, all or none, and keeps their keys against a second import. */
    async commit(userId: string, id: string): Promise<{ created: number; transfers: number }> {
      return db.transaction(async (tx) => {
        await q.withoutJit(tx);
        const batch = await batches.lockPreview(tx, userId, id);
        const { ids, matched } = await q.commitRows(tx, userId, id, batch.accountId);
        // A matched operation goes before its row comes back as one transfer with it.
        await budget.transactions.removeWithin(tx, userId, matched);
        // Through the budget's own insert, in one statement: month sums and schedule links included.
        await budget.transactions.insertChecked(tx, userId, q.committedTransactions(userId, id));
        await q.markCommitted(tx, id, now());
        return { created: ids.length, transfers: matched.length };
      });
    },

    /** Undoes a committed import (its transactions go, merged operations come back) or drops a preview. */
    async remove(userId: string, id: string): Promise<void> {
      await batches.remove(userId, id, async (tx) => {
        await budget.transactions.removeWithin(tx, userId, await q.batchTransactionIds(tx, userId, id));
        await budget.transactions.insertChecked(tx, userId, q.matchedOperations(userId, id));
      });
    },

    async list(userId: string) {
      return (await batches.list(userId)).map(({ batch: b, ...counted }) => ({
        id: b.id,
        accountId: b.accountId,
        format: b.format,
        fileName: b.fileName,
        status: b.status,
        ...counted,
      }));
    },
  };
}

export type StatementsService = ReturnType<typeof createStatementsService>;
