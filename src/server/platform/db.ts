import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Rows of a raw `db.execute(sql\`…\`)` result; both drivers return `{ rows }`. */
export async function rowsOf<T>(result: Promise<unknown>): Promise<T[]> {
  return ((await result) as { rows: T[] }).rows;
}

/** Socket errors of a database that cannot be reached (refused, reset, unreachable, name lookup). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
/**
 * SQLSTATEs of a server that is there but not serving: connection exceptions (class 08), shutting
 * down or starting up (57P01–57P03), out of connections (53300).
 */
const NOT_SERVING = /^(08...|57P0[123]|53300)$/;
/** What pg and pg-pool say when a connection was lost or never made. */
const LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether an error means the database could not be asked at all, as opposed to a query that went
 * wrong: the request may succeed later, so it is a 503, never a 401 or 500. Drizzle wraps the
 * driver's error as its `cause`.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE.has(code) || NOT_SERVING.test(code))) return true;
    if (LOST.test(e.message)) return true;
  }
  return false;
}

export interface Database {
  db: Db;
  /** `embedded`: the app's own cluster in DATA_DIR; `postgres`: a server at DATABASE_URL. */
  driver: 'embedded' | 'postgres';
  /** Runs a multi-statement SQL script in one transaction on one connection. */
  runScript(sql: string): Promise<void>;
  /** Runs `fn` on one connection holding a session-level advisory lock (migrations across instances). */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Pool gauges for /metrics (postgres only). */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
}
