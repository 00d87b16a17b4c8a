import type { AppInstance } from '../../platform/app-instance.js';
import type { AuthService, BaseCurrencyChangedHook, UserCreatedHook } from '../auth/auth.service.js';
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
import { createManualAssetsService } from './manual-assets.service.js';
import { createPortfolioCalendar } from './portfolio-calendar.service.js';
import { createPortfolioOverview } from './portfolio-overview.service.js';
import { createPortfolioValuation } from './portfolio-valuation.service.js';
import { createPortfoliosService } from './portfolios.service.js';
import { createPositionsService } from './positions.service.js';
import { createTinvestService } from './tinvest.service.js';
import { resultsRoutes } from '../results/results.routes.js';
import { createResultsService } from '../results/results.service.js';

/** Investments: services, routes and the new-user hook; market data comes from the market module. */
export function registerInvestments(
  app: AppInstance,
  {
    auth,
    onUserCreated,
    onBaseCurrencyChanged,
    fx,
    market,
  }: {
    auth: AuthService;
    onUserCreated: UserCreatedHook[];
    onBaseCurrencyChanged: BaseCurrencyChangedHook[];
    fx: FxService;
    market: Market;
  },
) {
  const { database, cache, now } = app.deps;
  const db = database.db;
  const logger = app.log;
  const positions = createPositionsService({ db, cache, market, logger });
  const operations = createOperationsService({ db, market, positions, now });
  const portfolios = createPortfoliosService({ db, market, operations, now });
  const valuation = createPortfolioValuation({ db, market, fx, positions, now });
  const overview = createPortfolioOverview({ db, cache, market, valuation, positions, now, logger });
  const calendar = createPortfolioCalendar({ market, valuation, now });
  const manualAssets = createManualAssetsService({ db, market, now });
  const tinvest = createTinvestService({
    db,
    market,
    positions,
    setTinvestToken: (userId, token) => auth.setTinvestToken(userId, token),
    now,
    logger,
  });

  onUserCreated.push((tx, userId, locale) => portfolios.createDefault(tx, userId, locale));
  onBaseCurrencyChanged.push((tx, userId, base) => positions.rebase(tx, userId, base));
  // Positions stored in another base currency than their owner's (by an older version, which
  // derived them again on the next view) are derived again in the background after start-up.
  let rebasing: Promise<unknown> | undefined;
  app.addHook('onReady', async () => {
    rebasing = positions
      .rebaseOutdated((ids) => auth.baseCurrencies(ids))
      .catch((err: unknown) =>
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'positions rebase failed'),
      );
  });
  app.addHook('onClose', async () => {
    await rebasing;
  });
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
  portfoliosRoutes(app, { portfolios, overview, calendar, operations });
  operationsRoutes(app, operations);
  manualAssetsRoutes(app, manualAssets);
  tinvestRoutes(app, tinvest);
  manualPricesRoutes(app, createManualPricesService({ db, market, now }));
  const results = createResultsService({
    db,
    market,
    fx,
    portfolios: calendar,
    overview,
    moex: app.deps.moex,
    now,
    logger,
  });
  resultsRoutes(app, results);
  return { overview, calendar, results, operations };
}
