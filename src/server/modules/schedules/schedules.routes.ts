import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import { Type } from 'typebox';
import type { OutlookService } from './outlook.service.js';
import {
  ChangeOccurrenceBody,
  CreateScheduleBody,
  EditFromBody,
  ForecastDto,
  ForecastQuery,
  OccurrenceDto,
  OccurrenceParams,
  OccurrencesQuery,
  PostOccurrenceBody,
  ScheduleDto,
  UpcomingDto,
  UpcomingQuery,
} from './schedules.schemas.js';
import type { SchedulesService } from './schedules.service.js';

const BASE = '/api/budget/schedules';
const tags = ['schedules'];

export function schedulesRoutes(
  app: AppInstance,
  schedules: SchedulesService,
  outlook: OutlookService,
): void {
  app.get(
    BASE,
    {
      schema: {
        tags,
        summary: 'Your schedules with their next day',
        response: responses({ 200: Type.Array(ScheduleDto) }),
      },
    },
    async (request) => schedules.list(request.auth.userId),
  );

  app.post(
    BASE,
    {
      schema: {
        tags,
        summary: 'Add a recurring income, expense or transfer',
        body: CreateScheduleBody,
        response: responses({ 201: ScheduleDto }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await schedules.create(request.auth.userId, request.body)),
  );

  app.get(
    `${BASE}/:id`,
    {
      schema: { tags, summary: 'One schedule', params: IdParams, response: responses({ 200: ScheduleDto }) },
    },
    async (request) => schedules.get(request.auth.userId, request.params.id),
  );

  app.post(
    `${BASE}/:id/edit-from`,
    {
      schema: {
        tags,
        summary: 'Change the rule from a day on; earlier occurrences keep the old one',
        params: IdParams,
        body: EditFromBody,
        response: responses({ 200: ScheduleDto }),
      },
    },
    async (request) => schedules.editFrom(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a schedule; transactions it posted stay',
        params: IdParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await schedules.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${BASE}/:id/occurrences`,
    {
      schema: {
        tags,
        summary: 'Occurrences in a range with what happened to each',
        params: IdParams,
        querystring: OccurrencesQuery,
        response: responses({ 200: Type.Array(OccurrenceDto) }),
      },
    },
    async (request) => schedules.occurrences(request.auth.userId, request.params.id, request.query),
  );

  app.post(
    `${BASE}/:id/occurrences/:nominalDate/post`,
    {
      schema: {
        tags,
        summary: 'Post one occurrence now: confirm it, or pay it early',
        params: OccurrenceParams,
        body: PostOccurrenceBody,
        response: responses({ 200: OccurrenceDto, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request) =>
      schedules.postOccurrence(
        request.auth.userId,
        request.params.id,
        request.params.nominalDate,
        request.body ?? {},
      ),
  );

  app.post(
    `${BASE}/:id/occurrences/:nominalDate/skip`,
    {
      schema: {
        tags,
        summary: 'Skip one occurrence',
        params: OccurrenceParams,
        response: responses({ 200: OccurrenceDto, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request) =>
      schedules.skipOccurrence(request.auth.userId, request.params.id, request.params.nominalDate),
  );

  app.patch(
    `${BASE}/:id/occurrences/:nominalDate`,
    {
      schema: {
        tags,
        summary: 'Move one occurrence to another day or change its amount',
        params: OccurrenceParams,
        body: ChangeOccurrenceBody,
        response: responses({ 200: OccurrenceDto, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request) =>
      schedules.changeOccurrence(
        request.auth.userId,
        request.params.id,
        request.params.nominalDate,
        request.body,
      ),
  );

  app.delete(
    `${BASE}/:id/occurrences/:nominalDate`,
    {
      schema: {
        tags,
        summary: 'Undo a skip or a change: the occurrence follows the rule again',
        params: OccurrenceParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await schedules.restoreOccurrence(request.auth.userId, request.params.id, request.params.nominalDate);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/budget/upcoming',
    {
      schema: {
        tags,
        summary: 'Everything expected in the next 30 or 90 days, overdue ones flagged',
        querystring: UpcomingQuery,
        response: responses({ 200: UpcomingDto }),
      },
    },
    async (request) => outlook.upcoming(request.auth.userId, request.query.days ?? 30),
  );

  app.get(
    '/api/budget/forecast',
    {
      schema: {
        tags,
        summary: 'Each account’s balance and the base-currency total, day by day, up to twelve months ahead',
        querystring: ForecastQuery,
        response: responses({ 200: ForecastDto }),
      },
    },
    async (request) => outlook.forecast(request.auth.userId, request.query.months ?? 12),
  );
}
