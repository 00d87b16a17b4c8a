import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import { Id, IdParams, responses } from '../../platform/schemas.js';
import {
  CreateOperationBody,
  OperationDto,
  OperationsPage,
  OperationsQuery,
  UpdateOperationBody,
} from './operations.schemas.js';
import type { OperationsService } from './operations.service.js';
import {
  AddAssetBody,
  CalendarQuery,
  CalendarResponse,
  CreateManualAssetBody,
  CreatePortfolioBody,
  ManualAssetDto,
  PortfolioDetailDto,
  PortfolioDto,
  PortfolioOverviewDto,
  PortfolioSummaryDto,
  PositionDto,
  QuotesRefreshResponse,
  TotalsDto,
  UpdateManualAssetBody,
  UpdatePortfolioBody,
  ValuedPortfolioDto,
} from './portfolios.schemas.js';
import type { PortfoliosService } from './portfolios.service.js';
import {
  AccountsResponse,
  BrokerAccountDto,
  SyncBody,
  SyncResponse,
  TinvestTokenBody,
  TinvestTokenResponse,
} from './tinvest.schemas.js';
import type { TinvestService } from './tinvest.service.js';

const PositionParams = Type.Object({ id: Id(), positionId: Id() }, { additionalProperties: false });

export function investmentsRoutes(
  app: AppInstance,
  {
    portfolios,
    operations,
    tinvest,
  }: { portfolios: PortfoliosService; operations: OperationsService; tinvest: TinvestService },
): void {
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
  const serialized = new WeakMap<object, string>();
  const err = Type.Ref('ErrorResponse');
  const upstream = { 502: err, 503: err };
  const tags = ['portfolio'];

  app.get(
    '/api/portfolio',
    {
      schema: {
        tags,
        summary: 'All portfolios with valued positions, totals by class, P/L, day change and allocation',
        description:
          'Quotes of every held instrument come from one batched request (cached for a minute). When the provider fails, the last known prices are used and marketData.stale is true; the answer is still 200.',
        response: responses({ 200: PortfolioOverviewDto }),
      },
    },
    async (request, reply) => {
      const body = await portfolios.overview(request.auth.userId);
      // An overview reused by the service is the same object: so is its JSON (about 0.7 KB a position).
      let json = serialized.get(body);
      if (json === undefined) {
        json = reply.serialize(body) as string; // the JSON serializer gives text
        serialized.set(body, json);
      }
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );

  app.post(
    '/api/portfolio/quotes/refresh',
    {
      schema: {
        tags,
        summary: 'Fetch fresh prices of every held instrument now, ignoring the one-minute cache',
        response: responses({ 200: QuotesRefreshResponse }),
      },
    },
    async (request) => portfolios.refreshQuotes(request.auth.userId),
  );

  app.get(
    '/api/portfolio/calendar',
    {
      schema: {
        tags,
        summary: 'Coupons, dividends and redemptions of the held instruments',
        querystring: CalendarQuery,
        response: responses({ 200: CalendarResponse }),
      },
    },
    async (request) => portfolios.calendar(request.auth.userId, request.query),
  );

  app.get(
    '/api/portfolios',
    {
      schema: {
        tags,
        summary: 'Your portfolios',
        response: responses({ 200: Type.Array(PortfolioSummaryDto) }),
      },
    },
    async (request) => portfolios.list(request.auth.userId),
  );

  app.post(
    '/api/portfolios',
    {
      schema: {
        tags,
        summary: 'Create a portfolio kept by hand',
        body: CreatePortfolioBody,
        response: responses({ 201: Type.Ref('Portfolio') }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await portfolios.create(request.auth.userId, request.body)),
  );

  app.get(
    '/api/portfolios/:id',
    {
      schema: {
        tags,
        summary: 'One portfolio, valued',
        params: IdParams,
        response: responses({ 200: PortfolioDetailDto }),
      },
    },
    async (request) => portfolios.get(request.auth.userId, request.params.id),
  );

  app.patch(
    '/api/portfolios/:id',
    {
      schema: {
        tags,
        summary: 'Rename a portfolio or switch cash tracking',
        params: IdParams,
        body: UpdatePortfolioBody,
        response: responses({ 200: Type.Ref('Portfolio') }),
      },
    },
    async (request) => portfolios.update(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    '/api/portfolios/:id',
    {
      schema: {
        tags,
        summary: 'Delete a portfolio with its operations',
        params: IdParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await portfolios.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/portfolios/:id/assets',
    {
      schema: {
        tags,
        summary: 'Add an asset with quantity and average price (recorded as one buy)',
        params: IdParams,
        body: AddAssetBody,
        response: responses({ 201: Type.Ref('Operation'), 409: err, ...upstream }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await portfolios.addAsset(request.auth.userId, request.params.id, request.body)),
  );

  app.delete(
    '/api/portfolios/:id/positions/:positionId',
    {
      schema: {
        tags,
        summary: 'Remove a position: every operation of that asset in the portfolio',
        params: PositionParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await operations.removePosition(request.auth.userId, request.params.id, request.params.positionId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/portfolios/:id/operations',
    {
      schema: {
        tags: ['operations'],
        summary: 'Operations of a portfolio, newest first',
        params: IdParams,
        querystring: OperationsQuery,
        response: responses({ 200: OperationsPage }),
      },
    },
    async (request) => operations.list(request.auth.userId, request.params.id, request.query),
  );

  app.post(
    '/api/portfolios/:id/operations',
    {
      schema: {
        tags: ['operations'],
        summary: 'Record an operation',
        description:
          'Selling more than is held on that date is refused (422 on quantity). Without fxRate the rate of the day is looked up; when unknown it stays null and is filled in later.',
        params: IdParams,
        body: CreateOperationBody,
        response: responses({ 201: Type.Ref('Operation'), 409: err, ...upstream }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await operations.create(request.auth.userId, request.params.id, request.body)),
  );

  app.get(
    '/api/operations/:id',
    {
      schema: {
        tags: ['operations'],
        summary: 'One operation',
        params: IdParams,
        response: responses({ 200: Type.Ref('Operation') }),
      },
    },
    async (request) => operations.get(request.auth.userId, request.params.id),
  );

  app.patch(
    '/api/operations/:id',
    {
      schema: {
        tags: ['operations'],
        summary: 'Change an operation (or move it to another portfolio of yours)',
        params: IdParams,
        body: UpdateOperationBody,
        response: responses({ 200: Type.Ref('Operation'), 409: err, ...upstream }),
      },
    },
    async (request) => operations.update(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    '/api/operations/:id',
    {
      schema: {
        tags: ['operations'],
        summary: 'Delete an operation',
        description: '409 LEDGER_CONFLICT when a later sale would then exceed the holding.',
        params: IdParams,
        response: responses({ 204: Type.Null(), 409: err }),
      },
    },
    async (request, reply) => {
      await operations.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  const assetTags = ['manual assets'];
  app.get(
    '/api/manual-assets',
    {
      schema: {
        tags: assetTags,
        summary: 'Assets you describe and price by hand',
        response: responses({ 200: Type.Array(Type.Ref('ManualAsset')) }),
      },
    },
    async (request) => portfolios.listManualAssets(request.auth.userId),
  );

  app.post(
    '/api/manual-assets',
    {
      schema: {
        tags: assetTags,
        summary: 'Describe an asset the market data provider does not know',
        body: CreateManualAssetBody,
        response: responses({ 201: Type.Ref('ManualAsset') }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await portfolios.createManualAsset(request.auth.userId, request.body)),
  );

  app.patch(
    '/api/manual-assets/:id',
    {
      schema: {
        tags: assetTags,
        summary: 'Rename or re-price a manual asset',
        params: IdParams,
        body: UpdateManualAssetBody,
        response: responses({ 200: Type.Ref('ManualAsset') }),
      },
    },
    async (request) => portfolios.updateManualAsset(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    '/api/manual-assets/:id',
    {
      schema: {
        tags: assetTags,
        summary: 'Delete a manual asset no operation refers to',
        params: IdParams,
        response: responses({ 204: Type.Null(), 409: err }),
      },
    },
    async (request, reply) => {
      await portfolios.removeManualAsset(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  const tinvestTags = ['t-invest'];
  app.put(
    '/api/users/me/tinvest-token',
    {
      schema: {
        tags: tinvestTags,
        summary: 'Store your T-Invest token (checked with T-Invest first, kept encrypted, never returned)',
        body: TinvestTokenBody,
        response: responses({ 200: TinvestTokenResponse, 409: err, ...upstream }),
      },
    },
    async (request) => tinvest.setToken(request.auth.userId, request.body.token),
  );

  app.delete(
    '/api/users/me/tinvest-token',
    {
      schema: {
        tags: tinvestTags,
        summary: 'Forget your T-Invest token',
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await tinvest.removeToken(request.auth.userId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/tinvest/accounts',
    {
      schema: {
        tags: tinvestTags,
        summary: 'Your T-Invest broker accounts (with your token)',
        description: '409 TINVEST_TOKEN_MISSING / TINVEST_TOKEN_INVALID when there is no working token.',
        response: responses({ 200: AccountsResponse, 409: err, ...upstream }),
      },
    },
    async (request) => tinvest.accounts(request.auth.userId),
  );

  app.post(
    '/api/portfolios/sync',
    {
      schema: {
        tags: tinvestTags,
        summary: 'Import a broker account’s operations into its synced portfolio',
        description:
          'Creates the portfolio on the first run. Operations are keyed by the broker’s id: running it again imports only new ones.',
        body: SyncBody,
        response: responses({ 200: SyncResponse, 409: err, ...upstream }),
      },
    },
    async (request) => tinvest.sync(request.auth.userId, request.body.accountId),
  );
}
