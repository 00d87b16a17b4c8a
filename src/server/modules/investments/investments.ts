import type { AppInstance } from '../../app.js';
import type { AuthService, UserCreatedHook } from '../auth/auth.service.js';
import type { FxService } from '../fx/fx.service.js';
import { marketRoutes } from '../market/market.routes.js';
import { createMarketService } from '../market/market.service.js';
import { investmentsRoutes } from './investments.routes.js';
import { manualPricesRoutes } from './manual-prices.routes.js';
import { createManualPricesService } from './manual-prices.service.js';
import { createOperationsService } from './operations.service.js';
import { createPortfoliosService } from './portfolios.service.js';
import { createTinvestService } from './tinvest.service.js';

/** Market data and investments: services, routes, the new-user hook and the catalogue's daily refresh. */
export function registerInvestments(
  app: AppInstance,
  { auth, onUserCreated, fx }: { auth: AuthService; onUserCreated: UserCreatedHook[]; fx: FxService },
) {
  const { database, cache, config, market: provider, moex, now } = app.deps;
  const db = database.db;
  const logger = app.log;
  const market = createMarketService({ db, cache, config, market: provider, moex, now, logger });
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

  onUserCreated.push((tx, userId, locale) => portfolios.createDefault(tx, userId, locale));
  marketRoutes(app, market);
  investmentsRoutes(app, { portfolios, operations, tinvest });
  manualPricesRoutes(app, createManualPricesService({ db, market, now }));
  app.addHook('onReady', async () => market.start());
  app.addHook('onClose', async () => market.stop());
  return { market, portfolios };
}
