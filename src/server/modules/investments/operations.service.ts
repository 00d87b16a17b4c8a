import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import { dayInZone } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import type { Market } from '../market/market.js';
import { createOperationInput, type OperationInput } from './operation-input.js';
import * as oq from './operations.queries.js';
import { rateTowards, type AssetScope, type PositionsService } from './positions.service.js';
import { setManualPrice } from './manual-prices.service.js';
import * as pq from './portfolios.queries.js';
import type { OperationDto, OperationsQuery, UpdateOperationBody } from './operations.schemas.js';
import type { CreateManualAssetBody } from './portfolios.schemas.js';
import { cashFlow, type OperationType, type ReplayIssue } from './valuation.js';

const scopeOf = (...ops: { instrumentUid?: string | null; manualAssetId?: string | null }[]): AssetScope => ({
  instrumentUids: [...new Set(ops.map((o) => o.instrumentUid).filter((x): x is string => x != null))],
  manualAssetIds: [...new Set(ops.map((o) => o.manualAssetId).filter((x): x is string => x != null))],
});

export interface OperationsServiceDeps {
  db: Db;
  market: Market;
  positions: Pick<PositionsService, 'rebuild'>;
  now: () => Date;
}

/** Decimal column text ("10.000000000") in its shortest exact form ("10"). */
export const plain = (value: string): string => dec(value).toFixed();
const plainOrNull = (value: string | null): string | null => (value === null ? null : plain(value));

export function toOperationDto(row: oq.OperationWithAsset, base: string): OperationDto {
  return {
    id: row.id,
    portfolioId: row.portfolioId,
    type: row.type,
    instrumentUid: row.instrumentUid,
    manualAssetId: row.manualAssetId,
    ticker: row.ticker,
    name: row.assetName,
    date: row.date,
    quantity: plain(row.quantity),
    price: plainOrNull(row.price),
    amount: row.amount,
    commission: row.commission,
    accruedInterest: row.accruedInterest,
    currency: row.currency,
    fxRate: plainOrNull(rateTowards(row, base)),
    cashFlow: toFixed(cashFlow({ ...row, type: row.type as OperationType }), 2),
    externalId: row.externalId,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
  };
}

export function createOperationsService({ db, market, positions, now }: OperationsServiceDeps) {
  const prepare = createOperationInput({ db, market, now });

  /** A hand-kept portfolio must stay consistent: refuse a change that makes any operation impossible. */
  function refuse(issues: ReplayIssue[], portfolio: pq.PortfolioRow, changedId: string | undefined): void {
    if (portfolio.kind !== 'manual' || issues.length === 0) return;
    const own = issues.find((i) => i.operationId === changedId);
    if (own !== undefined)
      throw own.code === 'OVERSOLD'
        ? validationFailed('quantity', 'OVERSOLD', own.message, own.params)
        : validationFailed('currency', 'INVALID', own.message);
    throw new AppError(
      409,
      'LEDGER_CONFLICT',
      `This change leaves another operation impossible: it ${issues[0]!.message}`,
      {
        operationId: issues[0]!.operationId,
      },
    );
  }

  async function ownPortfolio(tx: Db, userId: string, portfolioId: string): Promise<pq.PortfolioRow> {
    const portfolio = await pq.lockPortfolio(tx, userId, portfolioId);
    if (!portfolio) throw notFound('Portfolio');
    return portfolio;
  }

  async function reload(tx: Db, userId: string, id: string, base: string): Promise<OperationDto> {
    const row = await oq.findOperation(tx, userId, id);
    if (!row) throw notFound('Operation');
    return toOperationDto(row, base);
  }

  const service = {
    /** Checks an operation given as the API takes it and turns it into column values (see operation-input). */
    prepare,

    /**
     * Records prepared operations in the caller's transaction (an import): one rebuild of the
     * positions they touch, under the rule of operations typed by hand. Returns the issues of the
     * new operations themselves (the caller names their lines); one that leaves an older operation
     * impossible refuses the change as editing it by hand would.
     */
    async insertMany(
      tx: Db,
      userId: string,
      portfolioId: string,
      base: string,
      values: (Omit<oq.OperationValues, 'userId' | 'portfolioId'> & { id: string })[],
    ): Promise<ReplayIssue[]> {
      const portfolio = await ownPortfolio(tx, userId, portfolioId);
      await oq.insertOperations(
        tx,
        values.map((v) => ({ ...v, userId, portfolioId })),
      );
      const issues = await positions.rebuild(tx, userId, portfolioId, base, scopeOf(...values));
      if (portfolio.kind !== 'manual') return [];
      const ids = new Set(values.map((v) => v.id));
      refuse(
        issues.filter((i) => !ids.has(i.operationId)),
        portfolio,
        undefined,
      );
      return issues;
    },

    /** Deletes operations in the caller's transaction (an import undone), as deleting each by hand would. */
    async removeMany(
      tx: Db,
      userId: string,
      portfolioId: string,
      base: string,
      ids: string[],
    ): Promise<void> {
      const portfolio = await ownPortfolio(tx, userId, portfolioId);
      const removed = await oq.deleteOperations(tx, userId, portfolioId, ids);
      refuse(
        await positions.rebuild(tx, userId, portfolioId, base, scopeOf(...removed)),
        portfolio,
        undefined,
      );
    },

    async list(userId: string, portfolioId: string, query: OperationsQuery) {
      const ctx = await market.access.context(userId);
      if (!(await pq.findPortfolio(db, userId, portfolioId))) throw notFound('Portfolio');
      const limit = query.limit ?? 100;
      const offset = query.offset ?? 0;
      const { rows, total } = await oq.listOperations(
        db,
        userId,
        portfolioId,
        {
          type: query.type,
          instrumentUid: query.instrumentId,
          manualAssetId: query.manualAssetId,
          from: query.from,
          to: query.to,
        },
        limit,
        offset,
      );
      return { items: rows.map((r) => toOperationDto(r, ctx.baseCurrency)), total, limit, offset };
    },

    async get(userId: string, id: string): Promise<OperationDto> {
      const ctx = await market.access.context(userId);
      return reload(db, userId, id, ctx.baseCurrency);
    },

    /** Records an operation (and, for "add asset", the hand-described asset it is about) at once. */
    async create(
      userId: string,
      portfolioId: string,
      input: OperationInput,
      newAsset?: CreateManualAssetBody,
    ): Promise<OperationDto> {
      const ctx = await market.access.context(userId);
      if (!(await pq.findPortfolio(db, userId, portfolioId))) throw notFound('Portfolio');
      const values = await prepare(ctx, input, undefined, newAsset?.currency);
      return db.transaction(async (tx) => {
        const portfolio = await ownPortfolio(tx, userId, portfolioId);
        if (newAsset !== undefined) {
          const ticker = newAsset.ticker.trim();
          const name = newAsset.name.trim();
          if (ticker === '') throw validationFailed('manualAsset.ticker', 'BLANK', 'must not be blank');
          if (name === '') throw validationFailed('manualAsset.name', 'BLANK', 'must not be blank');
          const asset = await pq.insertManualAsset(tx, {
            userId,
            ticker,
            name,
            kind: newAsset.kind,
            currency: newAsset.currency,
          });
          if (newAsset.price !== undefined)
            await setManualPrice(tx, userId, asset.id, dayInZone(now(), ctx.timeZone), newAsset.price);
          values.manualAssetId = asset.id;
        }
        const row = await oq.insertOperation(tx, { ...values, userId, portfolioId });
        refuse(
          await positions.rebuild(tx, userId, portfolioId, ctx.baseCurrency, scopeOf(row)),
          portfolio,
          row.id,
        );
        return reload(tx, userId, row.id, ctx.baseCurrency);
      });
    },

    async update(userId: string, id: string, patch: UpdateOperationBody): Promise<OperationDto> {
      const ctx = await market.access.context(userId);
      const existing = await oq.findOperation(db, userId, id);
      if (!existing) throw notFound('Operation');
      const fields: Partial<UpdateOperationBody> = { ...patch };
      delete fields.portfolioId;
      const merged: OperationInput = {
        type: existing.type as OperationType,
        date: existing.date,
        instrumentId: existing.instrumentUid ?? undefined,
        manualAssetId: existing.manualAssetId ?? undefined,
        quantity: plain(existing.quantity),
        price: existing.price === null ? undefined : plain(existing.price),
        amount: existing.amount,
        commission: existing.commission,
        accruedInterest: existing.accruedInterest,
        currency: existing.currency,
        note: existing.note,
        ...fields,
      };
      // Changing quantity or price of a trade without a new amount recomputes the amount.
      const trade = merged.type === 'buy' || merged.type === 'sell';
      if (
        trade &&
        (patch.quantity !== undefined || patch.price !== undefined) &&
        patch.amount === undefined
      ) {
        merged.amount = undefined;
      }
      if (patch.instrumentId !== undefined) merged.manualAssetId = undefined;
      if (patch.manualAssetId !== undefined) merged.instrumentId = undefined;
      // Another asset brings its own currency unless one is given.
      if (
        patch.currency === undefined &&
        (patch.instrumentId !== undefined || patch.manualAssetId !== undefined)
      ) {
        merged.currency = undefined;
      }
      const values = await prepare(ctx, merged, existing);
      return db.transaction(async (tx) => {
        const from = await ownPortfolio(tx, userId, existing.portfolioId);
        const to =
          patch.portfolioId !== undefined && patch.portfolioId !== from.id
            ? await ownPortfolio(tx, userId, patch.portfolioId)
            : from;
        if (!(await oq.updateOperation(tx, userId, id, { ...values, portfolioId: to.id })))
          throw notFound('Operation');
        const scope = scopeOf(existing, values);
        refuse(await positions.rebuild(tx, userId, to.id, ctx.baseCurrency, scope), to, id);
        if (to.id !== from.id)
          refuse(await positions.rebuild(tx, userId, from.id, ctx.baseCurrency, scope), from, undefined);
        return reload(tx, userId, id, ctx.baseCurrency);
      });
    },

    async remove(userId: string, id: string): Promise<void> {
      const ctx = await market.access.context(userId);
      await db.transaction(async (tx) => {
        const existing = await oq.findOperation(tx, userId, id);
        if (!existing) throw notFound('Operation');
        const portfolio = await ownPortfolio(tx, userId, existing.portfolioId);
        await oq.deleteOperation(tx, userId, id);
        refuse(
          await positions.rebuild(tx, userId, portfolio.id, ctx.baseCurrency, scopeOf(existing)),
          portfolio,
          undefined,
        );
      });
    },

    /** Removes a position: every operation of that asset in the portfolio. */
    async removePosition(userId: string, portfolioId: string, positionId: string): Promise<void> {
      const ctx = await market.access.context(userId);
      await db.transaction(async (tx) => {
        await ownPortfolio(tx, userId, portfolioId);
        const position = await pq.findPosition(tx, userId, portfolioId, positionId);
        if (!position || position.cashCurrency !== null) throw notFound('Position');
        await oq.deleteAssetOperations(tx, userId, portfolioId, position);
        await positions.rebuild(tx, userId, portfolioId, ctx.baseCurrency, scopeOf(position));
      });
    },
  };
  return service;
}

export type OperationsService = ReturnType<typeof createOperationsService>;
