import { pgErrorCode } from './pg-errors.js';

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
