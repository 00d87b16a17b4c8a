import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import {
  BatchSummary,
  CommitResult,
  ImportPreview,
  ImportRow,
  RowParams,
  RowsPage,
  RowsQuery,
  UpdateRowBody,
  UploadQuery,
} from './statements.schemas.js';
import type { StatementsService } from './statements.service.js';
import { IMPORT_LIMITS, uploadHandler } from './uploads.js';

const tags = ['imports: statements'];

/** Statement files come as the raw request body and are read as a stream, never buffered whole. */
export const STATEMENT_CONTENT_TYPES = [
  'text/csv',
  'text/plain',
  'application/octet-stream',
  'application/x-ofx',
  'application/x-qif',
];

export function statementsRoutes(app: AppInstance, statements: StatementsService): void {
  app.addContentTypeParser(STATEMENT_CONTENT_TYPES, (_request, payload, done) => done(null, payload));

  app.post(
    '/api/imports/statements',
    {
      schema: {
        tags,
        summary: 'Upload a bank statement (CSV, OFX 1.x/2.x, QIF) for a preview',
        description: `The file is the request body (\`text/csv\`, \`application/octet-stream\`, …), up to ${IMPORT_LIMITS.maxBytes} bytes and ${IMPORT_LIMITS.maxRows} rows. Nothing is written to the budget until the preview is committed. A file with problems answers 422 \`IMPORT_FILE_INVALID\` (413 \`IMPORT_FILE_TOO_LARGE\`) with \`details.problems\`: \`{line, column, code, value}\`; a CSV whose header matches no preset and no mapping answers 422 \`IMPORT_MAPPING_REQUIRED\` with the header.`,
        querystring: UploadQuery,
        response: responses({ 201: ImportPreview, 413: Type.Ref('ErrorResponse') }),
      },
      bodyLimit: IMPORT_LIMITS.maxBytes + 1,
    },
    uploadHandler(statements),
  );

  app.get(
    '/api/imports/statements',
    {
      schema: {
        tags,
        summary: 'Recent imports, newest first',
        response: responses({ 200: Type.Array(BatchSummary) }),
      },
    },
    async (request) => statements.list(request.auth.userId),
  );

  app.get(
    '/api/imports/statements/:id',
    {
      schema: {
        tags,
        summary: 'An import and its counts',
        params: IdParams,
        response: responses({ 200: ImportPreview }),
      },
    },
    async (request) => statements.preview(request.auth.userId, request.params.id),
  );

  app.get(
    '/api/imports/statements/:id/rows',
    {
      schema: {
        tags,
        summary: 'Rows of an import in file order',
        params: IdParams,
        querystring: RowsQuery,
        response: responses({ 200: RowsPage }),
      },
    },
    async (request) => statements.rows(request.auth.userId, request.params.id, request.query),
  );

  app.patch(
    '/api/imports/statements/:id/rows/:line',
    {
      schema: {
        tags,
        summary: 'Adjust a previewed row',
        params: RowParams,
        body: UpdateRowBody,
        response: responses({ 200: ImportRow, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request) =>
      statements.updateRow(request.auth.userId, request.params.id, request.params.line, request.body),
  );

  app.post(
    '/api/imports/statements/:id/commit',
    {
      schema: {
        tags,
        summary: 'Write the new rows as transactions, all or none',
        params: IdParams,
        response: responses({ 200: CommitResult, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request) => statements.commit(request.auth.userId, request.params.id),
  );

  app.delete(
    '/api/imports/statements/:id',
    {
      schema: {
        tags,
        summary: 'Undo a committed import as a whole, or drop a preview',
        params: IdParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await statements.remove(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
