import Big from 'big.js';

// Exact decimal arithmetic: amounts never pass through a JS number.
Big.RM = Big.roundHalfUp;
Big.DP = 30;

export { Big };

/** Grammar of a decimal string on the wire: optional minus, digits, optional fraction. No exponents. */
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export class MoneyFormatError extends Error {}

/**
 * Parses a decimal string strictly: rejects NaN, exponents, commas, a leading plus and more
 * fraction digits than `scale`. Returns a Big.
 */
export function parseDecimal(value: string, scale: number): Big {
  if (!DECIMAL.test(value)) throw new MoneyFormatError(`"${value}" is not a decimal number`);
  const fraction = value.split('.')[1] ?? '';
  if (fraction.length > scale) throw new MoneyFormatError(`"${value}" has more than ${scale} decimal places`);
  return new Big(value);
}

/** Whether `value` is a decimal string with at most `scale` fraction digits. */
export function isDecimal(value: string, scale: number): boolean {
  const m = DECIMAL.exec(value);
  return m !== null && (m[2] === undefined || m[2].length - 1 <= scale);
}

/** Rounds half-up to `scale` places and prints with exactly that many places. */
export function toFixed(value: Big, scale = 2): string {
  const s = value.round(scale, Big.roundHalfUp).toFixed(scale);
  return s === `-${(0).toFixed(scale)}` ? s.slice(1) : s;
}

/** Sum of decimal strings or Bigs, exact. */
export function sum(values: Iterable<Big | string>): Big {
  let total = new Big(0);
  for (const v of values) total = total.plus(v);
  return total;
}
