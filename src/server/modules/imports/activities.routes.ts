import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import {
  ActivityBatchSummary,
  ActivityImportPreview,
  ActivityImportRow,
  ActivityPresetDto,
  ActivityRowsPage,
  ActivityRowsQuery,
  ActivityUploadQuery,
  CreateActivityPresetBody,
  UpdateActivityRowBody,
} from './activities.schemas.js';
import type { ActivitiesService } from './activities.service.js';
import type { ActivityEdits } from './activity-edits.js';
import { RowParams } from './statements.schemas.js';
import { IMPORT_LIMITS, uploadHandler } from './uploads.js';

const tags = ['imports: activities'];

/** Investment activities files; the body is read as a stream like a statement's. */
export function activitiesRoutes(
  app: AppInstance,
  activities: ActivitiesService,
  updateRow: ActivityEdits,
): void {
  const err = Type.Ref('ErrorResponse');

  app.post(
    '/api/imports/activities',
    {
      schema: {
        tags,
        summary:
          'Upload investment activities (Ghostfolio JSON or CSV, Intelinvest, Snowball, a mapping) for a preview',
        description: `The file is the request body (\`text/csv\`, \`text/plain\` or \`application/octet-stream\`, also for JSON), up to ${IMPORT_LIMITS.maxBytes} bytes and ${IMPORT_LIMITS.maxRows} rows. Each line is checked as an operation typed by hand would be, including a sale of more than is held; nothing is written to the portfolio until the preview is committed. A file with problems answers 422 \`IMPORT_FILE_INVALID\` with \`details.problems\`: \`{line, column, code, value}\`; a CSV whose header matches no built-in export and no mapping answers 422 \`IMPORT_MAPPING_REQUIRED\` with the header. An instrument the catalogue does not know by ticker or ISIN becomes a hand-priced asset on commit.`,
        querystring: ActivityUploadQuery,
        response: responses({ 201: ActivityImportPreview, 413: err }),
      },
      bodyLimit: IMPORT_LIMITS.maxBytes + 1,
    },
    uploadHandler(activities),
  );

  app.get(
    '/api/imports/activities',
    {
      schema: {
        tags,
        summary: 'Recent activities imports, newest first',
        response: responses({ 200: Type.Array(ActivityBatchSummary) }),
      },
    },
    async (request) => activities.list(request.auth.userId),
  );

  app.get(
    '/api/imports/activities/:id',
    {
      schema: {
        tags,
        summary: 'An activities import and its counts',
        params: IdParams,
        response: responses({ 200: ActivityImportPreview }),
      },
    },
    async (request) => activities.preview(request.auth.userId, request.params.id),
  );

  app.get(
    '/api/imports/activities/:id/rows',
    {
      schema: {
        tags,
        summary: 'Rows of an activities import in file order',
        params: IdParams,
        querystring: ActivityRowsQuery,
        response: responses({ 200: ActivityRowsPage }),
      },
    },
    async (request) => activities.rows(request.auth.userId, request.params.id, request.query),
  );

  app.patch(
    '/api/imports/activities/:id/rows/:line',
    {
      schema: {
        tags,
        summary: 'Leave out, take back or correct a previewed activity',
        description:
          'A correction (date, type, quantity, price, amount) is checked as on upload, with the other rows of the batch: a failing one answers 422 `VALIDATION_FAILED` and changes nothing. For a buy or sell, a new quantity or price without an amount makes the amount quantity × price. A duplicate cannot be taken back.',
        params: RowParams,
        body: UpdateActivityRowBody,
        response: responses({ 200: ActivityImportRow, 409: err }),
      },
    },
    async (request) => updateRow(request.auth.userId, request.params.id, request.params.line, request.body),
  );

  app.post(
    '/api/imports/activities/:id/commit',
    {
      schema: {
        tags,
        summary: 'Write the new rows as operations, all or none',
        params: IdParams,
        response: responses({ 200: Type.Object({ created: Type.Integer() }), 409: err }),
      },
    },
    async (request) => activities.commit(request.auth.userId, request.params.id),
  );

  app.delete(
    '/api/imports/activities/:id',
    {
      schema: {
        tags,
        summary: 'Undo a committed activities import as a whole, or drop a preview',
        params: IdParams,
        response: responses({ 204: Type.Null(), 409: err }),
      },
    },
    async (request, reply) => {
      await activities.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/imports/activity-presets',
    {
      schema: {
        tags,
        summary: 'Saved activities mappings (deleted through DELETE /api/imports/presets/{id})',
        response: responses({ 200: Type.Array(ActivityPresetDto) }),
      },
    },
    async (request) => activities.listPresets(request.auth.userId),
  );

  app.post(
    '/api/imports/activity-presets',
    {
      schema: {
        tags,
        summary: 'Save an activities mapping under a name',
        body: CreateActivityPresetBody,
        response: responses({ 201: ActivityPresetDto, 409: err }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await activities.createPreset(request.auth.userId, request.body)),
  );
}
