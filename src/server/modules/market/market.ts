import type { FastifyBaseLogger } from 'fastify';
import type { AppInstance } from '../../platform/app-instance.js';
import type { Config } from '../../config.js';
import type { Cache } from '../../platform/cache.js';
import type { Db } from '../../platform/db.js';
import type { AuthService } from '../auth/auth.service.js';
import { createBrokerService } from './broker.service.js';
import { createCalendarService } from './calendar.service.js';
import { createCandlesService } from './candles.service.js';
import { createCatalogueService } from './catalogue.service.js';
import { createMarketAccess } from './market-access.service.js';
import { marketRoutes } from './market.routes.js';
import type { MarketDataProvider } from './provider.js';
import { createProviderIds } from './provider-ids.js';
import { createQuotesService } from './quotes.service.js';

export interface MarketDeps {
  db: Db;
  cache: Cache;
  config: Config;
  /** T-Invest: market data with a server or user token, and everything about broker accounts. */
  market: MarketDataProvider | undefined;
  /** MOEX ISS: market data for whoever has no T-Invest token. */
  moex: MarketDataProvider | undefined;
  auth: Pick<AuthService, 'marketSettings'>;
  now: () => Date;
  logger: FastifyBaseLogger;
}

/** The market module's services, each with one responsibility. */
export function createMarket({ db, cache, config, market, moex, auth, now, logger }: MarketDeps) {
  const access = createMarketAccess({ config, market, moex, auth, logger });
  const providerUids = createProviderIds({ db, cache, logger });
  const catalogue = createCatalogueService({
    db,
    cache,
    moex,
    contexts: access,
    providerUids,
    now,
    logger,
  });
  return {
    /** Which source serves a user, and the state of that source as the pages show it. */
    access,
    /** The instrument catalogue, its search and daily refresh, bonds' НКД. */
    catalogue,
    /** Last prices and previous closes. */
    prices: createQuotesService({ db, cache, providerUids, now, logger }),
    /** Chart candles and past exchange rates. */
    history: createCandlesService({ db, cache, catalogue, providerUids, now, logger }),
    /** Coupons, amortisations and dividends. */
    calendar: createCalendarService({ cache, providerUids }),
    /** The user's broker accounts at T-Invest. */
    broker: createBrokerService({ market }),
  };
}

export type Market = ReturnType<typeof createMarket>;

/** Market data: its services, routes and the catalogue's daily refresh. */
export function registerMarket(
  app: AppInstance,
  { auth }: { auth: Pick<AuthService, 'marketSettings'> },
): Market {
  const { database, cache, config, market: provider, moex, now } = app.deps;
  const market = createMarket({
    db: database.db,
    cache,
    config,
    market: provider,
    moex,
    auth,
    now,
    logger: app.log,
  });
  marketRoutes(app, market);
  app.addHook('onReady', async () => market.catalogue.start());
  app.addHook('onClose', async () => market.catalogue.stop());
  return market;
}
