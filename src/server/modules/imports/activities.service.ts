import { randomUUID } from 'node:crypto';
import { activityImportBatches, activityImportRows } from '../../db/schema.js';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import * as pq from '../investments/portfolios.queries.js';
import type { OperationsService } from '../investments/operations.service.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import type { Market } from '../market/market.js';
import { readActivities, type ActivityLayout, type ActivityRow } from './activity-file.js';
import type { ActivityMapping } from './activity-presets.js';
import { activityStaging, toRowDto } from './activity-staging.js';
import * as q from './activities.queries.js';
import {
  ActivityMappingSchema,
  type ActivityImportPreview,
  type ActivityPresetDto,
  type ActivityRowsQuery,
  type ActivityUploadQuery,
  type CreateActivityPresetBody,
} from './activities.schemas.js';
import { batchStore } from './batches.js';
import { decodeChunks } from './decoding.js';
import { problem, type FileProblem } from './file-problems.js';
import { savedPresets } from './saved-presets.js';
import { fileInvalid, IMPORT_LIMITS, mappingOfQuery, mappingRequired, ProblemList } from './uploads.js';

interface Deps {
  db: Db;
  market: Market;
  operations: OperationsService;
  now: () => Date;
}

/**
 * Investment activities from a file: read and checked like operations typed by hand into a
 * preview, committed through the operations service as one batch, undone as a whole.
 */
export function createActivitiesService({ db, market, operations, now }: Deps) {
  const batches = batchStore(db, activityImportBatches, activityImportRows);
  const staging = activityStaging(operations);
  const presets = savedPresets<ActivityMapping>(db, 'activities');

  async function ownPortfolio(userId: string, portfolioId: string) {
    const portfolio = await pq.findPortfolio(db, userId, portfolioId);
    if (!portfolio) throw notFound('Portfolio');
    return portfolio;
  }

  async function preview(userId: string, id: string): Promise<ActivityImportPreview> {
    const batch = await batches.find(userId, id);
    const counts = { new: 0, duplicate: 0, skipped: 0, newAssets: 0 };
    for (const c of await batches.counts(id, q.newAssetsCounted)) {
      counts[c.status as 'new' | 'duplicate' | 'skipped'] = c.n;
      if (c.status === 'new') counts.newAssets = c.extra;
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

  /** The new rows of a batch written and rolled back, only to learn which lines could not be. */
  async function dryRun(tx: Db, ctx: UserMarketContext, portfolioId: string, batchId: string) {
    const fresh = await q.newRows(tx, batchId);
    return tx
      .transaction(async (sp) => {
        const found = await staging.write(sp, ctx, portfolioId, fresh);
        throw new DryRun(found.problems);
      })
      .catch((err: unknown) => {
        if (err instanceof DryRun) return err.problems;
        throw err;
      });
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
      const saved = query.presetId === undefined ? undefined : await presets.settings(userId, query.presetId);
      const mapping =
        query.mapping === undefined ? saved?.mapping : mappingOfQuery(ActivityMappingSchema, query.mapping);
      const context = { timeZone: ctx.timeZone, maxRows: IMPORT_LIMITS.maxRows };
      let layout: ActivityLayout | undefined;
      const problems = new ProblemList();
      const rows: ActivityRow[] = [];
      await problems.reading(async () => {
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
          else problems.report(item.problem);
        }
      });
      if (layout !== undefined && layout.mapping === null)
        throw mappingRequired({ header: layout.header, delimiter: layout.delimiter });
      if (problems.count === 0 && rows.length === 0) problems.report(problem(1, null, 'FILE_EMPTY'));
      problems.throwIfAny();

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
        const item = await staging.stage(ctx, row, instruments.get(row.symbol.toUpperCase()), at);
        if ('code' in item) {
          problems.report(item);
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
      problems.throwIfAny();

      const id = await db.transaction(async (tx) => {
        const batchId = await batches.insert(tx, {
          userId,
          portfolioId: portfolio.id,
          format: layout?.format ?? 'csv',
          preset: layout?.preset ?? null,
          createdAssets: [],
          fileName: query.fileName ?? '',
        });
        await q.insertRows(tx, batchId, userId, portfolio.id, staged);
        await q.markDuplicates(tx, batchId);
        const dry = await dryRun(tx, ctx, portfolio.id, batchId);
        if (dry.length > 0) throw fileInvalid(dry, dry.length);
        return batchId;
      });
      return preview(userId, id);
    },

    async rows(userId: string, id: string, query: ActivityRowsQuery) {
      const { rows, total } = await batches.rows(userId, id, query);
      return { items: rows.map(toRowDto), total };
    },

    /** Writes the new rows as operations, all or none; a row imported meanwhile turns a duplicate. */
    async commit(userId: string, id: string): Promise<{ created: number }> {
      const ctx = await market.access.context(userId);
      return db.transaction(async (tx) => {
        const batch = await batches.lockPreview(tx, userId, id);
        const claimed = await q.claimRows(tx, id);
        const rows = (await q.newRows(tx, id)).filter((r) => claimed.has(r.line));
        const { problems, createdAssets } = await staging.write(tx, ctx, batch.portfolioId, rows);
        if (problems.length > 0) throw fileInvalid(problems, problems.length);
        await q.markCommitted(tx, id, now(), createdAssets);
        return { created: rows.length };
      });
    },

    /** Undoes a committed import (its operations go, and the assets it made) or drops a preview. */
    async remove(userId: string, id: string): Promise<void> {
      const ctx = await market.access.context(userId);
      await batches.remove(userId, id, async (tx, batch) => {
        const ids = await q.batchOperationIds(tx, id);
        await operations.removeMany(tx, userId, batch.portfolioId, ctx.baseCurrency, ids);
        await q.deleteUnusedAssets(tx, userId, batch.createdAssets);
      });
    },

    async list(userId: string) {
      return (await batches.list(userId)).map(({ batch: b, ...counted }) => ({
        id: b.id,
        portfolioId: b.portfolioId,
        format: b.format,
        preset: b.preset,
        fileName: b.fileName,
        status: b.status,
        ...counted,
      }));
    },

    listPresets: (userId: string): Promise<ActivityPresetDto[]> => presets.list(userId),

    createPreset: (userId: string, body: CreateActivityPresetBody): Promise<ActivityPresetDto> =>
      presets.create(userId, body),
  };
}

/** Thrown to roll the dry run back, carrying what it found. */
class DryRun extends Error {
  constructor(readonly problems: FileProblem[]) {
    super('dry run');
  }
}

export type ActivitiesService = ReturnType<typeof createActivitiesService>;
