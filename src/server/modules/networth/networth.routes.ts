import type { AppInstance } from '../../platform/app-instance.js';
import { responses } from '../../platform/schemas.js';
import type { NetWorthService } from './networth.service.js';
import { NetWorthDto } from './networth.schemas.js';

export function netWorthRoutes(app: AppInstance, netWorth: NetWorthService): void {
  app.get(
    '/api/networth',
    {
      schema: {
        tags: ['net worth'],
        summary:
          'Net worth: account balances + portfolios − credit principal, in the base currency, with history',
        description:
          'Each line is converted at today’s rate and rounded half-up to the kopeck; a currency without a rate makes the totals null and is listed in missingRates (never taken as 1).',
        response: responses({ 200: NetWorthDto }),
      },
    },
    async (request) => netWorth.overview(request.auth.userId),
  );
}
