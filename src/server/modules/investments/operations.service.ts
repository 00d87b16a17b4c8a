import type { FastifyBaseLogger } from 'fastify';
import { Big, fitsMoney, MAX_MONEY, toFixed } from '../../../common/money.js';
import { addDays, dayInZone } from '../../../common/dates.js';
import type { Cache } from '../../platform/cache.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import type { Market } from '../market/market.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import * as oq from './operations.queries.js';
import { setManualPrice } from './manual-prices.service.js';
import * as pq from './portfolios.queries.js';
import type {
  CreateOperationBody,
  OperationDto,
  OperationsQuery,
  UpdateOperationBody,
} from './operations.schemas.js';
import type { CreateManualAssetBody } from './portfolios.schemas.js';
import {
  cashFlow,
  cashLedger,
  replay,
  type LedgerOperation,
  type OperationType,
  type ReplayIssue,
} from './valuation.js';

/** The assets whose positions a change touches. */
export interface AssetScope {
  instrumentUids: string[];
  manualAssetIds: string[];
}

const scopeOf = (...ops: { instrumentUid?: string | null; manualAssetId?: string | null }[]): AssetScope => ({
  instrumentUids: [...new Set(ops.map((o) => o.instrumentUid).filter((x): x is string => x != null))],
  manualAssetIds: [...new Set(ops.map((o) => o.manualAssetId).filter((x): x is string => x != null))],
});

export interface OperationsServiceDeps {
  db: Db;
  cache: Cache;
  market: Market;
  now: () => Date;
  logger: FastifyBaseLogger;
}

/** Types that are about an asset; deposits and withdrawals never are; fees and taxes may be. */
const ASSET_TYPES: ReadonlySet<OperationType> = new Set([
  'buy',
  'sell',
  'dividend',
  'coupon',
  'bond_redemption',
  'split',
  'transfer_in',
  'transfer_out',
]);
const CASH_ONLY_TYPES: ReadonlySet<OperationType> = new Set(['deposit', 'withdrawal']);
/** Signed only for these: a negative fee or tax is a refund, a negative income a charge. */
const SIGNED_TYPES: ReadonlySet<OperationType> = new Set(['fee', 'tax', 'income']);
/** Securities moved without payment. */
const TRANSFER_TYPES: ReadonlySet<OperationType> = new Set(['transfer_in', 'transfer_out']);
const RATE_WAIT_MS = 3_000;

/** Decimal column text ("10.000000000") in its shortest exact form ("10"). */
export const plain = (value: string): string => new Big(value).toFixed();
const plainOrNull = (value: string | null): string | null => (value === null ? null : plain(value));

/** The rate an operation carries towards `base`: its own currency is 1, another base's rate does not count. */
export function rateTowards(
  op: { currency: string; fxRate: string | null; fxBase: string | null },
  base: string,
) {
  if (op.currency === base) return '1';
  return op.fxBase === base && op.fxRate !== null ? op.fxRate : null;
}

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

/** The fields of an operation as the API takes them, before checks. */
type OperationInput = Omit<CreateOperationBody, 'fxRate'> & { fxRate?: string | null };

function positive(field: string, value: string | undefined, allowZero = false): void {
  if (value === undefined) return;
  const v = new Big(value);
  if (v.lt(0) || (!allowZero && v.eq(0)))
    throw validationFailed(field, allowZero ? 'must not be negative' : 'must be greater than 0');
}

export function createOperationsService({ db, cache, market, now, logger }: OperationsServiceDeps) {
  /** Replays a portfolio's operations and stores the positions they give. */
  /**
   * Derives and stores a portfolio's positions: those of the given assets (all when omitted), and
   * always the cash balances, which one SQL aggregate gives without reading every operation.
   */
  async function rebuild(
    tx: Db,
    userId: string,
    portfolioId: string,
    base: string,
    assets?: AssetScope,
  ): Promise<ReplayIssue[]> {
    const rows = await oq.ledgerOperations(tx, userId, portfolioId, assets);
    const cash = cashLedger(
      (await oq.cashGroups(tx, userId, portfolioId, base)).map((g) => ({
        ...g,
        type: g.type as OperationType,
      })),
    );
    const ledger = replay(
      rows.map((r): LedgerOperation => ({
        id: r.id,
        type: r.type as OperationType,
        assetKey:
          r.instrumentUid !== null
            ? `i:${r.instrumentUid}`
            : r.manualAssetId !== null
              ? `m:${r.manualAssetId}`
              : null,
        assetIso: r.instrumentKind === 'currency' ? r.nominalCurrency : null,
        currency: r.currency,
        date: r.date,
        quantity: r.quantity,
        price: r.price,
        amount: r.amount,
        commission: r.commission,
        accruedInterest: r.accruedInterest,
        rate: rateTowards(r, base),
      })),
    );
    const common = { userId, portfolioId, baseCurrency: base };
    await pq.replacePositions(
      tx,
      userId,
      portfolioId,
      [
        ...ledger.positions.map((p) => ({
          ...common,
          instrumentUid: p.assetKey.startsWith('i:') ? p.assetKey.slice(2) : null,
          manualAssetId: p.assetKey.startsWith('m:') ? p.assetKey.slice(2) : null,
          cashCurrency: null,
          currency: p.currency,
          quantity: p.quantity,
          cost: p.cost,
          costBase: p.costBase,
          realized: p.realized,
          realizedBase: p.realizedBase,
          incomeBase: p.incomeBase,
          taxesBase: p.taxesBase,
          feesBase: p.feesBase,
          lastTradePrice: p.lastTradePrice,
          lastTradeDate: p.lastTradeDate,
          operationsCount: p.operationsCount,
          missingRates: p.missingRates,
        })),
        ...cash.map((c) => ({
          ...common,
          instrumentUid: null,
          manualAssetId: null,
          cashCurrency: c.currency,
          currency: c.currency,
          quantity: c.balance,
          cost: c.balance,
          costBase: c.balanceBase,
          realized: '0',
          realizedBase: '0',
          incomeBase: c.incomeBase,
          taxesBase: c.taxesBase,
          feesBase: c.feesBase,
          lastTradePrice: null,
          lastTradeDate: null,
          operationsCount: c.operationsCount,
          missingRates: c.missingRates,
        })),
      ],
      assets,
    );
    await pq.bumpPositionsVersion(tx, userId, portfolioId);
    return ledger.issues;
  }

  /** A hand-kept portfolio must stay consistent: refuse a change that makes any operation impossible. */
  function refuse(issues: ReplayIssue[], portfolio: pq.PortfolioRow, changedId: string | undefined): void {
    if (portfolio.kind !== 'manual' || issues.length === 0) return;
    const own = issues.find((i) => i.operationId === changedId);
    if (own !== undefined)
      throw validationFailed(own.code === 'OVERSOLD' ? 'quantity' : 'currency', own.message);
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

  /**
   * Checks an operation as a whole and turns it into column values. Runs before the transaction
   * that stores it: looking up an instrument or a rate may ask the provider, which must not hold
   * the portfolio lock (and on the embedded database, the one connection).
   */
  async function prepare(
    ctx: UserMarketContext,
    input: OperationInput,
    keep?: { date: string; occurredAt: Date; fxRate: string | null; fxBase: string | null; currency: string },
    newAssetCurrency?: string,
  ): Promise<Omit<oq.OperationValues, 'userId' | 'portfolioId'>> {
    const type = input.type;
    if (
      input.instrumentId !== undefined &&
      (input.manualAssetId !== undefined || newAssetCurrency !== undefined)
    ) {
      throw validationFailed('manualAssetId', 'give either instrumentId or manualAssetId, not both');
    }
    const hasAsset =
      input.instrumentId !== undefined || input.manualAssetId !== undefined || newAssetCurrency !== undefined;
    if (ASSET_TYPES.has(type) && !hasAsset)
      throw validationFailed('instrumentId', `is required for a ${type}`);
    if (CASH_ONLY_TYPES.has(type) && hasAsset)
      throw validationFailed('instrumentId', `a ${type} is not about an asset`);

    let assetCurrency: string | undefined;
    let instrumentUid: string | null = null;
    let manualAssetId: string | null = null;
    if (input.instrumentId !== undefined) {
      const instrument = await market.catalogue.ensureInstrument(input.instrumentId, ctx.access);
      instrumentUid = instrument.uid;
      assetCurrency = instrument.currency || undefined;
    } else if (input.manualAssetId !== undefined) {
      const asset = await pq.findManualAsset(db, ctx.userId, input.manualAssetId);
      if (!asset) throw notFound('Manual asset');
      manualAssetId = asset.id;
      assetCurrency = asset.currency;
    } else if (newAssetCurrency !== undefined) assetCurrency = newAssetCurrency;
    const currency = input.currency ?? assetCurrency ?? ctx.baseCurrency;
    const trade = type === 'buy' || type === 'sell';
    if (trade && assetCurrency !== undefined && currency !== assetCurrency) {
      throw validationFailed('currency', `must be ${assetCurrency}, the currency the asset trades in`);
    }

    const today = dayInZone(now(), ctx.timeZone);
    if (input.date > addDays(today, 1)) throw validationFailed('date', 'is in the future');

    const quantity = input.quantity ?? '0';
    if (trade || type === 'split' || TRANSFER_TYPES.has(type)) {
      if (input.quantity === undefined) throw validationFailed('quantity', `is required for a ${type}`);
      positive('quantity', quantity);
    } else positive('quantity', quantity, true);
    if (type === 'split') {
      for (const field of ['price', 'amount', 'commission', 'accruedInterest'] as const) {
        if (input[field] !== undefined && !new Big(input[field]).eq(0))
          throw validationFailed(field, 'a split has no money');
      }
    }
    if (!trade) {
      for (const field of ['commission', 'accruedInterest'] as const) {
        if (input[field] !== undefined && !new Big(input[field]).eq(0))
          throw validationFailed(field, `belongs to a buy or sell only`);
      }
    }
    positive('price', input.price, true);
    positive('commission', input.commission, true);
    positive('accruedInterest', input.accruedInterest, true);

    let amount = input.amount;
    if (trade && amount === undefined) {
      if (input.price === undefined) throw validationFailed('price', 'is required when amount is not given');
      // Named rounding point: a trade's amount is quantity × price, half-up to the kopeck.
      amount = toFixed(new Big(quantity).times(input.price), 2);
      if (!fitsMoney(new Big(amount)))
        throw validationFailed('price', `quantity × price must be at most ${MAX_MONEY}`);
    }
    if (type === 'transfer_out' && amount !== undefined && !new Big(amount).eq(0))
      throw validationFailed('amount', 'securities moved out leave at their average cost');
    if (amount === undefined) {
      if (type !== 'split' && !TRANSFER_TYPES.has(type))
        throw validationFailed('amount', `is required for a ${type}`);
      amount = '0';
    }
    if (!SIGNED_TYPES.has(type))
      positive(
        'amount',
        amount,
        trade || type === 'split' || type === 'bond_redemption' || TRANSFER_TYPES.has(type),
      );

    let fxRate: string | null;
    let fxBase: string | null = ctx.baseCurrency;
    if (currency === ctx.baseCurrency) fxRate = '1';
    else if (input.fxRate !== undefined) {
      positive('fxRate', input.fxRate ?? undefined);
      fxRate = input.fxRate;
    } else if (
      keep !== undefined &&
      keep.date === input.date &&
      keep.currency === currency &&
      keep.fxBase === ctx.baseCurrency
    ) {
      fxRate = keep.fxRate;
      fxBase = keep.fxBase;
    } else {
      // The rate of the operation's day from the provider; unknown stays unknown (filled in later).
      const rates = await Promise.race([
        market.history.historicRates(currency, ctx.baseCurrency, [input.date], ctx.access),
        new Promise<Map<string, string | null>>((resolve) =>
          setTimeout(() => resolve(new Map()), RATE_WAIT_MS).unref(),
        ),
      ]);
      fxRate = rates.get(input.date) ?? null;
    }

    let occurredAt: Date;
    if (keep !== undefined && keep.date === input.date) occurredAt = keep.occurredAt;
    else if (input.date === today) occurredAt = now();
    else occurredAt = new Date(`${input.date}T12:00:00Z`);

    return {
      type,
      instrumentUid,
      manualAssetId,
      date: input.date,
      occurredAt,
      quantity,
      price: input.price ?? null,
      amount,
      commission: input.commission ?? '0',
      accruedInterest: input.accruedInterest ?? '0',
      currency,
      fxRate,
      fxBase,
      note: input.note?.trim() ?? '',
    };
  }

  async function reload(tx: Db, userId: string, id: string, base: string): Promise<OperationDto> {
    const row = await oq.findOperation(tx, userId, id);
    if (!row) throw notFound('Operation');
    return toOperationDto(row, base);
  }

  const service = {
    rebuild,

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
          if (ticker === '') throw validationFailed('manualAsset.ticker', 'must not be blank');
          if (name === '') throw validationFailed('manualAsset.name', 'must not be blank');
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
        refuse(await rebuild(tx, userId, portfolioId, ctx.baseCurrency, scopeOf(row)), portfolio, row.id);
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
        refuse(await rebuild(tx, userId, to.id, ctx.baseCurrency, scope), to, id);
        if (to.id !== from.id)
          refuse(await rebuild(tx, userId, from.id, ctx.baseCurrency, scope), from, undefined);
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
          await rebuild(tx, userId, portfolio.id, ctx.baseCurrency, scopeOf(existing)),
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
        await rebuild(tx, userId, portfolioId, ctx.baseCurrency, scopeOf(position));
      });
    },

    /**
     * Looks up rates that were unknown when operations were recorded (provider down, or the base
     * currency changed since). At most every 10 minutes per user; never blocks a page.
     */
    async fillMissingRates(ctx: UserMarketContext): Promise<void> {
      if (!ctx.access.configured) return;
      const missing = await oq.operationsMissingRate(db, ctx.userId, ctx.baseCurrency, 500);
      if (missing.length === 0) return;
      const gate = await cache.hit(`fx-fill:${ctx.userId}`, 10 * 60_000);
      if (gate.count > 1) return;
      const byCurrency = new Map<string, typeof missing>();
      for (const op of missing) byCurrency.set(op.currency, [...(byCurrency.get(op.currency) ?? []), op]);
      const touched = new Set<string>();
      for (const [currency, ops] of byCurrency) {
        const rates = await market.history.historicRates(
          currency,
          ctx.baseCurrency,
          ops.map((o) => o.date),
          ctx.access,
        );
        for (const op of ops) {
          const rate = rates.get(op.date);
          if (rate == null) continue;
          await oq.setOperationRate(db, ctx.userId, op.id, rate, ctx.baseCurrency);
          touched.add(op.portfolioId);
        }
      }
      for (const portfolioId of touched) {
        await db.transaction(async (tx) => {
          if (await pq.lockPortfolio(tx, ctx.userId, portfolioId))
            await rebuild(tx, ctx.userId, portfolioId, ctx.baseCurrency);
        });
      }
      if (touched.size > 0) logger.info({ portfolios: touched.size }, 'missing exchange rates filled in');
    },
  };
  return service;
}

export type OperationsService = ReturnType<typeof createOperationsService>;
