import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import type { AccountsService } from './accounts.service.js';
import { AccountDto, CreateAccountBody, ListAccountsQuery, UpdateAccountBody } from './accounts.schemas.js';

const tags = ['budget: accounts'];

export function accountsRoutes(app: AppInstance, accounts: AccountsService): void {
  app.get(
    '/api/budget/accounts',
    {
      schema: {
        tags,
        summary: 'Accounts with their computed balances',
        querystring: ListAccountsQuery,
        response: responses({ 200: Type.Array(AccountDto) }),
      },
    },
    async (request) => accounts.list(request.auth.userId, request.query.includeArchived === true),
  );

  app.post(
    '/api/budget/accounts',
    {
      schema: {
        tags,
        summary: 'Open an account',
        body: CreateAccountBody,
        response: responses({ 201: AccountDto }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await accounts.create(request.auth.userId, request.body)),
  );

  app.get(
    '/api/budget/accounts/:id',
    {
      schema: {
        tags,
        summary: 'One account with its balance',
        params: IdParams,
        response: responses({ 200: AccountDto }),
      },
    },
    async (request) => accounts.get(request.auth.userId, request.params.id),
  );

  app.patch(
    '/api/budget/accounts/:id',
    {
      schema: {
        tags,
        summary: 'Rename, change kind or opening balance, archive or restore an account',
        description: 'The currency can change only while the account has no transactions (409 otherwise).',
        params: IdParams,
        body: UpdateAccountBody,
        response: responses({ 200: AccountDto, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request) => accounts.update(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    '/api/budget/accounts/:id',
    {
      schema: {
        tags,
        summary: 'Delete an account that has no transactions',
        description:
          'An account with transactions is never deleted: the answer is 409 ACCOUNT_HAS_TRANSACTIONS; archive it with PATCH {"archived": true}.',
        params: IdParams,
        response: responses({ 204: Type.Null(), 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request, reply) => {
      await accounts.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
