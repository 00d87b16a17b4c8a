import type { AppInstance } from '../../app.js';
import type { AuthService, UserCreatedHook } from '../auth/auth.service.js';
import type { FxService } from '../fx/fx.service.js';
import type { Market } from '../market/market.js';
import { manualAssetsRoutes } from './manual-assets.routes.js';
import { OperationDto } from './operations.schemas.js';
import { operationsRoutes } from './operations.routes.js';
import {
  ManualAssetDto,
  PortfolioDto,
  PositionDto,
  TotalsDto,
  ValuedPortfolioDto,
} from './portfolios.schemas.js';
import { portfoliosRoutes } from './portfolios.routes.js';
import { BrokerAccountDto } from './tinvest.schemas.js';
import { tinvestRoutes } from './tinvest.routes.js';
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
  // The response schemas the routes of all four resources refer to.
  for (const schema of [
    PortfolioDto,
    TotalsDto,
    PositionDto,
    ValuedPortfolioDto,
    OperationDto,
    ManualAssetDto,
    BrokerAccountDto,
  ]) {
    app.addSchema(schema);
  }
  portfoliosRoutes(app, { portfolios, operations });
  operationsRoutes(app, operations);
  manualAssetsRoutes(app, portfolios);
  tinvestRoutes(app, tinvest);
  manualPricesRoutes(app, createManualPricesService({ db, market, now }));
  return { portfolios };
}
