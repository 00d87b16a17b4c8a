import { ApiError } from '../../lib/api.js';
import { formatNumber } from '../../lib/format.js';

/** Quantities keep their own precision (fractional fund units, FX amounts), without trailing zeros. */
export function formatQuantity(value: string): string {
  const frac = value.split('.')[1]?.replace(/0+$/, '') ?? '';
  return formatNumber(value, Math.min(frac.length, 6));
}

/** The fields a 422 names, with their messages (empty for any other error). */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError) || err.status !== 422) return {};
  const fields = (err.details as { fields?: { field: string; message: string }[] } | undefined)?.fields;
  return Object.fromEntries((fields ?? []).map((f) => [f.field, f.message]));
}
