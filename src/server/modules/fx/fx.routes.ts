import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import { RatesDto, RatesQuery, RateUsed, UserRateBody, UserRateDto } from './fx.schemas.js';
import type { FxService } from './fx.service.js';

const tags = ['exchange rates'];

export function fxRoutes(app: AppInstance, fx: FxService): void {
  app.addSchema(RateUsed);

  app.get(
    '/api/fx/rates',
    {
      schema: {
        tags,
        summary: 'Rates of currencies to the base currency on a day, with their day and source',
        description:
          'The user’s own rate of that day, else the Bank of Russia’s latest on or before it, else the market’s; crosses go through the rouble. Unknown → null, never 1.',
        querystring: RatesQuery,
        response: responses({ 200: RatesDto }),
      },
    },
    async (request) => fx.rates(request.auth.userId, request.query.currencies.split(','), request.query.day),
  );

  app.get(
    '/api/fx/manual-rates',
    {
      schema: {
        tags,
        summary: 'Rates entered by hand',
        response: responses({ 200: Type.Array(UserRateDto) }),
      },
    },
    async (request) => fx.listUserRates(request.auth.userId),
  );

  app.post(
    '/api/fx/manual-rates',
    {
      schema: {
        tags,
        summary: 'Enter a rate for a currency and day (replaces one of the same currency and day)',
        body: UserRateBody,
        response: responses({ 201: UserRateDto }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await fx.saveUserRate(request.auth.userId, request.body)),
  );

  app.put(
    '/api/fx/manual-rates/:id',
    {
      schema: {
        tags,
        summary: 'Change a rate entered by hand',
        params: IdParams,
        body: UserRateBody,
        response: responses({ 200: UserRateDto, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request) => fx.updateUserRate(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    '/api/fx/manual-rates/:id',
    {
      schema: {
        tags,
        summary: 'Delete a rate entered by hand',
        params: IdParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await fx.deleteUserRate(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
