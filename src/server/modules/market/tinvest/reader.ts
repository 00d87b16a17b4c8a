/**
 * Shape checks for upstream JSON. Per the protocol every field is optional (a missing scalar means
 * 0/false/"", a missing message means unset), but a field that is present with the wrong type means
 * we are not talking to the API we think we are: that becomes UPSTREAM_BAD_RESPONSE naming the field.
 */
import { MarketDataError, type Money } from '../provider.js';
import { QuotationError, moneyValueToMoney, quotationToDecimal } from './quotation.js';

const INTEGER = /^-?\d+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class WireReader {
  private constructor(
    private readonly fields: Record<string, unknown>,
    private readonly path: string,
    private readonly operation: string,
  ) {}

  /** Reads the top-level response of `operation` ("Service/Method"). */
  static root(value: unknown, operation: string): WireReader {
    if (!isRecord(value)) throw badResponse(operation, 'response', 'an object');
    return new WireReader(value, 'response', operation);
  }

  private fail(key: string, expected: string): never {
    throw badResponse(this.operation, `${this.path}.${key}`, expected);
  }

  private raw(key: string): unknown {
    const value = this.fields[key];
    return value === null ? undefined : value;
  }

  string(key: string): string {
    const value = this.raw(key);
    if (value === undefined) return '';
    if (typeof value !== 'string') this.fail(key, 'a string');
    return value;
  }

  /** A string the caller cannot do without (an id). */
  requiredString(key: string): string {
    const value = this.string(key);
    if (value === '') this.fail(key, 'a non-empty string');
    return value;
  }

  boolean(key: string): boolean {
    const value = this.raw(key);
    if (value === undefined) return false;
    if (typeof value !== 'boolean') this.fail(key, 'a boolean');
    return value;
  }

  int32(key: string): number {
    const value = this.raw(key);
    if (value === undefined) return 0;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(key, 'an integer');
    return value;
  }

  /** int64 as a decimal string, exact whatever its size. */
  int64(key: string): string {
    const value = this.raw(key);
    if (value === undefined) return '0';
    if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value).toString();
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value.toString();
    return this.fail(key, 'an int64');
  }

  timestamp(key: string): Date | null {
    const value = this.raw(key);
    if (value === undefined) return null;
    if (typeof value !== 'string') this.fail(key, 'an RFC 3339 timestamp');
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) this.fail(key, 'an RFC 3339 timestamp');
    return date;
  }

  requiredTimestamp(key: string): Date {
    return this.timestamp(key) ?? this.fail(key, 'an RFC 3339 timestamp');
  }

  /** A Quotation as a decimal string; null when unset. */
  quotation(key: string): string | null {
    return this.object(key)?.asQuotation() ?? null;
  }

  /** A Quotation the record is meaningless without (a candle's prices). */
  requiredQuotation(key: string): string {
    return this.quotation(key) ?? this.fail(key, 'a Quotation');
  }

  money(key: string): Money | null {
    return this.object(key)?.asMoney() ?? null;
  }

  private asQuotation(): string {
    try {
      return quotationToDecimal({ units: this.units(), nano: this.int32('nano') });
    } catch (error) {
      if (error instanceof QuotationError)
        throw badResponse(this.operation, this.path, `a Quotation (${error.message})`);
      throw error;
    }
  }

  private asMoney(): Money {
    try {
      return moneyValueToMoney({
        units: this.units(),
        nano: this.int32('nano'),
        currency: this.string('currency'),
      });
    } catch (error) {
      if (error instanceof QuotationError)
        throw badResponse(this.operation, this.path, `a MoneyValue (${error.message})`);
      throw error;
    }
  }

  /** Quotation units: int64, a string or a small number; validation happens in the conversion. */
  private units(): string | number {
    const value = this.raw('units');
    if (value === undefined) return '0';
    if (typeof value !== 'string' && typeof value !== 'number') this.fail('units', 'an int64');
    return value;
  }

  object(key: string): WireReader | null {
    const value = this.raw(key);
    if (value === undefined) return null;
    if (!isRecord(value)) this.fail(key, 'an object');
    return new WireReader(value, `${this.path}.${key}`, this.operation);
  }

  array(key: string): WireReader[] {
    const value = this.raw(key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(key, 'an array');
    return value.map((item, index) => {
      if (!isRecord(item)) this.fail(`${key}[${index}]`, 'an object');
      return new WireReader(item, `${this.path}.${key}[${index}]`, this.operation);
    });
  }

  moneyArray(key: string): Money[] {
    return this.array(key).map((item) => item.asMoney());
  }
}

function badResponse(operation: string, path: string, expected: string): MarketDataError {
  return new MarketDataError(
    'UPSTREAM_BAD_RESPONSE',
    `T-Invest ${operation} returned an unexpected shape: ${path} is not ${expected}`,
    { operation },
  );
}
