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
