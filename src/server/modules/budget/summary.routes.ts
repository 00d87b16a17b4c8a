import type { AppInstance } from '../../platform/app-instance.js';
import { responses } from '../../platform/schemas.js';
import type { SummaryService } from './summary.service.js';
import { Charts, ChartsQuery, MonthSummary, PeriodQuery, YearQuery, YearReport } from './summary.schemas.js';

const tags = ['budget: reports'];

export function summaryRoutes(app: AppInstance, summary: SummaryService): void {
  app.get(
    '/api/budget/summary/month',
    {
      schema: {
        tags,
        summary: 'Income, expense, net, savings flow, balances at the end and limits of a month or range',
        description:
          "A month is the calendar month in the user's time zone, last day included. Totals are per currency; `base` only when every amount is in the base currency.",
        querystring: PeriodQuery,
        response: responses({ 200: MonthSummary }),
      },
    },
    async (request) => summary.month(request.auth.userId, request.query),
  );

  app.get(
    '/api/budget/summary/charts',
    {
      schema: {
        tags,
        summary: 'Chart series of one currency: by category, by day, 12 months',
        querystring: ChartsQuery,
        response: responses({ 200: Charts }),
      },
    },
    async (request) => summary.charts(request.auth.userId, request.query),
  );

  app.get(
    '/api/budget/summary/year',
    {
      schema: {
        tags,
        summary: 'Year report: months and groups, per currency',
        querystring: YearQuery,
        response: responses({ 200: YearReport }),
      },
    },
    async (request) => summary.year(request.auth.userId, request.query.year),
  );
}
