import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../lib/api.js';
import { formatNumber } from '../../lib/format.js';

/** What people type ("1 234,5") as the API's decimal string ("1234.5"). */
export function toDecimal(input: string): string {
  return input.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : String(err);
}

/** Today in the browser's time zone, as `YYYY-MM-DD`. */
export function localToday(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

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
