import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import { CreatePresetBody, PresetDto } from './rules.schemas.js';
import type { RulesService } from './rules.service.js';

const tags = ['imports: presets'];

export function presetsRoutes(app: AppInstance, rules: RulesService): void {
  app.get(
    '/api/imports/presets',
    { schema: { tags, summary: 'Saved CSV mappings', response: responses({ 200: Type.Array(PresetDto) }) } },
    async (request) => rules.listPresets(request.auth.userId),
  );

  app.post(
    '/api/imports/presets',
    {
      schema: {
        tags,
        summary: 'Save a CSV mapping under a name',
        body: CreatePresetBody,
        response: responses({ 201: PresetDto, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await rules.createPreset(request.auth.userId, request.body)),
  );

  app.delete(
    '/api/imports/presets/:id',
    {
      schema: {
        tags,
        summary: 'Delete a saved mapping',
        params: IdParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await rules.removePreset(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
