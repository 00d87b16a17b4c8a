import { isCalendarDate } from '../../common/dates.js';
import { isDecimal } from '../../common/money.js';
import { validationFailed } from './errors.js';

export type SortKey = 'date' | 'amount';
export type SortOrder = 'asc' | 'desc';

/** Position after the last row of a page: its sort value and id (ties are broken by id). */
export interface CursorPosition {
  value: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(sort: SortKey, order: SortOrder, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([sort, order, position.value, position.id])).toString('base64url');
}

/** Reads a cursor; it must come from a listing with the same sort and order. */
export function decodeCursor(cursor: string, sort: SortKey, order: SortOrder): CursorPosition {
  const invalid = () =>
    validationFailed('cursor', 'STALE_CURSOR', 'is not a cursor of this listing (sort and order must match)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || parsed[0] !== sort || parsed[1] !== order)
    throw invalid();
  const [, , value, id] = parsed as unknown[];
  if (typeof value !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw invalid();
  if (sort === 'date' ? !isCalendarDate(value) : !isDecimal(value, 2)) throw invalid();
  return { value, id };
}
