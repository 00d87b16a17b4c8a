/**
 * Money on the wire and in the columns: the grammar and limits of an amount, built on the one
 * decimal type of `decimal.ts`.
 */
import { Decimal, DecimalFormatError, type DecimalLike } from './decimal.js';

/** Grammar of a decimal string on the wire: optional minus, digits, optional fraction. No exponents. */
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export class MoneyFormatError extends DecimalFormatError {}

/**
 * Parses a decimal string strictly: rejects NaN, exponents, commas, a leading plus and more
 * fraction digits than `scale`.
 */
export function parseDecimal(value: string, scale: number): Decimal {
  try {
    return Decimal.parse(value, scale);
  } catch (err) {
    throw new MoneyFormatError((err as Error).message);
  }
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

const MONEY_LIMIT = Decimal.int(10).pow(MAX_INTEGER_DIGITS);

/** Whether an amount computed from others (e.g. quantity × price) still fits the 15 digits. */
export function fitsMoney(value: Decimal): boolean {
  return value.abs().lt(MONEY_LIMIT);
}

/** Rounds half-up to `scale` places and prints with exactly that many places, never "-0.00". */
export function toFixed(value: Decimal, scale = 2): string {
  const s = value.toFixed(scale);
  return s === `-${(0).toFixed(scale)}` ? s.slice(1) : s;
}

/** Sum of decimal strings or Decimals, exact. */
export function sum(values: Iterable<DecimalLike>): Decimal {
  let total = Decimal.ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
