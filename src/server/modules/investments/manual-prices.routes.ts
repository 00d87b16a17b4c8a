import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import {
  CreateManualPriceBody,
  ManualPriceDto,
  ManualPriceParams,
  UpdateManualPriceBody,
} from './manual-prices.schemas.js';
import type { ManualPricesService } from './manual-prices.service.js';

export function manualPricesRoutes(app: AppInstance, prices: ManualPricesService): void {
  app.addSchema(ManualPriceDto);
  const tags = ['manual assets'];
  const err = Type.Ref('ErrorResponse');

  app.get(
    '/api/manual-assets/:id/prices',
    {
      schema: {
        tags,
        summary: 'Price history of a manual asset, newest day first',
        params: IdParams,
        response: responses({ 200: Type.Array(Type.Ref('ManualPrice')) }),
      },
    },
    async (request) => prices.list(request.auth.userId, request.params.id),
  );

  app.post(
    '/api/manual-assets/:id/prices',
    {
      schema: {
        tags,
        summary: 'Record the price of a manual asset on a day',
        description:
          'The entry with the latest day is the asset’s current price. One price per day: 409 MANUAL_PRICE_EXISTS when the day has one.',
        params: IdParams,
        body: CreateManualPriceBody,
        response: responses({ 201: Type.Ref('ManualPrice'), 409: err }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await prices.create(request.auth.userId, request.params.id, request.body)),
  );

  app.patch(
    '/api/manual-assets/:id/prices/:priceId',
    {
      schema: {
        tags,
        summary: 'Change the day or the price of an entry',
        params: ManualPriceParams,
        body: UpdateManualPriceBody,
        response: responses({ 200: Type.Ref('ManualPrice'), 409: err }),
      },
    },
    async (request) =>
      prices.update(request.auth.userId, request.params.id, request.params.priceId, request.body),
  );

  app.delete(
    '/api/manual-assets/:id/prices/:priceId',
    {
      schema: {
        tags,
        summary: 'Delete an entry; the latest one left prices the asset',
        params: ManualPriceParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await prices.remove(request.auth.userId, request.params.id, request.params.priceId);
      return reply.status(204).send(null);
    },
  );
}
