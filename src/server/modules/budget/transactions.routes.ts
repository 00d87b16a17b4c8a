import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import { EXPORT_HEADER } from './transactions-csv.js';
import type { TransactionsService } from './transactions.service.js';
import {
  BulkCreateBody,
  BulkCreateResponse,
  CreateTransactionBody,
  ExportTransactionsQuery,
  ListTransactionsQuery,
  TransactionDto,
  TransactionPage,
  UpdateTransactionBody,
} from './transactions.schemas.js';

const tags = ['budget: transactions'];

export function transactionsRoutes(app: AppInstance, transactions: TransactionsService): void {
  app.get(
    '/api/budget/transactions',
    {
      schema: {
        tags,
        summary: 'Transactions with filters, sorting and pagination',
        description:
          'Pages by `cursor` (pass `nextCursor` back) or by `page`; `total` counts all matches. Newest first by default.',
        querystring: ListTransactionsQuery,
        response: responses({ 200: TransactionPage }),
      },
    },
    async (request) => transactions.list(request.auth.userId, request.query),
  );

  app.post(
    '/api/budget/transactions',
    {
      schema: {
        tags,
        summary: 'Record an income, an expense or a transfer',
        body: CreateTransactionBody,
        response: responses({ 201: TransactionDto }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await transactions.create(request.auth.userId, request.body)),
  );

  app.post(
    '/api/budget/transactions/bulk',
    {
      schema: {
        tags,
        summary: 'Record up to 1000 transactions at once: all or none',
        description: 'On an error nothing is stored and the field names the item, e.g. `items.17.amount`.',
        body: BulkCreateBody,
        response: responses({ 201: BulkCreateResponse }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await transactions.createMany(request.auth.userId, request.body.items)),
  );

  app.get(
    '/api/budget/transactions/export',
    {
      schema: {
        tags,
        summary: 'The filtered transactions as CSV',
        description:
          'UTF-8 with a BOM, newest first, streamed. Columns: ' +
          EXPORT_HEADER.map((h) => `\`${h}\``).join(', ') +
          '. `Amount` is signed from the side of `Account` (minus is money out); with `accountId`, a transfer into that account is written from its side, so the file imports back into it (the statement import knows this header). Cells starting with `= + - @` get a leading apostrophe.',
        querystring: ExportTransactionsQuery,
        response: {
          ...responses({}),
          200: Type.Unsafe<unknown>({
            description: 'The CSV text',
            content: { 'text/csv': { schema: { type: 'string' } } },
          }),
        },
      },
    },
    async (request, reply) => {
      const { day, lines } = await transactions.exportCsv(request.auth.userId, request.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="transactions-${day}.csv"`)
        .send(Readable.from(lines));
    },
  );

  app.get(
    '/api/budget/transactions/:id',
    {
      schema: {
        tags,
        summary: 'One transaction',
        params: IdParams,
        response: responses({ 200: TransactionDto }),
      },
    },
    async (request) => transactions.get(request.auth.userId, request.params.id),
  );

  app.patch(
    '/api/budget/transactions/:id',
    {
      schema: {
        tags,
        summary: 'Change a transaction',
        description:
          'Fields that do not fit a new type (category of a transfer, receiving account) are dropped.',
        params: IdParams,
        body: UpdateTransactionBody,
        response: responses({ 200: TransactionDto }),
      },
    },
    async (request) => transactions.update(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    '/api/budget/transactions/:id',
    {
      schema: {
        tags,
        summary: 'Delete a transaction',
        params: IdParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await transactions.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
