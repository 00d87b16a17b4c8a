import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import { CreateRuleBody, RuleDto, UpdateRuleBody } from './rules.schemas.js';
import type { RulesService } from './rules.service.js';

const tags = ['imports: rules'];

export function rulesRoutes(app: AppInstance, rules: RulesService): void {
  app.get(
    '/api/imports/rules',
    {
      schema: {
        tags,
        summary: 'Import rules in the order they apply',
        response: responses({ 200: Type.Array(RuleDto) }),
      },
    },
    async (request) => rules.list(request.auth.userId),
  );

  app.post(
    '/api/imports/rules',
    {
      schema: {
        tags,
        summary: 'When a field matches: set a category, rewrite the description or make it a transfer',
        body: CreateRuleBody,
        response: responses({ 201: RuleDto }),
      },
    },
    async (request, reply) => reply.status(201).send(await rules.create(request.auth.userId, request.body)),
  );

  app.patch(
    '/api/imports/rules/:id',
    {
      schema: {
        tags,
        summary: 'Change a rule',
        params: IdParams,
        body: UpdateRuleBody,
        response: responses({ 200: RuleDto }),
      },
    },
    async (request) => rules.update(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    '/api/imports/rules/:id',
    {
      schema: { tags, summary: 'Delete a rule', params: IdParams, response: responses({ 204: Type.Null() }) },
    },
    async (request, reply) => {
      await rules.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
