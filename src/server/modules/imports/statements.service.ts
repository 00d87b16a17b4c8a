import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { importRows } from '../../db/schema.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import type { Budget, Profile } from '../budget/budget.js';
import { newTransactionId } from '../budget/transaction-ids.js';
import { decodeChunks, type Encoding } from './decoding.js';
import { FileUnreadable, problem, type FileProblem } from './file-problems.js';
import { firstRule, normalisePayee, type ImportRule } from './row-rules.js';
import { readStatementCsv, type CsvLayout, type CsvMapping } from './statement-csv.js';
import { readOfx } from './statement-ofx.js';
import { readQif } from './statement-qif.js';
import type { StatementItem, StatementRow } from './statement-row.js';
import * as q from './statements.queries.js';
import {
  CsvMappingSchema,
  type ImportPreview,
  type ImportRow,
  type RowsQuery,
  type UpdateRowBody,
  type UploadQuery,
} from './statements.schemas.js';

/** Limits of one upload: beyond them the file is refused with the line reached. */
export const IMPORT_LIMITS = { maxBytes: 20 * 1024 * 1024, maxRows: 100_000 };
/** Rows staged per statement; memory holds one slice, never the file. */
const SLICE = 2000;
/** Problems listed in an error; more are counted. */
const LISTED_PROBLEMS = 50;

export interface SavedSettings {
  encoding?: Encoding | undefined;
  delimiter?: ';' | ',' | '\t' | undefined;
  mapping: CsvMapping;
}

interface Deps {
  db: Db;
  budget: Budget;
  profile: Profile;
  now: () => Date;
  rules: (userId: string) => Promise<ImportRule[]>;
  preset: (userId: string, id: string) => Promise<SavedSettings>;
}

const batchNotFound = () => notFound('Import', 'IMPORT_NOT_FOUND');

/** A file that cannot be imported as it is: its problems with their lines and columns. */
export function fileInvalid(problems: FileProblem[], count: number): AppError {
  const first = problems[0]!;
  const status = first.code === 'FILE_TOO_LARGE' ? 413 : 422;
  return new AppError(
    status,
    status === 413 ? 'IMPORT_FILE_TOO_LARGE' : 'IMPORT_FILE_INVALID',
    `line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.code}`,
    { problems, problemCount: count, limits: IMPORT_LIMITS },
  );
}

/** A mapping sent as JSON in the query, checked against its schema (422 naming the field). */
export function mappingOfQuery<T extends TSchema>(schema: T, text: string): Static<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw validationFailed('mapping', 'FORMAT', 'must be JSON');
  }
  if (!Value.Check(schema, parsed)) {
    const [first] = Value.Errors(schema, parsed);
    throw validationFailed(
      `mapping${first?.instancePath.replace(/\//g, '.') ?? ''}`,
      'INVALID',
      first?.message ?? 'is invalid',
    );
  }
  return parsed;
}

/** Looks at the first text to tell OFX and QIF from CSV. */
async function* withFormat(
  chunks: AsyncGenerator<string>,
  found: (format: 'csv' | 'ofx' | 'qif') => void,
): AsyncGenerator<string> {
  const first = await chunks.next();
  if (first.done) return;
  const head = first.value.replace(/^\uFEFF/, '').trimStart();
  found(
    /^(OFXHEADER|<\?xml|<\?OFX|<OFX>)/i.test(head)
      ? 'ofx'
      : /^!(Type|Account|Option)/i.test(head)
        ? 'qif'
        : 'csv',
  );
  yield first.value;
  yield* chunks;
}

function toRowDto(row: typeof importRows.$inferSelect): ImportRow {
  return {
    line: row.line,
    status: row.status as ImportRow['status'],
    date: row.date,
    occurredAt: row.occurredAt?.toISOString() ?? null,
    type: row.type as ImportRow['type'],
    amount: row.amount,
    toAccountId: row.toAccountId,
    categoryId: row.categoryId,
    categorySource: row.categorySource,
    description: row.description,
    payee: row.payee,
    mcc: row.mcc,
    bankCategory: row.bankCategory,
    bankId: row.bankId,
    transferMatchId: row.transferMatchId,
  };
}

export function createStatementsService({ db, budget, profile, now, rules, preset }: Deps) {
  async function preview(
    userId: string,
    id: string,
    detected?: Partial<ImportPreview>,
  ): Promise<ImportPreview> {
    const batch = await q.findBatch(db, userId, id);
    if (!batch) throw batchNotFound();
    const counts = { new: 0, duplicate: 0, skipped: 0, transfers: 0 };
    for (const c of await q.batchCounts(db, id)) {
      counts[c.status as 'new' | 'duplicate' | 'skipped'] = c.n;
      if (c.status === 'new') counts.transfers = c.transfers;
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

      const toStaged = (row: StatementRow): q.StagedRow | FileProblem => {
        if (row.currency !== null && row.currency !== account.currency)
          return problem(row.line, 'currency', 'CURRENCY_MISMATCH', row.currency);
        const out = row.amount.startsWith('-');
        const amount = out ? row.amount.slice(1) : row.amount;
        const rule = firstRule(userRules, row);
        const transfer =
          rule?.transferAccountId && rule.transferAccountId !== account.id ? rule.transferAccountId : null;
        return {
          line: row.line,
          status: 'new',
          // The fingerprint reads the bank's own description, whatever rules later rewrite.
          dedupeKey:
            row.bankId !== null
              ? `id:${row.bankId}`
              : `fp:${row.date}|${row.amount}|${normalisePayee(row.description)}`,
          date: row.date,
          occurredAt: row.occurredAt,
          type: out ? 'expense' : 'income',
          amount,
          // A transfer rule names the other account; money in came from it.
          toAccountId: transfer,
          categoryId: transfer ? null : (rule?.categoryId ?? null),
          categorySource: !transfer && rule?.categoryId ? 'rule' : null,
          description: (rule?.setDescription ?? row.description).slice(0, 500),
          payee: row.payee.slice(0, 500),
          payeeKey: normalisePayee(row.payee),
          mcc: row.mcc,
          bankCategory: row.bankCategory,
          bankId: row.bankId,
          transactionId: newTransactionId(),
        };
      };

      return db
        .transaction(async (tx) => {
          await q.withoutJit(tx);
          // Made once the first rows are read: by then the format is known.
          let batchId: string | undefined;
          const batch = async () =>
            (batchId ??= await q.insertBatch(tx, {
              userId,
              accountId: account.id,
              format: format ?? 'csv',
              fileName: query.fileName ?? '',
            }));
          const problems: FileProblem[] = [];
          let problemCount = 0;
          let rows = 0;
          let slice: q.StagedRow[] = [];
          const alike = new Map<string, number>();
          const flush = async () => {
            if (slice.length > 0 && problemCount === 0)
              await q.insertRows(tx, await batch(), userId, account.id, slice);
            slice = [];
          };
          const report = (p: FileProblem) => {
            if (problems.length < LISTED_PROBLEMS) problems.push(p);
            problemCount++;
          };
          try {
            for await (const item of items()) {
              if ('skipped' in item) continue;
              const staged = 'row' in item ? toStaged(item.row) : item.problem;
              if ('code' in staged) {
                report(staged);
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
          } catch (err) {
            if (!(err instanceof FileUnreadable)) throw err;
            report(err.problem);
          }
          if ((format ?? 'csv') === 'csv' && layout !== undefined && layout.mapping === null)
            throw new AppError(422, 'IMPORT_MAPPING_REQUIRED', 'say which column holds what', {
              header: layout.header,
              delimiter: layout.delimiter,
              encoding,
            });
          if (problemCount === 0 && rows === 0 && layout === undefined && format === 'csv')
            report(problem(1, null, 'FILE_EMPTY'));
          if (problemCount > 0) throw fileInvalid(problems, problemCount);
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
      if (!(await q.findBatch(db, userId, id))) throw batchNotFound();
      const { rows, total } = await q.listRows(db, id, {
        status: query.status,
        limit: query.limit ?? 100,
        offset: query.offset ?? 0,
      });
      return { items: rows.map(toRowDto), total };
    },

    /** Adjusts a previewed row: skip or take it, another category or description, decline a transfer. */
    async updateRow(userId: string, id: string, line: number, body: UpdateRowBody): Promise<ImportRow> {
      const batch = await q.findBatch(db, userId, id);
      if (!batch) throw batchNotFound();
      if (batch.status !== 'preview')
        throw new AppError(409, 'IMPORT_ALREADY_COMMITTED', 'the import is committed');
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
        const batch = await q.lockBatch(tx, userId, id);
        if (!batch) throw batchNotFound();
        if (batch.status !== 'preview')
          throw new AppError(409, 'IMPORT_ALREADY_COMMITTED', 'the import is committed');
        const { ids, matched } = await q.commitRows(tx, userId, id, batch.account_id);
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
      await db.transaction(async (tx) => {
        const batch = await q.lockBatch(tx, userId, id);
        if (!batch) throw batchNotFound();
        if (batch.status === 'committed') {
          await budget.transactions.removeWithin(tx, userId, await q.batchTransactionIds(tx, userId, id));
          await budget.transactions.insertChecked(tx, userId, q.matchedOperations(userId, id));
        }
        await q.deleteBatch(tx, userId, id);
      });
    },

    async list(userId: string) {
      return (await q.listBatches(db, userId)).map((b) => ({
        id: b.id,
        accountId: b.account_id,
        format: b.format,
        fileName: b.file_name,
        status: b.status,
        created: b.created,
        createdAt: new Date(b.created_at).toISOString(),
        committedAt: b.committed_at === null ? null : new Date(b.committed_at).toISOString(),
      }));
    },
  };
}

export type StatementsService = ReturnType<typeof createStatementsService>;
