import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import {
  CreateOperationBody,
  OperationsPage,
  OperationsQuery,
  UpdateOperationBody,
} from './operations.schemas.js';
import type { OperationsService } from './operations.service.js';

/** A portfolio's operations: the ledger its positions are derived from. */
export function operationsRoutes(app: AppInstance, operations: OperationsService): void {
  const err = Type.Ref('ErrorResponse');
  const upstream = { 502: err, 503: err };

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
}
