import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { newTransactionId } from '../budget/transaction-ids.js';
import * as q from './data.queries.js';
import type { HistoryChangedHook } from '../networth/history-changed.js';
import type { DataFile, ImportSummary } from './data.schemas.js';

/**
 * The format's name, the version this build writes and those it reads (version 2 added the
 * activities imports; a version 1 file is the same without them).
 */
export const DATA_FORMAT = 'wealthtracker-export';
export const DATA_VERSION = 2;
const READABLE_VERSIONS = [1, 2];
/** Largest file an import takes. */
export const DATA_MAX_BYTES = 64 * 1024 * 1024;
/** Rows read or written per statement. */
const PAGE = 2000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TABLES = new Map<string, q.ExportTable>(q.EXPORT_TABLES.map((t) => [t.name, t]));

const invalid = (code: string, message: string, details?: object) =>
  new AppError(422, code, message, details);

/** A database refusal of a row (bad value, broken reference, duplicate) is the file's fault. */
function rowRefused(err: unknown, table: string): AppError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(22|23)/.test(code))
      return invalid('DATA_ROW_INVALID', `${table}: ${e.message}`, { table, reason: e.message });
  }
  return undefined;
}

/**
 * Replaces, through `each`, the ids a row holds at a column or a path into a JSON column (a list of
 * ids: each of them), in place.
 */
function mapIds(row: Record<string, unknown>, path: string, each: (id: unknown) => unknown): void {
  const keys = path.split('.');
  let holder = row;
  for (const key of keys.slice(0, -1)) {
    const next = holder[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) return;
    holder = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  const value = holder[last];
  if (value === null || value === undefined) return;
  holder[last] = Array.isArray(value) ? value.map(each) : each(value);
}

export function createDataService({
  db,
  onHistoryChanged = [],
}: {
  db: Db;
  /** Told of an import: the user's history is rebuilt from what it wrote. */
  onHistoryChanged?: readonly HistoryChangedHook[];
}) {
  return {
    /**
     * Everything the user owns as one JSON document, written table by table and page by page:
     * the text comes out as it is read and the whole is never held.
     */
    async export(userId: string, now: Date): Promise<AsyncGenerator<string>> {
      const profile = await q.profileOf(db, userId);
      async function* parts(): AsyncGenerator<string> {
        yield `{"format":${JSON.stringify(DATA_FORMAT)},"version":${DATA_VERSION},"exportedAt":${JSON.stringify(now.toISOString())},`;
        yield `"profile":${JSON.stringify({
          baseCurrency: profile?.base_currency,
          timeZone: profile?.time_zone,
          locale: profile?.locale,
        })},"tables":{`;
        let firstTable = true;
        for (const table of q.EXPORT_TABLES) {
          yield `${firstTable ? '' : ','}${JSON.stringify(table.name)}:[`;
          firstTable = false;
          for (let offset = 0; ; offset += PAGE) {
            const rows = await q.exportPage(db, table, userId, PAGE, offset);
            if (rows.length > 0) yield (offset > 0 ? ',' : '') + rows.join(',');
            if (rows.length < PAGE) break;
          }
          yield ']';
        }
        yield '}}\n';
      }
      return parts();
    },

    /**
     * Writes an export into a user who owns nothing yet (a new user's default categories make way):
     * every id of the file gets a new one in the same order, so lists sort as they did. All or none.
     */
    async import(userId: string, file: DataFile): Promise<ImportSummary> {
      if (file.format !== DATA_FORMAT)
        throw invalid('DATA_FORMAT_UNKNOWN', `format must be "${DATA_FORMAT}"`, { format: file.format });
      if (!READABLE_VERSIONS.includes(file.version))
        throw invalid('DATA_VERSION_UNSUPPORTED', `version ${file.version} is not readable here`, {
          version: file.version,
          supported: READABLE_VERSIONS,
        });
      if (file.profile !== undefined) {
        try {
          new Intl.DateTimeFormat('en', { timeZone: file.profile.timeZone });
        } catch {
          throw invalid('DATA_ROW_INVALID', 'profile.timeZone: unknown time zone', { table: 'profile' });
        }
      }
      for (const name of Object.keys(file.tables))
        if (!TABLES.has(name) && !q.REBUILT_TABLES.has(name))
          throw invalid('DATA_TABLE_UNKNOWN', `unknown table ${name}`, { table: name });

      // Old ids in sorted order get new ids in the same order.
      const old = new Set<string>();
      for (const table of q.EXPORT_TABLES)
        for (const [i, row] of (file.tables[table.name] ?? []).entries())
          for (const column of table.uuids)
            mapIds(row, column, (value) => {
              if (typeof value !== 'string' || !UUID.test(value))
                throw invalid('DATA_ROW_INVALID', `${table.name}.${i}.${column}: must be an id`, {
                  table: table.name,
                  row: i,
                  column,
                });
              old.add(value.toLowerCase());
              return value;
            });
      const ids = new Map([...old].sort().map((id) => [id, newTransactionId()]));

      return db.transaction(async (tx) => {
        if (await q.ownsAnything(tx, userId))
          throw new AppError(409, 'DATA_TARGET_NOT_EMPTY', 'import into a user who owns nothing yet');
        await q.dropDefaults(tx, userId);
        const counts: Record<string, number> = {};
        for (const table of q.EXPORT_TABLES) {
          const rows = file.tables[table.name] ?? [];
          counts[table.name] = rows.length;
          for (let start = 0; start < rows.length; start += PAGE) {
            const slice = rows.slice(start, start + PAGE).map((row) => {
              const copy = structuredClone(row);
              if (!('shared' in table)) copy.user_id = userId;
              for (const column of table.uuids)
                mapIds(copy, column, (value) => ids.get((value as string).toLowerCase()));
              return copy;
            });
            try {
              await q.insertRows(tx, table, slice);
            } catch (err) {
              throw rowRefused(err, table.name) ?? err;
            }
          }
        }
        if (file.profile) await q.setProfile(tx, userId, file.profile);
        for (const hook of onHistoryChanged) await hook(tx, userId, null);
        return { tables: counts };
      });
    },
  };
}

export type DataService = ReturnType<typeof createDataService>;
