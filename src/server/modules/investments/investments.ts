import type { AppInstance } from '../../app.js';
import type { AuthService, UserCreatedHook } from '../auth/auth.service.js';
import type { FxService } from '../fx/fx.service.js';
import type { Market } from '../market/market.js';
import { investmentsRoutes } from './investments.routes.js';
import { manualPricesRoutes } from './manual-prices.routes.js';
import { createManualPricesService } from './manual-prices.service.js';
import { createOperationsService } from './operations.service.js';
import { createPortfoliosService } from './portfolios.service.js';
import { createTinvestService } from './tinvest.service.js';

/** Investments: services, routes and the new-user hook; market data comes from the market module. */
export function registerInvestments(
  app: AppInstance,
  {
    auth,
    onUserCreated,
    fx,
    market,
  }: { auth: AuthService; onUserCreated: UserCreatedHook[]; fx: FxService; market: Market },
) {
  const { database, cache, now } = app.deps;
  const db = database.db;
  const logger = app.log;
  const operations = createOperationsService({ db, cache, market, now, logger });
  const portfolios = createPortfoliosService({ db, cache, market, fx, operations, now, logger });
  const tinvest = createTinvestService({
    db,
    market,
    operations,
    setTinvestToken: (userId, token) => auth.setTinvestToken(userId, token),
    now,
    logger,
  });

  onUserCreated.push((tx, userId) => portfolios.createDefault(tx, userId));
  investmentsRoutes(app, { portfolios, operations, tinvest });
  manualPricesRoutes(app, createManualPricesService({ db, market, now }));
  return { portfolios };
}
