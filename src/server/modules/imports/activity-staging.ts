import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import type { activityImportRows } from '../../db/schema.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import * as pq from '../investments/portfolios.queries.js';
import type { OperationsService } from '../investments/operations.service.js';
import type { OperationValues } from '../investments/operations.queries.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import type { ActivityRow } from './activity-file.js';
import * as q from './activities.queries.js';
import type { ActivityImportRow } from './activities.schemas.js';
import { problem, type FileProblem } from './file-problems.js';

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

/** Column values back from their JSON: the instant of the operation is a Date again. */
const fromStaged = (values: Record<string, unknown>): PreparedValues =>
  ({ ...values, occurredAt: new Date(values.occurredAt as string) }) as PreparedValues;

/** Activities checked as operations typed by hand, and written through the operations service. */
export function activityStaging(operations: OperationsService) {
  return {
    /** A read activity as the operation typed by hand would be, or the problem of its line. */
    async stage(
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
    },

    /**
     * Writes staged operations (in the caller's transaction): hand-priced assets for instruments the
     * catalogue lacks (the user's own of that ticker when there is one), then the operations. Problems
     * name the line of each operation that cannot be (a sale of more than is held).
     */
    async write(
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
    },
  };
}

export function toRowDto(row: typeof activityImportRows.$inferSelect): ActivityImportRow {
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
