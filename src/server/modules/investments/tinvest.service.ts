import type { FastifyBaseLogger } from 'fastify';
import { Big } from '../../../common/money.js';
import { dayInZone } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import type { BrokerAccount, Operation } from '../market/provider.js';
import type { MarketService } from '../market/market.service.js';
import * as oq from './operations.queries.js';
import type { OperationsService } from './operations.service.js';
import { plain } from './operations.service.js';
import * as pq from './portfolios.queries.js';
import { toPortfolioDto } from './portfolios.service.js';
import type { OperationType } from './valuation.js';

export interface TinvestServiceDeps {
  db: Db;
  market: MarketService;
  operations: OperationsService;
  /** The auth module's way of storing (encrypted) or removing the user's token. */
  setTinvestToken: (userId: string, token: string | null) => Promise<unknown>;
  now: () => Date;
  logger: FastifyBaseLogger;
}

const dateOnly = (d: Date | null) => (d === null ? null : d.toISOString().slice(0, 10));

export function createTinvestService({
  db,
  market,
  operations,
  setTinvestToken,
  now,
  logger,
}: TinvestServiceDeps) {
  async function withPortfolios(userId: string, accounts: BrokerAccount[]) {
    const portfolios = await pq.listPortfolios(db, userId);
    return accounts.map((a) => {
      const synced = portfolios.find((p) => p.accountId === a.id);
      return {
        id: a.id,
        name: a.name,
        type: a.type,
        status: a.status,
        accessLevel: a.accessLevel,
        openedDate: dateOnly(a.openedDate),
        closedDate: dateOnly(a.closedDate),
        portfolioId: synced?.id ?? null,
        lastSyncedAt: synced?.lastSyncedAt?.toISOString() ?? null,
      };
    });
  }

  async function userToken(userId: string) {
    const ctx = await market.context(userId);
    if (ctx.userToken === undefined) {
      throw new AppError(409, 'TINVEST_TOKEN_MISSING', 'Add your T-Invest token in the settings first');
    }
    return { ctx, token: ctx.userToken };
  }

  /**
   * Broker operation → our columns, or why it is left out. A trade's commission is counted with the
   * trade; the separate fee operation T-Invest also reports for it is skipped.
   */
  function convert(op: Operation, tradesWithCommission: ReadonlySet<string>, timeZone: string) {
    if (op.state !== 'executed' || op.type === 'other') return null;
    if (op.type === 'fee' && op.parentId !== null && tradesWithCommission.has(op.parentId)) return null;
    const payment = new Big(op.payment.amount);
    const abs = (m: { amount: string } | null) => (m === null ? '0' : new Big(m.amount).abs().toFixed(2));
    const type: OperationType = op.type;
    // Charges and withdrawals are stored as positive amounts; a positive payment on them is a refund.
    const amount =
      type === 'fee' || type === 'tax' || type === 'withdrawal'
        ? payment.neg().toFixed(2)
        : type === 'buy' || type === 'sell'
          ? payment.abs().toFixed(2)
          : payment.toFixed(2);
    return {
      type,
      instrumentUid: op.instrumentUid,
      date: dayInZone(op.date, timeZone),
      occurredAt: op.date,
      quantity: new Big(op.quantity).abs().toFixed(),
      price: op.price === null ? null : new Big(op.price.amount).abs().toFixed(),
      amount,
      commission: type === 'buy' || type === 'sell' ? abs(op.commission) : '0',
      accruedInterest: type === 'buy' || type === 'sell' ? abs(op.accruedInterest) : '0',
      currency: (op.payment.currency || op.currency).toUpperCase(),
      externalId: op.id,
      note: op.description.slice(0, 500),
    };
  }

  return {
    /** Checks the token with T-Invest (it must list accounts), then stores it encrypted. */
    async setToken(userId: string, token: string) {
      const trimmed = token.trim();
      let accounts: BrokerAccount[];
      try {
        accounts = await market.accounts(trimmed);
      } catch (err) {
        if (err instanceof AppError && err.code === 'TINVEST_TOKEN_INVALID') {
          throw validationFailed('token', 'T-Invest does not accept this token');
        }
        throw err;
      }
      await setTinvestToken(userId, trimmed);
      return { hasTinvestToken: true, accounts: await withPortfolios(userId, accounts) };
    },

    async removeToken(userId: string): Promise<void> {
      await setTinvestToken(userId, null);
    },

    async accounts(userId: string) {
      const { token } = await userToken(userId);
      return { accounts: await withPortfolios(userId, await market.accounts(token)) };
    },

    /**
     * Imports a broker account's operations into its synced portfolio (created on the first run).
     * Operations are keyed by the broker's id, so running it again adds only what is new.
     */
    async sync(userId: string, accountId: string) {
      const { ctx, token } = await userToken(userId);
      const account = (await market.accounts(token)).find((a) => a.id === accountId);
      if (account === undefined) throw notFound('Broker account');
      const brokerOps = await market.brokerOperations(token, accountId);

      const trades = new Set(
        brokerOps
          .filter((o) => (o.type === 'buy' || o.type === 'sell') && o.commission !== null)
          .map((o) => o.id),
      );
      const converted = brokerOps.map((o) => convert(o, trades, ctx.timeZone)).filter((o) => o !== null);
      const skipped = brokerOps.length - converted.length;

      // The catalogue must know every instrument the history mentions.
      const uids = [...new Set(converted.map((o) => o.instrumentUid).filter((u) => u !== null))];
      const known = await market.instrumentsByUid(uids);
      const unknown = new Set<string>();
      for (const uid of uids.filter((u) => !known.has(u))) {
        try {
          known.set(uid, await market.ensureInstrument(uid, ctx.access));
        } catch (err) {
          logger.warn(
            { uid, err: err instanceof Error ? err.message : String(err) },
            'sync: instrument unknown to the provider',
          );
          unknown.add(uid);
        }
      }
      const importable = converted.filter((o) => o.instrumentUid === null || !unknown.has(o.instrumentUid));

      // Each foreign operation carries the rate of its own day (one candle request per currency).
      const rates = new Map<string, Map<string, string | null>>();
      for (const currency of new Set(importable.map((o) => o.currency))) {
        if (currency === ctx.baseCurrency) continue;
        const dates = importable.filter((o) => o.currency === currency).map((o) => o.date);
        rates.set(currency, await market.historicRates(currency, ctx.baseCurrency, dates, ctx.access));
      }

      const syncedAt = now();
      const { portfolio, imported } = await db.transaction(async (tx) => {
        let portfolio = await pq.findPortfolioByAccount(tx, userId, accountId);
        portfolio ??= await pq.insertPortfolio(tx, {
          userId,
          name: account.name || `T-Invest ${accountId}`,
          kind: 'tinvest',
          accountId,
          cashTracking: true,
        });
        await pq.lockPortfolio(tx, userId, portfolio.id);
        const imported = await oq.insertOperationsOnce(
          tx,
          importable.map((o) => ({
            ...o,
            userId,
            portfolioId: portfolio.id,
            fxRate: o.currency === ctx.baseCurrency ? '1' : (rates.get(o.currency)?.get(o.date) ?? null),
            fxBase: ctx.baseCurrency,
          })),
        );
        const issues = await operations.rebuild(tx, userId, portfolio.id, ctx.baseCurrency);
        if (issues.length > 0)
          logger.warn({ issues: issues.length, accountId }, 'sync: broker history does not replay cleanly');
        const updated = await pq.updatePortfolio(tx, userId, portfolio.id, { lastSyncedAt: syncedAt });
        return { portfolio: updated ?? portfolio, imported };
      });

      return {
        portfolio: toPortfolioDto(portfolio),
        fetched: brokerOps.length,
        imported,
        alreadyImported: importable.length - imported,
        skipped: skipped + (converted.length - importable.length),
        mismatches: await reconcile(userId, portfolio.id, token, accountId, known),
        syncedAt: syncedAt.toISOString(),
      };
    },
  };

  /** Compares the broker's current securities with what the imported history gives. */
  async function reconcile(
    userId: string,
    portfolioId: string,
    token: string,
    accountId: string,
    known: Map<string, { ticker: string; kind: string }>,
  ) {
    try {
      const broker = await market.brokerPortfolio(token, accountId);
      const ours = new Map(
        (await pq.positionsWithAssets(db, userId, portfolioId))
          .filter((r) => r.position.instrumentUid !== null)
          .map((r) => [r.position.instrumentUid!, new Big(r.position.quantity)]),
      );
      const mismatches: { ticker: string; instrumentUid: string; broker: string; ours: string }[] = [];
      const seen = new Set<string>();
      for (const p of broker.positions) {
        if (p.kind === 'currency' || p.instrumentUid === '') continue;
        seen.add(p.instrumentUid);
        const mine = ours.get(p.instrumentUid) ?? new Big(0);
        if (!mine.eq(p.quantity)) {
          mismatches.push({
            ticker: p.ticker,
            instrumentUid: p.instrumentUid,
            broker: plain(p.quantity),
            ours: mine.toFixed(),
          });
        }
      }
      for (const [uid, quantity] of ours) {
        const instrument = known.get(uid);
        if (seen.has(uid) || quantity.eq(0) || instrument?.kind === 'currency') continue;
        mismatches.push({
          ticker: instrument?.ticker ?? uid,
          instrumentUid: uid,
          broker: '0',
          ours: quantity.toFixed(),
        });
      }
      return mismatches;
    } catch (err) {
      logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'sync: could not compare with the broker portfolio',
      );
      return null;
    }
  }
}

export type TinvestService = ReturnType<typeof createTinvestService>;
