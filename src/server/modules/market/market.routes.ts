import { dec } from '../../../common/decimal.js';
import { Type } from 'typebox';

import type { AppInstance } from '../../platform/app-instance.js';
import { validationFailed } from '../../platform/errors.js';
import { limit } from '../../platform/rate-limit.js';
import { responses } from '../../platform/schemas.js';
import {
  CandlesQuery,
  CandlesResponse,
  CatalogueRefreshResponse,
  InstrumentDto,
  InstrumentSearchQuery,
  InstrumentSearchResponse,
  MarketStatus,
  QuotesQuery,
  QuotesResponse,
} from './market.schemas.js';
import type { CandlesService } from './candles.service.js';
import type { CatalogueService } from './catalogue.service.js';
import type { MarketAccessService } from './market-access.service.js';
import type { QuotesService } from './quotes.service.js';

const MAX_QUOTES = 300;

export function marketRoutes(
  app: AppInstance,
  market: {
    access: MarketAccessService;
    catalogue: CatalogueService;
    history: CandlesService;
    prices: QuotesService;
  },
): void {
  app.addSchema(MarketStatus);
  app.addSchema(InstrumentDto);
  const upstream = { 502: Type.Ref('ErrorResponse'), 503: Type.Ref('ErrorResponse') };
  // Each refresh downloads the whole catalogue from T-Invest: a few per user and hour is plenty.
  const refreshLimit = limit(app.deps.cache, {
    name: 'catalogue-refresh',
    max: 5,
    windowMs: 60 * 60_000,
    key: (r) => r.auth.userId,
  });

  app.get(
    '/api/market/instruments',
    {
      schema: {
        tags: ['market'],
        summary: 'Search instruments by ticker, name, ISIN or FIGI',
        description:
          'Searches the catalogue (filled from the market data provider only); with few matches the provider’s FindInstrument is asked too. Without a market data source, marketData.configured is false.',
        querystring: InstrumentSearchQuery,
        response: responses({ 200: InstrumentSearchResponse }),
      },
    },
    async (request) => {
      const ctx = await market.access.context(request.auth.userId);
      const { query, kind, limit: max } = request.query;
      if (query.trim() === '') throw validationFailed('query', 'BLANK', 'must not be blank');
      return market.catalogue.search(ctx, query, kind, max ?? 20);
    },
  );

  app.post(
    '/api/market/instruments/refresh',
    {
      preHandler: [refreshLimit],
      schema: {
        tags: ['market'],
        summary: 'Refresh the instrument catalogue from the provider now',
        description:
          'It also refreshes by itself once a day. 503 MARKET_DATA_NOT_CONFIGURED without a source.',
        response: responses({ 200: CatalogueRefreshResponse, ...upstream }),
      },
    },
    async (request) =>
      market.catalogue.refreshCatalogue((await market.access.context(request.auth.userId)).access),
  );

  app.get(
    '/api/market/candles',
    {
      schema: {
        tags: ['market'],
        summary: 'Price candles of an instrument',
        description:
          'Either `range` (day, week, month, year — ending now) or `interval` with `from` (and `to`). Cached for a minute.',
        querystring: CandlesQuery,
        response: responses({ 200: CandlesResponse, ...upstream }),
      },
    },
    async (request) =>
      market.history.candles(await market.access.context(request.auth.userId), request.query),
  );

  app.get(
    '/api/market/quotes',
    {
      schema: {
        tags: ['market'],
        summary: 'Last prices of catalogue instruments',
        description:
          'One batched provider request for those not fetched within the last minute. When the provider fails, the last known prices come back with stale: true.',
        querystring: QuotesQuery,
        response: responses({ 200: QuotesResponse }),
      },
    },
    async (request) => {
      const ids = [
        ...new Set(
          request.query.instrumentIds
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      if (ids.length === 0) throw validationFailed('instrumentIds', 'TOO_FEW', 'must list at least one id');
      if (ids.length > MAX_QUOTES)
        throw validationFailed('instrumentIds', 'TOO_MANY', `at most ${MAX_QUOTES} ids`, {
          limit: `${MAX_QUOTES}`,
        });
      const ctx = await market.access.context(request.auth.userId);
      const known = new Map(
        [...(await market.catalogue.instrumentsByUid(ids)).values()].map((r) => [r.uid, r]),
      );
      const quotes = await market.prices.quotes([...known.keys()], ctx.access);
      const items = [...quotes.prices].map(([uid, q]) => ({
        instrumentUid: uid,
        price: dec(q.price).toFixed(),
        percentOfNominal: known.get(uid)?.kind === 'bond',
        time: q.time.toISOString(),
        stale: !q.fresh,
      }));
      const asOf = items.reduce<Date | null>(
        (a, i) => (a === null || new Date(i.time) > a ? new Date(i.time) : a),
        null,
      );
      return { marketData: market.access.status(ctx.access, quotes, asOf), quotes: items };
    },
  );
}
