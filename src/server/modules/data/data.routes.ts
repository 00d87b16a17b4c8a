import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import type { Db } from '../../platform/db.js';
import { responses } from '../../platform/schemas.js';
import type { HistoryChangedHook } from '../networth/history-changed.js';
import { DataFile, ImportSummary } from './data.schemas.js';
import { createDataService, DATA_FORMAT, DATA_MAX_BYTES, DATA_VERSION } from './data.service.js';

const tags = ['data: full export'];

/** The full export of everything a user owns and its import into a user who owns nothing yet. */
export function registerData(
  app: AppInstance,
  deps: { db: Db; now: () => Date; onHistoryChanged: readonly HistoryChangedHook[] },
): void {
  const data = createDataService(deps);

  app.get(
    '/api/data/export',
    {
      schema: {
        tags,
        summary: 'Everything the user owns as one JSON file',
        description: `\`{"format": "${DATA_FORMAT}", "version": ${DATA_VERSION}, "exportedAt", "profile": {baseCurrency, timeZone, locale}, "tables": {name: [rows]}}\`: accounts, categories, transactions, limits, imports with their rules and presets, own rates, portfolios, operations, manual assets and prices, obligations, credits with payments, schedules (see README). Streamed; numbers are strings.`,
        response: responses({ 200: DataFile }),
      },
    },
    async (request, reply) => {
      const parts = await data.export(request.auth.userId, deps.now());
      const day = deps.now().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="wealthtracker-${day}.json"`)
        .send(Readable.from(parts));
    },
  );

  app.post(
    '/api/data/import',
    {
      schema: {
        tags,
        summary: 'Bring a full export into a user who owns nothing yet',
        description: `All or none. A new user's default categories make way for the file's. Every id gets a new one. Refused: another format (422 \`DATA_FORMAT_UNKNOWN\`), another version (422 \`DATA_VERSION_UNSUPPORTED\`), an unknown table (422 \`DATA_TABLE_UNKNOWN\`), a row the database refuses (422 \`DATA_ROW_INVALID\` naming the table), a user with data (409 \`DATA_TARGET_NOT_EMPTY\`), over ${DATA_MAX_BYTES} bytes (413).`,
        body: DataFile,
        response: responses({
          200: ImportSummary,
          409: Type.Ref('ErrorResponse'),
          413: Type.Ref('ErrorResponse'),
        }),
      },
      bodyLimit: DATA_MAX_BYTES,
    },
    async (request) => data.import(request.auth.userId, request.body),
  );
}
