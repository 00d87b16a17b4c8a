import { randomUUID } from 'node:crypto';
import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import * as pq from '../investments/portfolios.queries.js';
import type { OperationsService } from '../investments/operations.service.js';
import type { OperationValues } from '../investments/operations.queries.js';
import type { Market } from '../market/market.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import { readActivities, type ActivityLayout, type ActivityRow } from './activity-file.js';
import type { ActivityMapping } from './activity-presets.js';
import * as q from './activities.queries.js';
import {
  ActivityMappingSchema,
  type ActivityImportPreview,
  type ActivityImportRow,
  type ActivityPresetDto,
  type ActivityRowsQuery,
  type ActivityUploadQuery,
  type CreateActivityPresetBody,
} from './activities.schemas.js';
import { decodeChunks, type Encoding } from './decoding.js';
import { FileUnreadable, problem, type FileProblem } from './file-problems.js';
import * as rq from './rules.queries.js';
import { fileInvalid, IMPORT_LIMITS, mappingOfQuery } from './statements.service.js';

interface Deps {
  db: Db;
  market: Market;
  operations: OperationsService;
  now: () => Date;
}

interface SavedActivitySettings {
  encoding?: Encoding | undefined;
  delimiter?: ';' | ',' | '\t' | undefined;
  mapping: ActivityMapping;
}

type PreparedValues = Omit<OperationValues, 'userId' | 'portfolioId'>;

/** Types about an asset: a file must name one (fees, taxes and income may). */
const ASSET_TYPES = new Set([
  'buy',
  'sell',
  'dividend',
  'coupon',
  'bond_redemption',
  'split',
  'transfer_in',
  'transfer_out',
]);
const CASH_ONLY = new Set(['deposit', 'withdrawal']);
const LISTED_PROBLEMS = 50;

const batchNotFound = () => notFound('Import', 'IMPORT_NOT_FOUND');
const alreadyCommitted = () => new AppError(409, 'IMPORT_ALREADY_COMMITTED', 'the import is committed');

/** Column values back from their JSON: the instant of the operation is a Date again. */
const fromStaged = (values: Record<string, unknown>): PreparedValues =>
  ({ ...values, occurredAt: new Date(values.occurredAt as string) }) as PreparedValues;

/**
 * Investment activities from a file: read and checked like operations typed by hand into a
 * preview, committed through the operations service as one batch, undone as a whole.
 */
export function createActivitiesService({ db, market, operations, now }: Deps) {
  async function ownPortfolio(userId: string, portfolioId: string) {
    const portfolio = await pq.findPortfolio(db, userId, portfolioId);
    if (!portfolio) throw notFound('Portfolio');
    return portfolio;
  }

  /**
   * Writes staged operations (in the caller's transaction): hand-priced assets for instruments the
   * catalogue lacks (the user's own of that ticker when there is one), then the operations. Problems
   * name the line of each operation that cannot be (a sale of more than is held).
   */
  async function write(
    tx: Db,
    ctx: UserMarketContext,
    portfolioId: string,
    rows: { line: number; operation: unknown; operationId: string }[],
  ): Promise<{ problems: FileProblem[]; createdAssets: string[] }> {
    const assets = await q.manualAssetsByTicker(tx, ctx.userId);
    const createdAssets: string[] = [];
    const lineOf = new Map<string, number>();
    const values = [];
    for (const row of rows) {
      const staged = row.operation as q.StagedOperation;
      const v = { ...fromStaged(staged.values), id: row.operationId };
      if (staged.newAsset !== null) {
        const key = `${staged.newAsset.ticker.toUpperCase()}|${staged.newAsset.currency}`;
        let id = assets.get(key);
        if (id === undefined) {
          const { ticker, currency } = staged.newAsset;
          id = (
            await pq.insertManualAsset(tx, {
              userId: ctx.userId,
              ticker,
              name: ticker,
              kind: 'other',
              currency,
            })
          ).id;
          assets.set(key, id);
          createdAssets.push(id);
        }
        v.manualAssetId = id;
      }
      lineOf.set(v.id, row.line);
      values.push(v);
    }
    const issues = await operations.insertMany(tx, ctx.userId, portfolioId, ctx.baseCurrency, values);
    const problems = issues
      .map((i) =>
        problem(
          lineOf.get(i.operationId) ?? 0,
          i.code === 'OVERSOLD' ? 'quantity' : 'currency',
          i.code === 'OVERSOLD' ? 'OVERSOLD' : 'OPERATION_INVALID',
          i.message,
        ),
      )
      .sort((a, b) => a.line - b.line);
    return { problems, createdAssets };
  }

  /** A read activity as the operation typed by hand would be, or the problem of its line. */
  async function stage(
    ctx: UserMarketContext,
    row: ActivityRow,
    instrument: { uid: string; name: string } | undefined,
    occurredAt: Date,
  ): Promise<Omit<q.StagedActivity, 'status' | 'dedupeKey' | 'operationId'> | FileProblem> {
    const needsAsset = ASSET_TYPES.has(row.type);
    if (needsAsset && row.symbol === '') return problem(row.line, 'symbol', 'SYMBOL_MISSING');
    const asset = CASH_ONLY.has(row.type) ? undefined : instrument;
    const newAsset =
      needsAsset && asset === undefined
        ? { ticker: row.symbol, currency: row.currency ?? ctx.baseCurrency }
        : null;
    let values: PreparedValues;
    try {
      values = await operations.prepare(
        ctx,
        {
          type: row.type,
          date: row.date,
          instrumentId: asset?.uid,
          quantity: row.quantity,
          price: row.price,
          amount: row.amount,
          commission: row.commission,
          accruedInterest: row.accruedInterest,
          currency: row.currency ?? undefined,
          note: row.note,
        },
        undefined,
        newAsset?.currency,
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const first = (err.details as { fields?: { field: string; message: string }[] } | undefined)
        ?.fields?.[0];
      return problem(row.line, first?.field ?? null, 'OPERATION_INVALID', first?.message ?? err.message);
    }
    values.occurredAt = occurredAt;
    return {
      line: row.line,
      symbol: row.symbol,
      name: asset?.name ?? null,
      operation: { values: { ...values, occurredAt: occurredAt.toISOString() }, newAsset },
    };
  }

  /** The new rows of a batch written and rolled back, only to learn which lines could not be. */
  async function dryRun(tx: Db, ctx: UserMarketContext, portfolioId: string, batchId: string) {
    const fresh = await q.newRows(tx, batchId);
    return tx
      .transaction(async (sp) => {
        const found = await write(sp, ctx, portfolioId, fresh);
        throw new DryRun(found.problems);
      })
      .catch((err: unknown) => {
        if (err instanceof DryRun) return err.problems;
        throw err;
      });
  }

  async function preview(userId: string, id: string): Promise<ActivityImportPreview> {
    const batch = await q.findBatch(db, userId, id);
    if (!batch) throw batchNotFound();
    const counts = { new: 0, duplicate: 0, skipped: 0, newAssets: 0 };
    for (const c of await q.batchCounts(db, id)) {
      counts[c.status as 'new' | 'duplicate' | 'skipped'] = c.n;
      if (c.status === 'new') counts.newAssets = c.new_assets;
    }
    return {
      id,
      portfolioId: batch.portfolioId,
      format: batch.format as 'csv' | 'json',
      preset: batch.preset,
      fileName: batch.fileName,
      status: batch.status as 'preview' | 'committed',
      counts,
      createdAt: batch.createdAt.toISOString(),
      committedAt: batch.committedAt?.toISOString() ?? null,
    };
  }

  async function savedPreset(userId: string, id: string): Promise<SavedActivitySettings> {
    const row = await rq.findPreset(db, userId, id, 'activities');
    if (!row) throw notFound('Preset', 'IMPORT_PRESET_NOT_FOUND');
    return row.settings as SavedActivitySettings;
  }

  return {
    preview,
    dryRun,

    /**
     * Reads an activities file into a preview: each line checked as an operation typed by hand,
     * instruments found in the catalogue, duplicates of earlier imports flagged, and the new rows
     * written and rolled back once so that a sale of more than is held names its line. A file
     * with any problem stages nothing.
     */
    async upload(userId: string, query: ActivityUploadQuery, body: AsyncIterable<Uint8Array>) {
      const portfolio = await ownPortfolio(userId, query.portfolioId);
      const ctx = await market.access.context(userId);
      const saved = query.presetId === undefined ? undefined : await savedPreset(userId, query.presetId);
      const mapping =
        query.mapping === undefined ? saved?.mapping : mappingOfQuery(ActivityMappingSchema, query.mapping);
      const context = { timeZone: ctx.timeZone, maxRows: IMPORT_LIMITS.maxRows };
      let layout: ActivityLayout | undefined;
      const problems: FileProblem[] = [];
      let problemCount = 0;
      const report = (p: FileProblem) => {
        if (problems.length < LISTED_PROBLEMS) problems.push(p);
        problemCount++;
      };
      const rows: ActivityRow[] = [];
      try {
        const text = decodeChunks(
          body,
          { encoding: query.encoding ?? saved?.encoding, maxBytes: IMPORT_LIMITS.maxBytes },
          () => undefined,
        );
        for await (const item of readActivities(
          text,
          { delimiter: query.delimiter ?? saved?.delimiter, mapping },
          context,
          (l) => (layout = l),
        )) {
          if ('row' in item) rows.push(item.row);
          else report(item.problem);
        }
      } catch (err) {
        if (!(err instanceof FileUnreadable)) throw err;
        report(err.problem);
      }
      if (layout !== undefined && layout.mapping === null)
        throw new AppError(422, 'IMPORT_MAPPING_REQUIRED', 'say which column holds what', {
          header: layout.header,
          delimiter: layout.delimiter,
        });
      if (problemCount === 0 && rows.length === 0) report(problem(1, null, 'FILE_EMPTY'));
      if (problemCount > 0) throw fileInvalid(problems, problemCount);

      const instruments = await market.catalogue.instrumentsBySymbol(
        rows.map((r) => r.symbol).filter((s) => s !== ''),
      );
      // Within a day without times, the file's order is the order of the operations (newest-first
      // files read backwards): a sale on the day of its purchase comes after it.
      const ascending = rows[0]!.date <= rows[rows.length - 1]!.date;
      const staged: q.StagedActivity[] = [];
      const alike = new Map<string, number>();
      for (const [i, row] of rows.entries()) {
        const at =
          row.occurredAt ?? new Date(Date.parse(`${row.date}T12:00:00Z`) + (ascending ? i : rows.length - i));
        const item = await stage(ctx, row, instruments.get(row.symbol.toUpperCase()), at);
        if ('code' in item) {
          report(item);
          continue;
        }
        const v = item.operation.values;
        const asset = (v.instrumentUid as string | null) ?? `m:${row.symbol.toUpperCase()}`;
        // The fingerprint counts alike rows of a day, so the second identical purchase is another one.
        const base = `${row.date}|${row.type}|${asset}|${String(v.quantity)}|${String(v.price)}|${String(v.amount)}`;
        const seen = (alike.get(base) ?? 0) + 1;
        alike.set(base, seen);
        staged.push({ ...item, status: 'new', dedupeKey: `${base}|${seen}`, operationId: randomUUID() });
      }
      if (problemCount > 0) throw fileInvalid(problems, problemCount);

      const id = await db.transaction(async (tx) => {
        const batchId = await q.insertBatch(tx, {
          userId,
          portfolioId: portfolio.id,
          format: layout?.format ?? 'csv',
          preset: layout?.preset ?? null,
          fileName: query.fileName ?? '',
        });
        await q.insertRows(tx, batchId, userId, portfolio.id, staged);
        await q.markDuplicates(tx, batchId);
        const dry = await dryRun(tx, ctx, portfolio.id, batchId);
        if (dry.length > 0) throw fileInvalid(dry.slice(0, LISTED_PROBLEMS), dry.length);
        return batchId;
      });
      return preview(userId, id);
    },

    async rows(userId: string, id: string, query: ActivityRowsQuery) {
      if (!(await q.findBatch(db, userId, id))) throw batchNotFound();
      const { rows, total } = await q.listRows(db, id, {
        status: query.status,
        limit: query.limit ?? 100,
        offset: query.offset ?? 0,
      });
      return { items: rows.map(toRowDto), total };
    },

    /** Writes the new rows as operations, all or none; a row imported meanwhile turns a duplicate. */
    async commit(userId: string, id: string): Promise<{ created: number }> {
      const ctx = await market.access.context(userId);
      return db.transaction(async (tx) => {
        const batch = await q.lockBatch(tx, userId, id);
        if (!batch) throw batchNotFound();
        if (batch.status !== 'preview') throw alreadyCommitted();
        const claimed = await q.claimRows(tx, id);
        const rows = (await q.newRows(tx, id)).filter((r) => claimed.has(r.line));
        const { problems, createdAssets } = await write(tx, ctx, batch.portfolioId, rows);
        if (problems.length > 0) throw fileInvalid(problems.slice(0, LISTED_PROBLEMS), problems.length);
        await q.markCommitted(tx, id, now(), createdAssets);
        return { created: rows.length };
      });
    },

    /** Undoes a committed import (its operations go, and the assets it made) or drops a preview. */
    async remove(userId: string, id: string): Promise<void> {
      const ctx = await market.access.context(userId);
      await db.transaction(async (tx) => {
        const batch = await q.lockBatch(tx, userId, id);
        if (!batch) throw batchNotFound();
        if (batch.status === 'committed') {
          await operations.removeMany(
            tx,
            userId,
            batch.portfolioId,
            ctx.baseCurrency,
            await q.batchOperationIds(tx, id),
          );
          await q.deleteUnusedAssets(tx, userId, batch.createdAssets);
        }
        await q.deleteBatch(tx, userId, id);
      });
    },

    async list(userId: string) {
      return (await q.listBatches(db, userId)).map((b) => ({
        id: b.id,
        portfolioId: b.portfolio_id,
        format: b.format,
        preset: b.preset,
        fileName: b.file_name,
        status: b.status,
        created: b.created,
        createdAt: new Date(b.created_at).toISOString(),
        committedAt: b.committed_at === null ? null : new Date(b.committed_at).toISOString(),
      }));
    },

    async listPresets(userId: string): Promise<ActivityPresetDto[]> {
      return (await rq.listPresets(db, userId, 'activities')).map(toPresetDto);
    },

    async createPreset(userId: string, body: CreateActivityPresetBody): Promise<ActivityPresetDto> {
      const { name, ...settings } = body;
      const row = await rq.insertPreset(db, { userId, name: name.trim(), kind: 'activities', settings });
      if (!row)
        throw new AppError(409, 'IMPORT_PRESET_NAME_TAKEN', 'a preset has this name', {
          fields: [{ field: 'name' }],
        });
      return toPresetDto(row);
    },
  };
}

/** Thrown to roll the dry run back, carrying what it found. */
class DryRun extends Error {
  constructor(readonly problems: FileProblem[]) {
    super('dry run');
  }
}

type RowRecord = Awaited<ReturnType<typeof q.listRows>>['rows'][number];

export function toRowDto(row: RowRecord): ActivityImportRow {
  const { values, newAsset } = row.operation as q.StagedOperation;
  const v = values as Record<string, string | null>;
  return {
    line: row.line,
    status: row.status as ActivityImportRow['status'],
    date: v.date!,
    type: v.type!,
    symbol: row.symbol,
    name: row.name,
    instrumentUid: v.instrumentUid ?? null,
    newAsset: newAsset !== null,
    quantity: v.quantity!,
    price: v.price ?? null,
    amount: toFixed(dec(v.amount!), 2),
    commission: toFixed(dec(v.commission!), 2),
    currency: v.currency!,
    note: v.note ?? '',
  };
}

type PresetRow = NonNullable<Awaited<ReturnType<typeof rq.findPreset>>>;

function toPresetDto(row: PresetRow): ActivityPresetDto {
  const settings = row.settings as SavedActivitySettings;
  return {
    id: row.id,
    name: row.name,
    encoding: settings.encoding ?? null,
    delimiter: settings.delimiter ?? null,
    mapping: settings.mapping,
    createdAt: row.createdAt.toISOString(),
  };
}

export type ActivitiesService = ReturnType<typeof createActivitiesService>;
