import { ApiError } from '../../lib/api.js';

/** The debt on the day of an early repayment refused for being larger, or undefined. */
export function exceededDebt(err: unknown): string | undefined {
  if (!(err instanceof ApiError) || err.code !== 'EARLY_REPAYMENT_EXCEEDS_DEBT') return undefined;
  const fields = (err.details as { fields?: { params?: { remainingDebt?: string } }[] } | undefined)?.fields;
  return fields?.[0]?.params?.remainingDebt;
}
