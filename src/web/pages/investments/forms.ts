import { formatNumber } from '../../lib/format.js';

/** Quantities keep their own precision (fractional fund units, FX amounts), without trailing zeros. */
export function formatQuantity(value: string): string {
  const frac = value.split('.')[1]?.replace(/0+$/, '') ?? '';
  return formatNumber(value, Math.min(frac.length, 6));
}
