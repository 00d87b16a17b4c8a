import { and, eq } from 'drizzle-orm';
import { activityImportBatches, activityImportRows } from '../../db/schema.js';
import type { Db } from '../../platform/db.js';
import { notFound, validationFailed } from '../../platform/errors.js';
import type { OperationsService } from '../investments/operations.service.js';
import type { Market } from '../market/market.js';
import type * as q from './activities.queries.js';
import type { ActivityImportRow, UpdateActivityRowBody } from './activities.schemas.js';
import type { ActivitiesService } from './activities.service.js';
import { toRowDto } from './activity-staging.js';
import { alreadyCommitted, batchStore } from './batches.js';

interface Deps {
  db: Db;
  market: Market;
  operations: OperationsService;
  activities: ActivitiesService;
}

const r = activityImportRows;

async function findRow(db: Db, batchId: string, line: number) {
  const [row] = await db
    .select()
    .from(r)
    .where(and(eq(r.batchId, batchId), eq(r.line, line)));
  return row;
}

/**
 * Changes to a previewed activity before the commit: left out or taken back, or its day, type,
 * quantity, price and amount set right. A changed row is checked as on upload, alone and with the
 * other rows of the batch (a sale of more than is held), and refused as a whole when it fails.
 */
export function createActivityEdits({ db, market, operations, activities }: Deps) {
  const batches = batchStore(db, activityImportBatches, activityImportRows);
  return async function updateRow(
    userId: string,
    id: string,
    line: number,
    body: UpdateActivityRowBody,
  ): Promise<ActivityImportRow> {
    const batch = await batches.find(userId, id);
    if (batch.status !== 'preview') throw alreadyCommitted();
    const row = await findRow(db, id, line);
    if (!row) throw notFound('Import row', 'IMPORT_ROW_NOT_FOUND');
    if (row.status === 'duplicate' && body.status === 'new')
      throw validationFailed('status', 'DUPLICATE', 'a duplicate cannot be imported again');

    const ctx = await market.access.context(userId);
    const staged = row.operation as q.StagedOperation;
    const v = staged.values as Record<string, string | null>;
    const changesValues = ['date', 'type', 'quantity', 'price', 'amount'].some(
      (f) => body[f as keyof UpdateActivityRowBody] !== undefined,
    );
    let operation = staged;
    if (changesValues) {
      const type = body.type ?? (v.type as NonNullable<UpdateActivityRowBody['type']>);
      const price = body.price === undefined ? (v.price ?? undefined) : (body.price ?? undefined);
      // A buy or sell whose quantity or price changes costs quantity × price unless an amount is given.
      const recount =
        (type === 'buy' || type === 'sell') &&
        (body.quantity !== undefined || body.price !== undefined) &&
        price !== undefined;
      // Checked as on upload: the rules of an operation typed by hand, the rate of the new day.
      const values = await operations.prepare(
        ctx,
        {
          type,
          date: body.date ?? v.date!,
          instrumentId: v.instrumentUid ?? undefined,
          quantity: body.quantity ?? v.quantity!,
          price,
          amount: body.amount ?? (recount ? undefined : v.amount!),
          commission: v.commission!,
          accruedInterest: v.accruedInterest!,
          currency: v.currency!,
          note: v.note ?? '',
        },
        {
          date: v.date!,
          occurredAt: new Date(v.occurredAt!),
          fxRate: v.fxRate ?? null,
          fxBase: v.fxBase ?? null,
          currency: v.currency!,
        },
        staged.newAsset?.currency,
      );
      operation = {
        values: { ...values, occurredAt: values.occurredAt.toISOString() },
        newAsset: staged.newAsset,
      };
    }
    const status = body.status !== undefined && row.status !== 'duplicate' ? body.status : row.status;

    await db.transaction(async (tx) => {
      await batches.lockPreview(tx, userId, id);
      await tx
        .update(r)
        .set({ status, operation })
        .where(and(eq(r.batchId, id), eq(r.line, line)));
      // The batch as it would be committed now: the change must leave every row possible.
      const [first] = await activities.dryRun(tx, ctx, batch.portfolioId, id);
      if (first === undefined) return;
      const params = { line: `${first.line}` };
      throw first.code === 'OVERSOLD'
        ? validationFailed('quantity', 'OVERSOLD_ON_LINE', first.value ?? 'sells more than is held', params)
        : validationFailed(first.column ?? 'type', 'INVALID_ON_LINE', first.value ?? first.code, params);
    });
    return toRowDto((await findRow(db, id, line))!);
  };
}

export type ActivityEdits = ReturnType<typeof createActivityEdits>;
