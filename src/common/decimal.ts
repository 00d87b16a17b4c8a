/**
 * The one exact decimal type of the server and the pages: an immutable value m / 10^s on a native
 * bigint. Money, prices, quantities and rates never pass through a JS number.
 *
 * Addition, subtraction and multiplication are exact. Division and rounding happen only at named
 * points, each with its rule:
 * - `half-up` (half away from zero, the default): kopecks of an amount, a rate's 9 places, what the
 *   pages show — `kopecks(x)` is x rounded so to 2 places;
 * - `half-even` (bank rounding), where a rule asks for it;
 * - `down` (toward zero), where a part must never exceed the whole.
 * A division without stated places keeps 30, enough that no sum of them is off by a kopeck.
 *
 * `Decimal.parse` is the strict parser for input (plain decimals, no exponents, no '+', no commas,
 * at most the stated places); `dec` reads values the app already trusts (its own strings, the
 * database's numerics, integers); `Decimal.lenient` reads numbers from outside data that may come in
 * exponent notation (1e-7).
 */

export type Rounding = 'half-up' | 'half-even' | 'down';

/** Digits of a plain decimal string: optional minus, digits, optional fraction. */
const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;
/** The same, as the API accepts it: no leading zeros but a lone 0. */
const STRICT = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const EXPONENT = /^([+-]?)(\d*)(?:\.(\d*))?e([+-]?\d+)$/i;

/** Places a division keeps when none are stated. */
const DIV_PLACES = 30;

const POW: bigint[] = [1n];
function pow10(n: number): bigint {
  for (let i = POW.length; i <= n; i++) POW.push(POW[i - 1]! * 10n);
  return POW[n]!;
}

/** A value that is not a decimal the parser accepts. */
export class DecimalFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecimalFormatError';
  }
}

export type DecimalLike = Decimal | string | number | bigint;

export class Decimal {
  private constructor(
    /** The digits: value = m / 10^s. */
    readonly m: bigint,
    /** Places after the point, ≥ 0. */
    readonly s: number,
  ) {}

  static readonly ZERO = new Decimal(0n, 0);
  static readonly ONE = new Decimal(1n, 0);

  /**
   * Strict: a plain decimal string ("-12.30"), no exponent, no '+', no leading zeros, at most
   * `maxPlaces` after the point when given. Anything else throws DecimalFormatError.
   */
  static parse(text: string, maxPlaces?: number): Decimal {
    if (!STRICT.test(text)) throw new DecimalFormatError(`"${text}" is not a decimal number`);
    const value = Decimal.of(text);
    if (maxPlaces !== undefined && value.s > maxPlaces) {
      throw new DecimalFormatError(`"${text}" has more than ${maxPlaces} decimal places`);
    }
    return value;
  }

  /** A plain decimal string as stored or sent ("-12.3400", "007"); anything else throws. */
  static of(text: string): Decimal {
    const match = PLAIN.exec(text);
    if (match === null) throw new DecimalFormatError(`not a decimal: "${text}"`);
    const fraction = match[3] ?? '';
    const m = BigInt(`${match[2]}${fraction}`);
    return new Decimal(match[1] === '-' ? -m : m, fraction.length);
  }

  /** A whole number. */
  static int(n: number | bigint): Decimal {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`not a whole number: ${n}`);
    return new Decimal(BigInt(n), 0);
  }

  /** `minor` units of 10^-places: fromMinor(12345n, 2) is 123.45. */
  static fromMinor(minor: bigint, places: number): Decimal {
    return new Decimal(minor, places);
  }

  /**
   * Outside data that may be a JS number or use exponent notation ("1.5e-7"), as a decimal; null
   * for anything that is not a finite number.
   */
  static lenient(value: unknown): Decimal | null {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return null;
      value = String(value);
    }
    if (typeof value !== 'string') return null;
    const text = value.trim();
    if (PLAIN.test(text)) return Decimal.of(text);
    if (/^\+\d+(\.\d+)?$/.test(text)) return Decimal.of(text.slice(1));
    if (/^-?\.\d+$/.test(text)) return Decimal.of(text.replace('.', '0.'));
    const e = EXPONENT.exec(text);
    if (e === null || (e[2] === '' && (e[3] ?? '') === '')) return null;
    const fraction = e[3] ?? '';
    const digits = BigInt(`${e[2] || '0'}${fraction}`);
    const exponent = Number(e[4]);
    const places = fraction.length - exponent;
    const m = e[1] === '-' ? -digits : digits;
    return places >= 0 ? new Decimal(m, places) : new Decimal(m * pow10(-places), 0);
  }

  private align(other: Decimal): [bigint, bigint, number] {
    if (this.s === other.s) return [this.m, other.m, this.s];
    if (this.s > other.s) return [this.m, other.m * pow10(this.s - other.s), this.s];
    return [this.m * pow10(other.s - this.s), other.m, other.s];
  }

  plus(other: DecimalLike): Decimal {
    const [a, b, s] = this.align(dec(other));
    return new Decimal(a + b, s);
  }

  minus(other: DecimalLike): Decimal {
    const [a, b, s] = this.align(dec(other));
    return new Decimal(a - b, s);
  }

  times(other: DecimalLike): Decimal {
    const o = dec(other);
    return new Decimal(this.m * o.m, this.s + o.s);
  }

  /** this / other, rounded to `places` (30 by default) as `rounding` says. */
  div(other: DecimalLike, places = DIV_PLACES, rounding: Rounding = 'half-up'): Decimal {
    const o = dec(other);
    if (o.m === 0n) throw new RangeError('division by zero');
    const shift = places + o.s - this.s;
    const num = shift >= 0 ? this.m * pow10(shift) : this.m;
    const den = shift >= 0 ? o.m : o.m * pow10(-shift);
    return new Decimal(divRound(num, den, rounding), places);
  }

  /** A whole power, n ≥ 0. */
  pow(n: number): Decimal {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a whole power: ${n}`);
    return new Decimal(this.m ** BigInt(n), this.s * n);
  }

  neg(): Decimal {
    return new Decimal(-this.m, this.s);
  }

  abs(): Decimal {
    return this.m < 0n ? this.neg() : this;
  }

  isZero(): boolean {
    return this.m === 0n;
  }

  /** -1, 0 or 1. */
  cmp(other: DecimalLike): number {
    const [a, b] = this.align(dec(other));
    return a === b ? 0 : a < b ? -1 : 1;
  }

  eq(other: DecimalLike): boolean {
    return this.cmp(other) === 0;
  }

  gt(other: DecimalLike): boolean {
    return this.cmp(other) > 0;
  }

  gte(other: DecimalLike): boolean {
    return this.cmp(other) >= 0;
  }

  lt(other: DecimalLike): boolean {
    return this.cmp(other) < 0;
  }

  lte(other: DecimalLike): boolean {
    return this.cmp(other) <= 0;
  }

  /** Rounded to `places` (0 by default) as `rounding` says; never adds places. */
  round(places = 0, rounding: Rounding = 'half-up'): Decimal {
    if (this.s <= places) return this;
    return new Decimal(divRound(this.m, pow10(this.s - places), rounding), places);
  }

  /** The value in units of 10^-places, rounded half-up: toMinor(2) of 123.456 is 12346n. */
  toMinor(places: number): bigint {
    const r = this.round(places);
    return r.m * pow10(places - r.s);
  }

  /**
   * With exactly `places` places (rounded as `rounding` says, never "-0.00"), or without `places`
   * in the shortest exact form ("10", "-0.5").
   */
  toFixed(places?: number, rounding: Rounding = 'half-up'): string {
    let m = this.m;
    let s = this.s;
    if (places !== undefined) {
      const r = this.round(places, rounding);
      m = r.m * pow10(places - r.s);
      s = places;
    } else {
      while (s > 0 && m % 10n === 0n) {
        m /= 10n;
        s--;
      }
    }
    const negative = m < 0n;
    const digits = (negative ? -m : m).toString().padStart(s + 1, '0');
    const text = s === 0 ? digits : `${digits.slice(0, -s)}.${digits.slice(-s)}`;
    return negative ? `-${text}` : text;
  }

  toString(): string {
    return this.toFixed();
  }

  toJSON(): string {
    return this.toFixed();
  }
}

/** A value the app already trusts as a Decimal: a Decimal, a plain decimal string, a whole number. */
export function dec(value: DecimalLike): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value === 'string') return Decimal.of(value);
  if (typeof value === 'bigint') return Decimal.int(value);
  if (Number.isSafeInteger(value)) return Decimal.int(value);
  const read = Decimal.lenient(value);
  if (read === null) throw new DecimalFormatError(`not a finite number: ${value}`);
  return read;
}

/** Money rounded to the kopeck (cent), half-up: the rounding point of every stored amount. */
export function kopecks(value: Decimal): Decimal {
  return value.round(2, 'half-up');
}

/** num / den rounded as `rounding` says. */
function divRound(num: bigint, den: bigint, rounding: Rounding): bigint {
  const q = num / den; // toward zero
  const r = num % den;
  if (r === 0n || rounding === 'down') return q;
  const twice = 2n * (r < 0n ? -r : r);
  const absDen = den < 0n ? -den : den;
  const away = num < 0n !== den < 0n ? q - 1n : q + 1n;
  if (twice > absDen) return away;
  if (twice < absDen) return q;
  // Exactly half.
  if (rounding === 'half-up') return away;
  return q % 2n === 0n ? q : away;
}
