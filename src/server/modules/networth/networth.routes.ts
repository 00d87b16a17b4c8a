import type { AppInstance } from '../../platform/app-instance.js';
import { responses } from '../../platform/schemas.js';
import type { NetWorthHistory } from './networth-history.service.js';
import type { NetWorthService } from './networth.service.js';
import { NetWorthDto, NetWorthHistoryDto, NetWorthHistoryQuery } from './networth.schemas.js';

export function netWorthRoutes(app: AppInstance, netWorth: NetWorthService, history: NetWorthHistory): void {
  app.get(
    '/api/networth',
    {
      schema: {
        tags: ['net worth'],
        summary: 'Net worth: account balances + portfolios − credit principal, in the base currency',
        description:
          'Each line is converted at today’s rate and rounded half-up to the kopeck; a currency without a rate makes the totals null and is listed in missingRates (never taken as 1).',
        response: responses({ 200: NetWorthDto }),
      },
    },
    async (request) => netWorth.overview(request.auth.userId),
  );

  app.get<{ Querystring: NetWorthHistoryQuery }>(
    '/api/networth/history',
    {
      schema: {
        tags: ['net worth'],
        summary: 'Net worth day by day from the first day of the data, rebuilt from history',
        description:
          'Each day: account balances (opening balance + transactions up to that day, transfers on both sides) and credit principal outstanding after the payments made up to that day, per currency at that day’s rate (own, else official), rounded half-up per currency line, plus the portfolios’ value of that day. A day lacking a rate has null figures and its currencies are listed in missingRates. Kept per day and recomputed from the earliest changed day only. Long ranges are thinned to weekly or monthly points.',
        querystring: NetWorthHistoryQuery,
        response: responses({ 200: NetWorthHistoryDto }),
      },
    },
    async (request) => history.history(request.auth.userId, request.query.range ?? '1Y'),
  );
}
