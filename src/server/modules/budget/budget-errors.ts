import { AppError } from '../../platform/errors.js';

// Another user's id and a missing id give the same body; in a request body the field is named.
function notFound(code: string, what: string, field?: string): AppError {
  return field === undefined
    ? new AppError(404, code, `${what} not found`)
    : new AppError(404, code, `${field}: ${what.toLowerCase()} not found`, { field });
}

export const accountNotFound = (field?: string) => notFound('ACCOUNT_NOT_FOUND', 'Account', field);
export const categoryNotFound = (field?: string) => notFound('CATEGORY_NOT_FOUND', 'Category', field);
export const transactionNotFound = () => notFound('TRANSACTION_NOT_FOUND', 'Transaction');

/** The SQLSTATE of a database error, whichever driver raised it and however it is wrapped. */
export function pgErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error || (typeof e === 'object' && e !== null);) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const FOREIGN_KEY_VIOLATION = '23503';
export const UNIQUE_VIOLATION = '23505';

const RETRYABLE = new Set(['40001' /* serialization_failure */, '40P01' /* deadlock_detected */]);

/** Runs a write transaction again when the database aborted it for a conflict with another one. */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !RETRYABLE.has(pgErrorCode(err) ?? '')) throw err;
    }
  }
}
