import type { FastifyBaseLogger } from 'fastify';
import type { Cache } from '../../platform/cache.js';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import type { MarketStatus } from '../market/market.schemas.js';
import type { Market } from '../market/market.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import type { PortfolioValuation, Valuation } from './portfolio-valuation.service.js';
import * as pq from './portfolios.queries.js';
import type { PortfolioDto, PositionDto } from './portfolios.schemas.js';
import type { PositionsService } from './positions.service.js';
import { summarize, type Totals } from './valuation.js';

export interface PortfolioOverviewDeps {
  db: Db;
  cache: Cache;
  market: Pick<Market, 'access' | 'prices' | 'catalogue'>;
  valuation: PortfolioValuation;
  positions: Pick<PositionsService, 'fillMissingRates'>;
  now: () => Date;
  logger: FastifyBaseLogger;
}

/** How many users' last overviews one process keeps. */
const OVERVIEWS_KEPT = 500;
/** Background upkeep (НКД, previous closes, missing rates) runs at most this often per user. */
const UPKEEP_EVERY_MS = 10 * 60_000;

/** The body of GET /portfolio. */
interface Overview {
  baseCurrency: string;
  marketData: MarketStatus;
  totals: Totals;
  allocation: Record<
    'byClass' | 'byTicker' | 'byCurrency',
    { key: string; label: string; value: string; percent: string }[]
  >;
  missingRates: string[];
  portfolios: (PortfolioDto & { totals: Totals; positions: PositionDto[] })[];
}

/**
 * The valued portfolios as the pages ask for them, the last overview of each user kept (with its
 * JSON) while its inputs are unchanged; the background upkeep of what valuations need.
 */
export function createPortfolioOverview({
  db,
  cache,
  market,
  valuation,
  positions,
  now,
  logger,
}: PortfolioOverviewDeps) {
  const { valuedPortfolio, allocation, heldInstruments } = valuation;
  const upkeepDue = new Map<string, number>();
  /** The last overview per user, oldest first (a Map keeps insertion order). */
  const overviews = new Map<
    string,
    { fingerprint: string; validUntil: number; body: Overview; json?: string }
  >();

  /** Keeps derived data fresh without making anyone wait: НКД, previous closes, missing rates. */
  function upkeep(
    ctx: UserMarketContext,
    bonds: Parameters<Market['catalogue']['refreshAccruedInterest']>[0],
    held: string[],
  ) {
    if (!ctx.access.configured) return;
    // Checked here first so that most page views cost no round trip; the shared counter then makes
    // one instance of several do the work.
    const due = upkeepDue.get(ctx.userId) ?? 0;
    if (due > now().getTime()) return;
    if (upkeepDue.size > 10_000) upkeepDue.clear();
    upkeepDue.set(ctx.userId, now().getTime() + UPKEEP_EVERY_MS);
    const run = async () => {
      const gate = await cache.hit(`upkeep:${ctx.userId}`, UPKEEP_EVERY_MS);
      if (gate.count > 1) return;
      await market.catalogue.refreshAccruedInterest(bonds, ctx.access);
      await market.prices.refreshPrevCloses(held, ctx.access);
      await positions.fillMissingRates(ctx);
      // НКД and previous closes just arrived: the next view is computed with them.
      overviews.delete(ctx.userId);
    };
    run().catch((err: unknown) =>
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'portfolio upkeep failed'),
    );
  }

  async function ownPortfolio(userId: string, id: string): Promise<pq.PortfolioRow> {
    const row = await pq.findPortfolio(db, userId, id);
    if (!row) throw notFound('Portfolio');
    return row;
  }

  /** Values and starts the background upkeep of what the valuation used. */
  async function valuated(
    ctx: UserMarketContext,
    portfolios: pq.PortfolioRow[],
    portfolioId?: string,
  ): Promise<Valuation> {
    const result = await valuation.valuate(ctx, portfolios, portfolioId);
    upkeep(ctx, result.bonds, result.held);
    return result;
  }

  const service = {
    /**
     * GET /portfolio: all portfolios valued, with totals and allocation over all of them. The
     * result is reused while its inputs are unchanged: the same positions (every change bumps its
     * portfolio's version in the transaction that makes it), base currency and market access, and
     * quotes still current.
     */
    async overview(userId: string) {
      const ctx = await market.access.context(userId);
      const rows = await pq.userPortfolios(db, userId);
      const fingerprint = JSON.stringify([
        ctx.baseCurrency,
        ctx.access.source,
        rows.map((r) => [r.id, r.positionsVersion, r.updatedAt.getTime(), r.lastSyncedAt?.getTime()]),
      ]);
      const cached = overviews.get(userId);
      if (cached !== undefined && cached.fingerprint === fingerprint && cached.validUntil > now().getTime()) {
        return cached.body;
      }
      const valued = await valuated(ctx, rows);
      const all = [...valued.lines.values()].flat();
      const totals = summarize([...all.map((l) => l.totals), ...[...valued.charges.values()].flat()]);
      const body = {
        baseCurrency: ctx.baseCurrency,
        marketData: valued.marketData,
        totals,
        allocation: allocation(totals, all),
        missingRates: valued.missingRates,
        portfolios: rows.map((r) => valuedPortfolio(r, valued)),
      };
      overviews.delete(userId);
      if (overviews.size >= OVERVIEWS_KEPT) overviews.delete(overviews.keys().next().value!);
      overviews.set(userId, { fingerprint, validUntil: valued.validUntil, body });
      return body;
    },

    /**
     * GET /portfolio as JSON text: an overview reused by `overview` reuses its JSON too (about
     * 0.7 KB a position). `serialize` is the route's serializer for the overview.
     */
    async overviewJson(userId: string, serialize: (body: Overview) => string): Promise<string> {
      const body = await service.overview(userId);
      const kept = overviews.get(userId);
      if (kept?.body === body && kept.json !== undefined) return kept.json;
      const json = serialize(body);
      if (kept?.body === body) kept.json = json;
      return json;
    },

    async get(userId: string, id: string) {
      const ctx = await market.access.context(userId);
      const row = await ownPortfolio(userId, id);
      const valued = await valuated(ctx, [row], id);
      return {
        baseCurrency: ctx.baseCurrency,
        marketData: valued.marketData,
        missingRates: valued.missingRates,
        portfolio: valuedPortfolio(row, valued),
      };
    },

    /** Asks the provider for every held instrument now, whatever the cache holds. */
    async refreshQuotes(userId: string) {
      const ctx = await market.access.context(userId);
      const held = await heldInstruments(userId);
      const currencies = new Set(
        [...held.values()].map((h) => h.instrument.currency).filter((c) => c !== '' && c !== 'RUB'),
      );
      if (ctx.baseCurrency !== 'RUB') currencies.add(ctx.baseCurrency);
      const fx = await market.catalogue.currencyInstruments([...currencies]);
      const uids = [...held.keys(), ...[...fx.values()].map((i) => i.uid)];
      const quotes = await market.prices.quotes(uids, ctx.access, { force: true });
      overviews.delete(userId);
      const fresh = [...quotes.prices.values()].filter((q) => q.fresh);
      const asOf = fresh.reduce<Date | null>((a, q) => (a === null || q.time > a ? q.time : a), null);
      return {
        marketData: market.access.status(ctx.access, quotes, asOf),
        instruments: uids.length,
        refreshed: fresh.length,
      };
    },
  };
  return service;
}

export type PortfolioOverview = ReturnType<typeof createPortfolioOverview>;
