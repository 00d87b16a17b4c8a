import type { FastifyBaseLogger } from 'fastify';
import type { Cache } from '../../platform/cache.js';
import type { Db } from '../../platform/db.js';
import type { Market } from '../market/market.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import * as oq from './operations.queries.js';
import * as pq from './portfolios.queries.js';
import {
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

export interface PositionsServiceDeps {
  db: Db;
  cache: Cache;
  market: Pick<Market, 'history'>;
  logger: FastifyBaseLogger;
}

/** The rate an operation carries towards `base`: its own currency is 1, another base's rate does not count. */
export function rateTowards(
  op: { currency: string; fxRate: string | null; fxBase: string | null },
  base: string,
) {
  if (op.currency === base) return '1';
  return op.fxBase === base && op.fxRate !== null ? op.fxRate : null;
}

/** How many portfolios one pass of the start-up check reads at a time. */
const REBASE_BATCH = 500;

/**
 * Positions: derived from a portfolio's operations and stored, in the owner's base currency. They
 * are derived again where their inputs change: an operation, a rate filled in, the base currency.
 */
export function createPositionsService({ db, cache, market, logger }: PositionsServiceDeps) {
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

  /** Derives again, in `base`, the positions of the user's portfolios that are in another currency. */
  async function rebase(tx: Db, userId: string, base: string): Promise<void> {
    for (const row of await pq.portfoliosInOtherBase(tx, { userId, base })) {
      if (await pq.lockPortfolio(tx, userId, row.portfolioId))
        await rebuild(tx, userId, row.portfolioId, base);
    }
  }

  const service = {
    rebuild,

    /** Called in the transaction that changes a user's base currency. */
    rebase,

    /**
     * Positions found in another currency than their owner's base (stored by a version that derived
     * them on the next view, or written by an operation that raced the change): derived again in
     * the background, never by the request that noticed.
     */
    rebaseLater(userId: string, base: string): void {
      db.transaction((tx) => rebase(tx, userId, base)).catch((err: unknown) =>
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'positions rebase failed'),
      );
    },

    /**
     * At start-up, in the background: every portfolio whose positions are in another currency than
     * its owner's base is derived again. `baseCurrencies` tells the owners' base currencies.
     */
    async rebaseOutdated(
      baseCurrencies: (userIds: string[]) => Promise<Map<string, string>>,
    ): Promise<number> {
      let done = 0;
      let after: string | undefined;
      for (;;) {
        const rows = await pq.positionBases(db, after, REBASE_BATCH);
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.portfolioId;
        const bases = await baseCurrencies([...new Set(rows.map((r) => r.userId))]);
        for (const row of rows) {
          const base = bases.get(row.userId);
          if (base === undefined || (row.lowest === base && row.highest === base)) continue;
          await db.transaction(async (tx) => {
            if (await pq.lockPortfolio(tx, row.userId, row.portfolioId))
              await rebuild(tx, row.userId, row.portfolioId, base);
          });
          done += 1;
        }
      }
      if (done > 0) logger.info({ portfolios: done }, 'positions derived again in the base currency');
      return done;
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

export type PositionsService = ReturnType<typeof createPositionsService>;
