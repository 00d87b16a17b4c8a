/**
 * Exact conversions between T-Invest's Quotation/MoneyValue {units, nano} and decimal strings.
 * Everything goes through BigInt nano-units: `units + nano / 1e9` in floating point loses cents
 * on large amounts and `units` may exceed 2^53.
 */
import type { Money } from '../provider.js';
import type { WireMoneyValue, WireQuotation } from './wire.js';

const NANO_PER_UNIT = 1_000_000_000n;
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export class QuotationError extends Error {
  override readonly name = 'QuotationError';
}

/** What may arrive on the wire: units as a string (proto3 JSON int64) or, on input, a number. */
export interface QuotationLike {
  units: string | number;
  nano: number;
}

function unitsToBigInt(units: string | number): bigint {
  if (typeof units === 'number') {
    // A number beyond 2^53 has already lost digits in JSON.parse; refuse rather than guess.
    if (!Number.isSafeInteger(units)) throw new QuotationError(`units ${units} is not an exact integer`);
    return BigInt(units);
  }
  if (!INTEGER.test(units)) throw new QuotationError(`units "${units}" is not an integer`);
  const value = BigInt(units);
  if (value > INT64_MAX || value < -INT64_MAX) throw new QuotationError(`units "${units}" exceeds int64`);
  return value;
}

/** Total value in nano-units (1e-9), validating the protocol's sign and range rules. */
export function quotationToNanos(q: QuotationLike): bigint {
  const units = unitsToBigInt(q.units);
  if (!Number.isInteger(q.nano) || Math.abs(q.nano) >= 1e9) {
    throw new QuotationError(`nano ${q.nano} is not an integer below 1e9 in magnitude`);
  }
  const nano = BigInt(q.nano);
  if ((units > 0n && nano < 0n) || (units < 0n && nano > 0n)) {
    throw new QuotationError(`units ${q.units} and nano ${q.nano} have different signs`);
  }
  return units * NANO_PER_UNIT + nano;
}

/** Plain decimal string without trailing fraction zeros: "114.25", "-0.01", "0". */
export function nanosToDecimal(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const whole = (abs / NANO_PER_UNIT).toString();
  const fraction = (abs % NANO_PER_UNIT).toString().padStart(9, '0').replace(/0+$/, '');
  const digits = fraction === '' ? whole : `${whole}.${fraction}`;
  return negative ? `-${digits}` : digits;
}

export function quotationToDecimal(q: QuotationLike): string {
  return nanosToDecimal(quotationToNanos(q));
}

/**
 * Encodes a decimal string ("-200.20", "114", "0.000000001") as a Quotation. Refuses more than nine
 * significant fraction digits instead of rounding silently.
 */
export function decimalToQuotation(value: string): WireQuotation {
  const match = DECIMAL.exec(value);
  if (match === null) throw new QuotationError(`"${value}" is not a decimal number`);
  const [, sign = '', whole = '0', rawFraction = ''] = match;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > 9) throw new QuotationError(`"${value}" has more than 9 fraction digits`);
  const units = BigInt(whole);
  if (units > INT64_MAX) throw new QuotationError(`"${value}" exceeds int64 units`);
  const nano = Number(fraction.padEnd(9, '0'));
  // Both parts carry the sign; int64 has no -0, so -0.01 is {units: "0", nano: -10000000}.
  const negative = sign === '-' && (units !== 0n || nano !== 0);
  return {
    units: (negative ? -units : units).toString(),
    nano: negative && nano !== 0 ? -nano : nano,
  };
}

export function moneyValueToMoney(m: QuotationLike & { currency: string }): Money {
  return { amount: quotationToDecimal(m), currency: m.currency.toUpperCase() };
}

export function moneyToMoneyValue(money: Money): WireMoneyValue {
  return { currency: money.currency.toLowerCase(), ...decimalToQuotation(money.amount) };
}
