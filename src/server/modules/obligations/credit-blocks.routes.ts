import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import type { CreditBlocksService } from './credit-blocks.service.js';
import {
  BlockListQuery,
  CreateBlockBody,
  CreditBlockDto,
  EarlyRepaymentBody,
  EarlyRepaymentParams,
  EarlyRepaymentPreviewDto,
  MarkPaidBody,
  MarkPaidThroughBody,
  PatchBlockBody,
  PaymentParams,
  PreviewBody,
  ScheduleDto,
} from './credit-blocks.schemas.js';

const BASE = '/api/budget/obligation-blocks';
const tags = ['credits'];
const conflict = Type.Ref('ErrorResponse');

export function creditBlocksRoutes(app: AppInstance, blocks: CreditBlocksService): void {
  app.get(
    BASE,
    {
      schema: {
        tags,
        summary: 'Credit blocks with their progress',
        querystring: BlockListQuery,
        response: responses({ 200: Type.Array(CreditBlockDto) }),
      },
    },
    async (request) => blocks.list(request.auth.userId, request.query.status),
  );

  app.post(
    BASE,
    {
      schema: {
        tags,
        summary: 'Add a credit block',
        description: 'Give termMonths or closeDate. The schedule is computed from the terms.',
        body: CreateBlockBody,
        response: responses({ 201: CreditBlockDto }),
      },
    },
    async (request, reply) => reply.status(201).send(await blocks.create(request.auth.userId, request.body)),
  );

  app.post(
    `${BASE}/preview`,
    {
      schema: {
        tags,
        summary: 'Schedule and progress of unsaved terms (writes nothing)',
        description: 'Terms as on create, plus optional history: payments marked paid and early repayments.',
        body: PreviewBody,
        response: responses({ 200: ScheduleDto }),
      },
    },
    async (request) => blocks.preview(request.auth.userId, request.body),
  );

  app.get(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'A credit block',
        params: IdParams,
        response: responses({ 200: CreditBlockDto }),
      },
    },
    async (request) => blocks.get(request.auth.userId, request.params.id),
  );

  app.put(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Replace a credit block',
        description:
          'Fields left out take their defaults. Recorded payments must still fit the new terms (else 409).',
        params: IdParams,
        body: CreateBlockBody,
        response: responses({ 200: CreditBlockDto, 409: conflict }),
      },
    },
    async (request) => blocks.replace(request.auth.userId, request.params.id, request.body),
  );

  app.patch(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Change some fields of a credit block',
        description: 'A new termMonths drops the close date. Recorded payments must still fit (else 409).',
        params: IdParams,
        body: PatchBlockBody,
        response: responses({ 200: CreditBlockDto, 409: conflict }),
      },
    },
    async (request) => blocks.patch(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a credit block with its payments and early repayments',
        params: IdParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await blocks.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${BASE}/:id/schedule`,
    {
      schema: {
        tags,
        summary: 'Payment schedule recomputed from the recorded history',
        params: IdParams,
        response: responses({ 200: ScheduleDto }),
      },
    },
    async (request) => blocks.schedule(request.auth.userId, request.params.id),
  );

  app.post(
    `${BASE}/:id/payments`,
    {
      schema: {
        tags,
        summary: 'Mark a scheduled payment paid',
        description:
          'date and amount default to the scheduled ones. Returns the block with its new progress.',
        params: IdParams,
        body: MarkPaidBody,
        response: responses({ 201: CreditBlockDto, 409: conflict }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await blocks.markPaid(request.auth.userId, request.params.id, request.body)),
  );

  app.post(
    `${BASE}/:id/payments/through`,
    {
      schema: {
        tags,
        summary: 'Mark every unpaid scheduled payment up to a number paid as scheduled',
        description: 'For a loan entered part-way through its life.',
        params: IdParams,
        body: MarkPaidThroughBody,
        response: responses({ 200: CreditBlockDto, 409: conflict }),
      },
    },
    async (request) => blocks.markPaidThrough(request.auth.userId, request.params.id, request.body.number),
  );

  app.delete(
    `${BASE}/:id/payments/:paymentId`,
    {
      schema: {
        tags,
        summary: 'Mark a payment unpaid again',
        params: PaymentParams,
        response: responses({ 204: Type.Null(), 409: conflict }),
      },
    },
    async (request, reply) => {
      await blocks.unmarkPaid(request.auth.userId, request.params.id, request.params.paymentId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${BASE}/:id/early-repayments`,
    {
      schema: {
        tags,
        summary: 'Record an early repayment',
        description: 'The schedule after it is recomputed. Returns the block with its new progress.',
        params: IdParams,
        body: EarlyRepaymentBody,
        response: responses({ 201: CreditBlockDto, 409: conflict }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await blocks.addEarlyRepayment(request.auth.userId, request.params.id, request.body)),
  );

  app.post(
    `${BASE}/:id/early-repayments/preview`,
    {
      schema: {
        tags,
        summary: 'What an early repayment would change (writes nothing)',
        params: IdParams,
        body: EarlyRepaymentBody,
        response: responses({ 200: EarlyRepaymentPreviewDto, 409: conflict }),
      },
    },
    async (request) => blocks.previewEarlyRepayment(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    `${BASE}/:id/early-repayments/:repaymentId`,
    {
      schema: {
        tags,
        summary: 'Delete an early repayment',
        params: EarlyRepaymentParams,
        response: responses({ 204: Type.Null(), 409: conflict }),
      },
    },
    async (request, reply) => {
      await blocks.removeEarlyRepayment(request.auth.userId, request.params.id, request.params.repaymentId);
      return reply.status(204).send(null);
    },
  );
}
