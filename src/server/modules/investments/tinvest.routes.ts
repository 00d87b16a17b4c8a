import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { responses } from '../../platform/schemas.js';
import {
  AccountsResponse,
  SyncBody,
  SyncResponse,
  TinvestTokenBody,
  TinvestTokenResponse,
} from './tinvest.schemas.js';
import type { TinvestService } from './tinvest.service.js';

/** The user's T-Invest token, broker accounts and their synchronisation. */
export function tinvestRoutes(app: AppInstance, tinvest: TinvestService): void {
  const err = Type.Ref('ErrorResponse');
  const upstream = { 502: err, 503: err };
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
