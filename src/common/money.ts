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

/**
 * The largest amounts the app accepts: 15 digits before the point, for money (numeric(20,2)
 * columns) and for prices, quantities and rates (numeric(30,9)). A single value then always fits
 * its column, and so does a product the app stores (a trade's quantity × price is checked against
 * MAX_INTEGER_DIGITS too); sums are computed and stored without a limit of their own.
 */
export const MAX_INTEGER_DIGITS = 15;
/** The largest amount of money, as shown in messages and documents. */
export const MAX_MONEY = `${'9'.repeat(MAX_INTEGER_DIGITS)}.99`;

/** Whether `value` is a decimal string with at most `scale` fraction digits and 15 before the point. */
export function isDecimal(value: string, scale: number): boolean {
  const m = DECIMAL.exec(value);
  return m !== null && m[1]!.length <= MAX_INTEGER_DIGITS && (m[2] === undefined || m[2].length - 1 <= scale);
}

/** Whether an amount computed from others (e.g. quantity × price) still fits the 15 digits. */
export function fitsMoney(value: Big): boolean {
  return value.abs().lt(new Big(10).pow(MAX_INTEGER_DIGITS));
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
