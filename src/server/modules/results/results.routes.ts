import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import {
  IisBody,
  IisDto,
  IncomeDto,
  IncomeQuery,
  ResultsDto,
  ResultsQuery,
  TaxDto,
} from './results.schemas.js';
import type { ResultsService } from './results.service.js';

export function resultsRoutes(app: AppInstance, results: ResultsService): void {
  const tags = ['portfolio'];
  app.get(
    '/api/portfolio/results',
    {
      schema: {
        tags,
        summary: 'Value over time, returns (XIRR and time-weighted) and IMOEX beside them, for a period',
        description:
          'Daily values come from operations × daily closes × the day’s rates, cached per portfolio and recomputed from the earliest changed day. A missing price or rate leaves that holding out of a day and is counted in totals.missing.',
        querystring: ResultsQuery,
        response: responses({ 200: ResultsDto }),
      },
    },
    async (request) => results.results(request.auth.userId, request.query),
  );
  app.get(
    '/api/portfolio/income',
    {
      schema: {
        tags,
        summary:
          'Dividends and coupons per month and year (gross, tax withheld, net), yield on cost, expected',
        querystring: IncomeQuery,
        response: responses({ 200: IncomeDto }),
      },
    },
    async (request) => results.income(request.auth.userId, request.query.portfolioId),
  );
  app.get(
    '/api/portfolio/tax',
    {
      schema: {
        tags,
        summary: 'НДФЛ estimate: realised results per year by FIFO lots per account, in roubles',
        description:
          'Each trade at the Bank of Russia rate of its day; commissions included; 13 % / 15 % on the year’s total outside ИИС. An estimate: see the README for what it leaves out.',
        response: responses({ 200: TaxDto }),
      },
    },
    async (request) => results.tax(request.auth.userId),
  );
  app.put(
    '/api/portfolios/:id/iis',
    {
      schema: {
        tags,
        summary: 'Mark a portfolio as an individual investment account (ИИС type A, B or III) or not',
        params: IdParams,
        body: IisBody,
        response: responses({ 200: IisDto }),
      },
    },
    async (request) => results.setIis(request.auth.userId, request.params.id, request.body.iisType),
  );
}
