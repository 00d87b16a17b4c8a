import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import type { ObligationsService } from './obligations.service.js';
import {
  CreateObligationBody,
  ObligationDto,
  ObligationListQuery,
  ObligationMonthDto,
  ObligationsSummaryDto,
  PatchObligationBody,
} from './obligations.schemas.js';

const BASE = '/api/budget/obligations';
const tags = ['obligations'];

export function obligationsRoutes(app: AppInstance, obligations: ObligationsService): void {
  app.get(
    BASE,
    {
      schema: {
        tags,
        summary: 'Mandatory payments due in a month, with totals per currency',
        querystring: ObligationListQuery,
        response: responses({ 200: ObligationMonthDto }),
      },
    },
    async (request) => obligations.month(request.auth.userId, request.query.month),
  );

  app.get(
    `${BASE}/summary`,
    {
      schema: {
        tags,
        summary: 'Total debt, credits, paid and remaining; payments due in the next 30 days',
        response: responses({ 200: ObligationsSummaryDto }),
      },
    },
    async (request) => obligations.summary(request.auth.userId),
  );

  app.post(
    BASE,
    {
      schema: {
        tags,
        summary: 'Add a mandatory payment',
        body: CreateObligationBody,
        response: responses({ 201: ObligationDto }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await obligations.create(request.auth.userId, request.body)),
  );

  app.get(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'A mandatory payment',
        params: IdParams,
        response: responses({ 200: ObligationDto }),
      },
    },
    async (request) => obligations.get(request.auth.userId, request.params.id),
  );

  app.patch(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Change a mandatory payment or mark it paid / unpaid',
        params: IdParams,
        body: PatchObligationBody,
        response: responses({ 200: ObligationDto }),
      },
    },
    async (request) => obligations.patch(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a mandatory payment',
        params: IdParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await obligations.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
