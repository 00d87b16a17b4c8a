/**
 * Exact decimals on native bigint (value = m / 10^s) for valuing a portfolio on every page view.
 * big.js keeps a digit array per number; valuing 300 positions made thousands of them per request
 * and most of the time went to garbage collection. These are immutable and allocation-light.
 * Addition, subtraction and multiplication are exact; division and rounding are half away from
 * zero (as Big.roundHalfUp) at a stated number of places.
 */

const POW: bigint[] = [1n];
const pow10 = (n: number): bigint => {
  for (let i = POW.length; i <= n; i++) POW.push(POW[i - 1]! * 10n);
  return POW[n]!;
};

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export class Dec {
  private constructor(
    readonly m: bigint,
    readonly s: number,
  ) {}

  static readonly ZERO = new Dec(0n, 0);
  static readonly ONE = new Dec(1n, 0);

  /** Parses a decimal string as stored or sent ("-12.3400"); anything else throws. */
  static of(text: string): Dec {
    const match = DECIMAL.exec(text);
    if (match === null) throw new RangeError(`not a decimal: "${text}"`);
    const fraction = match[3] ?? '';
    const m = BigInt(`${match[2]}${fraction}`);
    return new Dec(match[1] === '-' ? -m : m, fraction.length);
  }

  static int(n: number): Dec {
    return new Dec(BigInt(n), 0);
  }

  private align(other: Dec): [bigint, bigint, number] {
    if (this.s === other.s) return [this.m, other.m, this.s];
    if (this.s > other.s) return [this.m, other.m * pow10(this.s - other.s), this.s];
    return [this.m * pow10(other.s - this.s), other.m, other.s];
  }

  plus(other: Dec): Dec {
    const [a, b, s] = this.align(other);
    return new Dec(a + b, s);
  }

  minus(other: Dec): Dec {
    const [a, b, s] = this.align(other);
    return new Dec(a - b, s);
  }

  times(other: Dec): Dec {
    return new Dec(this.m * other.m, this.s + other.s);
  }

  neg(): Dec {
    return new Dec(-this.m, this.s);
  }

  isZero(): boolean {
    return this.m === 0n;
  }

  cmp(other: Dec): number {
    const [a, b] = this.align(other);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  /** Rounded half away from zero to `dp` places (never adds places). */
  round(dp: number): Dec {
    if (this.s <= dp) return this;
    const d = pow10(this.s - dp);
    return new Dec(divRound(this.m, d), dp);
  }

  /** this / other, rounded half away from zero to `dp` places. */
  div(other: Dec, dp: number): Dec {
    if (other.m === 0n) throw new RangeError('division by zero');
    const shift = dp + other.s - this.s;
    const num = shift >= 0 ? this.m * pow10(shift) : this.m;
    const den = shift >= 0 ? other.m : other.m * pow10(-shift);
    return new Dec(divRound(num, den), dp);
  }

  /** With exactly `dp` places (rounded), or in the shortest exact form without `dp`. */
  toFixed(dp?: number): string {
    let m = this.m;
    let s = this.s;
    if (dp !== undefined) {
      const r = this.round(dp);
      m = r.m * pow10(dp - r.s);
      s = dp;
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
}

/** num / den rounded half away from zero. */
function divRound(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r = num % den;
  if (r === 0n) return q;
  const twice = 2n * (r < 0n ? -r : r);
  const absDen = den < 0n ? -den : den;
  if (twice < absDen) return q;
  return num < 0n !== den < 0n ? q - 1n : q + 1n;
}
