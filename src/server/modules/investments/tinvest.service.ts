import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import type { FastifyBaseLogger } from 'fastify';

import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import type { BrokerAccount, Operation } from '../market/provider.js';
import type { Market } from '../market/market.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import { readBrokerHistory, type SkipReason } from './broker-history.js';
import * as oq from './operations.queries.js';
import type { PositionsService } from './positions.service.js';
import * as pq from './portfolios.queries.js';
import { toPortfolioDto } from './portfolios.service.js';

export interface TinvestServiceDeps {
  db: Db;
  market: Market;
  positions: Pick<PositionsService, 'rebuild'>;
  /** The auth module's way of storing (encrypted) or removing the user's token. */
  setTinvestToken: (userId: string, token: string | null) => Promise<unknown>;
  now: () => Date;
  logger: FastifyBaseLogger;
}

const dateOnly = (d: Date | null) => (d === null ? null : d.toISOString().slice(0, 10));

export function createTinvestService({
  db,
  market,
  positions,
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
    const ctx = await market.access.context(userId);
    if (ctx.userToken === undefined) {
      throw new AppError(409, 'TINVEST_TOKEN_MISSING', 'Add your T-Invest token in the settings first');
    }
    return { ctx, token: ctx.userToken };
  }

  return {
    /** Checks the token with T-Invest (it must list accounts), then stores it encrypted. */
    async setToken(userId: string, token: string) {
      const trimmed = token.trim();
      let accounts: BrokerAccount[];
      try {
        accounts = await market.broker.accounts(trimmed);
      } catch (err) {
        if (err instanceof AppError && err.code === 'TINVEST_TOKEN_INVALID') {
          throw validationFailed('token', 'TOKEN_REJECTED', 'T-Invest does not accept this token');
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
      return { accounts: await withPortfolios(userId, await market.broker.accounts(token)) };
    },

    /**
     * Imports a broker account's operations into its synced portfolio (created on the first run),
     * then compares the result with the broker's portfolio. Operations are recognised by their sync
     * key, not the broker's id (which may change), so running it again, after the broker renumbered
     * or after a run cut short, adds only what is new. The import is one transaction: a run that
     * fails half-way stores nothing.
     */
    async sync(userId: string, accountId: string) {
      const { ctx, token } = await userToken(userId);
      const account = (await market.broker.accounts(token)).find((a) => a.id === accountId);
      if (account === undefined) throw notFound('Broker account');
      const brokerOps = await market.broker.brokerOperations(token, accountId);
      const history = readBrokerHistory(brokerOps, account, ctx.timeZone);

      // The catalogue must know every instrument the history mentions.
      const uids = [...new Set(history.rows.map((r) => r.row.instrumentUid).filter((u) => u !== null))];
      const known = await market.catalogue.instrumentsByUid(uids);
      const unknown = new Set<string>();
      for (const uid of uids.filter((u) => !known.has(u))) {
        try {
          known.set(uid, await market.catalogue.ensureInstrument(uid, ctx.access));
        } catch (err) {
          logger.warn(
            { uid, err: err instanceof Error ? err.message : String(err) },
            'sync: instrument unknown to the provider',
          );
          unknown.add(uid);
        }
      }
      const importable = history.rows
        .filter(({ row }) => row.instrumentUid === null || !unknown.has(row.instrumentUid))
        .map(({ row }) => ({
          ...row,
          // The broker names T-Invest uids; the catalogue row may be one MOEX ISS described first.
          instrumentUid:
            row.instrumentUid === null ? null : (known.get(row.instrumentUid)?.uid ?? row.instrumentUid),
          currency:
            row.currency ||
            (row.instrumentUid === null ? '' : (known.get(row.instrumentUid)?.currency ?? '')),
        }));
      const unknownOps = history.rows
        .filter(({ row }) => row.instrumentUid !== null && unknown.has(row.instrumentUid))
        .map(({ operation }) => operation);

      // Each foreign operation carries the rate of its own day (one candle request per currency).
      const rates = new Map<string, Map<string, string | null>>();
      for (const currency of new Set(importable.map((o) => o.currency))) {
        if (currency === ctx.baseCurrency) continue;
        const dates = importable.filter((o) => o.currency === currency).map((o) => o.date);
        rates.set(
          currency,
          await market.history.historicRates(currency, ctx.baseCurrency, dates, ctx.access),
        );
      }

      const syncedAt = now();
      const { portfolio, imported, issues } = await db.transaction(async (tx) => {
        let portfolio = await pq.findPortfolioByAccount(tx, userId, accountId);
        portfolio ??= await pq.insertPortfolio(tx, {
          userId,
          name: account.name || `T-Invest ${accountId}`,
          kind: 'tinvest',
          accountId,
          cashTracking: true,
        });
        await pq.lockPortfolio(tx, userId, portfolio.id);
        const stored = await oq.syncedOperations(tx, userId, portfolio.id);
        const byKey = new Map(stored.filter((o) => o.syncKey !== null).map((o) => [o.syncKey, o]));
        // Imported before operations had sync keys: recognised once more by the broker's id.
        const legacy = new Map(
          stored.filter((o) => o.syncKey === null && o.externalId !== null).map((o) => [o.externalId, o]),
        );
        const values = (o: (typeof importable)[number]) => ({
          ...o,
          userId,
          portfolioId: portfolio.id,
          fxRate: o.currency === ctx.baseCurrency ? '1' : (rates.get(o.currency)?.get(o.date) ?? null),
          fxBase: ctx.baseCurrency,
        });
        const fresh: ReturnType<typeof values>[] = [];
        const renamed: { id: string; externalId: string }[] = [];
        for (const o of importable) {
          const same = byKey.get(o.syncKey);
          if (same !== undefined) {
            if (same.externalId !== o.externalId) renamed.push({ id: same.id, externalId: o.externalId });
            continue;
          }
          const old = legacy.get(o.externalId);
          if (old !== undefined) {
            legacy.delete(o.externalId);
            // Stored as the broker describes it now (executed quantity, redemptions closing).
            await oq.updateOperation(tx, userId, old.id, values(o));
            continue;
          }
          fresh.push(values(o));
        }
        await oq.setExternalIds(tx, userId, renamed);
        const imported = await oq.insertSyncedOperations(tx, fresh);
        const issues = await positions.rebuild(tx, userId, portfolio.id, ctx.baseCurrency);
        if (issues.length > 0)
          logger.warn({ issues: issues.length, accountId }, 'sync: broker history does not replay cleanly');
        const updated = await pq.updatePortfolio(tx, userId, portfolio.id, { lastSyncedAt: syncedAt });
        return { portfolio: updated ?? portfolio, imported, issues };
      });

      return {
        portfolio: toPortfolioDto(portfolio),
        fetched: brokerOps.length,
        imported,
        alreadyImported: importable.length - imported,
        skipped: history.skipped.length + unknownOps.length,
        reconciliation: await reconcile({
          userId,
          portfolioId: portfolio.id,
          token,
          accountId,
          access: ctx.access,
          notImported: [
            // A trade's own fee is counted with the trade: not a missing operation.
            ...history.skipped.flatMap((s) =>
              s.reason === 'trade_fee' ? [] : [{ operation: s.operation, cause: CAUSE_OF[s.reason] }],
            ),
            ...unknownOps.map((operation) => ({ operation, cause: 'UNKNOWN_INSTRUMENT' as const })),
          ],
          issueOperations: issues.map((i) => i.operationId),
        }),
        syncedAt: syncedAt.toISOString(),
      };
    },
  };

  /**
   * Compares every position and cash balance of the synced portfolio with GetPortfolio's. Each
   * difference names its likely cause: operations not imported (pending, of a type we do not map,
   * on an instrument the provider does not know), a history that does not replay (selling more than
   * held), or nothing in the history that explains it. Null when the broker could not be asked.
   */
  async function reconcile(input: {
    userId: string;
    portfolioId: string;
    token: string;
    accountId: string;
    access: UserMarketContext['access'];
    notImported: { operation: Operation; cause: DifferenceCause }[];
    issueOperations: string[];
  }) {
    let broker;
    try {
      broker = await market.broker.brokerPortfolio(input.token, input.accountId);
    } catch (err) {
      logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'sync: could not compare with the broker portfolio',
      );
      return null;
    }
    const rows = await pq.positionsWithAssets(db, input.userId, input.portfolioId);
    const ours = new Map<string, { quantity: Decimal; ticker: string; kind: string }>();
    for (const r of rows) {
      const p = r.position;
      if (p.cashCurrency !== null)
        ours.set(`cash:${p.cashCurrency}`, {
          quantity: dec(p.quantity),
          ticker: p.cashCurrency,
          kind: 'cash',
        });
      else if (p.instrumentUid !== null && r.instrument?.kind !== 'currency')
        ours.set(p.instrumentUid, {
          quantity: dec(p.quantity),
          ticker: r.instrument?.ticker ?? p.instrumentUid,
          kind: 'security',
        });
    }

    // Cash positions name a currency instrument (RUB000UTSTOM, USD000UTSTOM): its ISO code.
    const cashUids = broker.positions.filter((p) => p.kind === 'currency').map((p) => p.instrumentUid);
    const currencies = await market.catalogue.instrumentsByUid(cashUids);
    for (const uid of cashUids.filter((u) => u !== '' && !currencies.has(u))) {
      try {
        currencies.set(uid, await market.catalogue.ensureInstrument(uid, input.access));
      } catch {
        // Named by its ticker below.
      }
    }
    const expected = new Map<
      string,
      {
        quantity: Decimal;
        ticker: string;
        kind: 'security' | 'cash';
        instrumentUid: string | null;
        currency: string | null;
      }
    >();
    // Our positions name the catalogue row, which may not carry the broker's uid as its own.
    const securities = await market.catalogue.instrumentsByUid(
      broker.positions.filter((p) => p.kind !== 'currency').map((p) => p.instrumentUid),
    );
    for (const p of broker.positions) {
      if (p.kind === 'currency') {
        // Without a known instrument, the exchange ticker still names it ("USD000UTSTOM").
        const iso =
          currencies.get(p.instrumentUid)?.nominalCurrency ??
          /^([A-Z]{3})000UTSTOM$/.exec(p.ticker)?.[1] ??
          p.ticker;
        expected.set(`cash:${iso}`, {
          quantity: dec(p.quantity),
          ticker: iso,
          kind: 'cash',
          instrumentUid: null,
          currency: iso,
        });
      } else if (p.instrumentUid !== '') {
        const uid = securities.get(p.instrumentUid)?.uid ?? p.instrumentUid;
        expected.set(uid, {
          quantity: dec(p.quantity),
          ticker: p.ticker,
          kind: 'security',
          instrumentUid: uid,
          currency: null,
        });
      }
    }
    for (const [key, mine] of ours) {
      if (expected.has(key) || mine.quantity.eq(0)) continue;
      expected.set(key, {
        quantity: dec(0),
        ticker: mine.ticker,
        kind: mine.kind === 'cash' ? 'cash' : 'security',
        instrumentUid: mine.kind === 'cash' ? null : key,
        currency: mine.kind === 'cash' ? mine.ticker : null,
      });
    }

    const issueInstruments = new Set(
      (await oq.instrumentsOfOperations(db, input.userId, input.issueOperations)).map((o) => o.instrumentUid),
    );
    const differences = [];
    for (const [key, want] of expected) {
      const have = ours.get(key)?.quantity ?? dec(0);
      // Cash to the kopeck; securities exactly.
      const equal =
        want.kind === 'cash'
          ? have.round(2, 'half-up').eq(want.quantity.round(2, 'half-up'))
          : have.eq(want.quantity);
      if (equal) continue;
      const related = input.notImported.filter(({ operation: o }) =>
        want.kind === 'cash'
          ? (o.payment.currency || o.currency) === want.currency && !dec(o.payment.amount).eq(0)
          : o.instrumentUid === want.instrumentUid,
      );
      const cause: DifferenceCause =
        related[0]?.cause ??
        (want.instrumentUid !== null && issueInstruments.has(want.instrumentUid)
          ? 'REPLAY_CONFLICT'
          : 'UNEXPLAINED');
      const details = related
        .filter((r) => r.cause === cause)
        .map(({ operation: o }) => (cause === 'UNKNOWN_INSTRUMENT' ? o.ticker || o.figi : o.upstreamType));
      differences.push({
        kind: want.kind,
        ticker: want.ticker,
        instrumentUid: want.instrumentUid,
        broker: want.quantity.toFixed(),
        ours: have.toFixed(),
        cause,
        details: [...new Set(details)].sort(),
      });
    }
    return { equal: differences.length === 0, checked: expected.size, differences };
  }
}

/** What a difference with the broker comes from. */
type DifferenceCause =
  'NOT_EXECUTED_YET' | 'UNMAPPED_TYPE' | 'UNKNOWN_INSTRUMENT' | 'REPLAY_CONFLICT' | 'UNEXPLAINED';

const CAUSE_OF: Readonly<Record<Exclude<SkipReason, 'trade_fee'>, DifferenceCause>> = {
  not_executed: 'NOT_EXECUTED_YET',
  unmapped: 'UNMAPPED_TYPE',
};

export type TinvestService = ReturnType<typeof createTinvestService>;
