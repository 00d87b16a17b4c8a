import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { Id, IdParams, responses } from '../../platform/schemas.js';
import type { OperationsService } from './operations.service.js';
import {
  AddAssetBody,
  CalendarQuery,
  CalendarResponse,
  CreatePortfolioBody,
  PortfolioDetailDto,
  PortfolioOverviewDto,
  PortfolioSummaryDto,
  QuotesRefreshResponse,
  UpdatePortfolioBody,
} from './portfolios.schemas.js';
import type { PortfolioCalendar } from './portfolio-calendar.service.js';
import type { PortfolioOverview } from './portfolio-overview.service.js';
import type { PortfoliosService } from './portfolios.service.js';

const PositionParams = Type.Object({ id: Id(), positionId: Id() }, { additionalProperties: false });

/** Portfolios: the valued overview, one portfolio, its assets and positions, quotes and calendar. */
export function portfoliosRoutes(
  app: AppInstance,
  {
    portfolios,
    overview,
    calendar,
    operations,
  }: {
    portfolios: PortfoliosService;
    overview: PortfolioOverview;
    calendar: PortfolioCalendar;
    operations: OperationsService;
  },
): void {
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
      // The route's serializer (the schema's); the service keeps the JSON with the overview it reuses.
      const json = await overview.overviewJson(
        request.auth.userId,
        (body) => reply.serialize(body) as string, // the JSON serializer gives text
      );
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
    async (request) => overview.refreshQuotes(request.auth.userId),
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
    async (request) => calendar.calendar(request.auth.userId, request.query),
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
    async (request) => overview.get(request.auth.userId, request.params.id),
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
}
