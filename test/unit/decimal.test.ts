import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Big from 'big.js';
import fc from 'fast-check';
import { Decimal, DecimalFormatError, dec, kopecks } from '../../src/common/decimal.js';
import { EMPTY_TABLES, rateOn, type FxTables } from '../../src/server/modules/fx/fx-core.js';
import { decimalToQuotation, quotationToDecimal } from '../../src/server/modules/market/tinvest/quotation.js';

/** Plain decimal strings up to 18 digits before and 12 after the point, either sign. */
const decimal = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.nat({ max: 12 }))
  .map(([negative, digits, places]) => {
    const text = digits.toString().padStart(places + 1, '0');
    const body = places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
    return negative && digits !== 0n ? `-${body}` : body;
  });

/** big.js writes a negative zero ("-0.00"); the decimal type never does. */
const unsigned = (text: string): string => text.replace(/^-(0(\.0*)?)$/, '$1');

describe('the decimal type against big.js (the reference engine, kept for these tests)', () => {
  Big.DP = 30;
  Big.RM = Big.roundHalfUp;

  it('adds, subtracts, multiplies and compares exactly as big.js', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const [x, y, bx, by] = [dec(a), dec(b), new Big(a), new Big(b)];
        assert.equal(x.plus(y).toFixed(), unsigned(bx.plus(by).toFixed()));
        assert.equal(x.minus(y).toFixed(), unsigned(bx.minus(by).toFixed()));
        assert.equal(x.times(y).toFixed(), unsigned(bx.times(by).toFixed()));
        assert.equal(x.cmp(y), bx.cmp(by));
      }),
      { numRuns: 500 },
    );
  });

  it('divides and rounds half-up (away from zero) to the stated places as big.js', () => {
    fc.assert(
      fc.property(decimal, decimal, fc.nat({ max: 12 }), (a, b, places) => {
        fc.pre(!new Big(b).eq(0));
        assert.equal(dec(a).div(b).toFixed(), unsigned(new Big(a).div(b).toFixed()));
        assert.equal(
          dec(a).div(b, places).toFixed(places),
          unsigned(new Big(a).div(b).round(places, Big.roundHalfUp).toFixed(places)),
        );
        assert.equal(dec(a).toFixed(places), unsigned(new Big(a).toFixed(places)));
        assert.equal(
          dec(a).round(places, 'half-even').toFixed(),
          unsigned(new Big(a).round(places, Big.roundHalfEven).toFixed()),
        );
        assert.equal(
          dec(a).round(places, 'down').toFixed(),
          unsigned(new Big(a).round(places, Big.roundDown).toFixed()),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('the decimal type: parsing and the named rounding points', () => {
  it('parses strictly: no exponent, no plus, no comma, no leading zeros, at most the places asked', () => {
    for (const bad of ['1e3', '+1', '1,5', '01', '.5', '1.', '', ' 1', 'NaN', '--1'])
      assert.throws(() => Decimal.parse(bad), DecimalFormatError, bad);
    assert.throws(() => Decimal.parse('1.005', 2), /more than 2 decimal places/);
    assert.equal(Decimal.parse('-0.50', 2).toFixed(), '-0.5');
  });

  it('reads numbers of outside data in exponent notation, and refuses what is no number', () => {
    assert.equal(Decimal.lenient(1e-7)?.toFixed(), '0.0000001');
    assert.equal(Decimal.lenient('2.5E+3')?.toFixed(), '2500');
    assert.equal(Decimal.lenient(287.5)?.toFixed(), '287.5');
    assert.equal(Decimal.lenient(Number.NaN), null);
    assert.equal(Decimal.lenient('abc'), null);
  });

  it('kopecks round half-up, bank rounding half to even', () => {
    assert.equal(kopecks(dec('2.345')).toFixed(), '2.35');
    assert.equal(kopecks(dec('-2.345')).toFixed(), '-2.35');
    assert.equal(dec('2.345').round(2, 'half-even').toFixed(), '2.34');
    assert.equal(dec('2.355').round(2, 'half-even').toFixed(), '2.36');
    assert.equal(dec('-0.001').toFixed(2), '0.00', 'never a negative zero');
  });
});

describe('conversions round-trip', () => {
  it('text, minor units and T-Invest quotations give the value back unchanged', () => {
    fc.assert(
      fc.property(decimal, (a) => {
        const x = dec(a);
        assert.ok(Decimal.parse(x.toFixed()).eq(x));
        assert.ok(Decimal.fromMinor(x.toMinor(12), 12).eq(x));
        const nine = x.round(9).toFixed();
        assert.ok(dec(quotationToDecimal(decimalToQuotation(nine))).eq(nine));
      }),
      { numRuns: 300 },
    );
  });

  it('a cross rate and its inverse multiply to 1 within the places a rate keeps', () => {
    const rate = fc
      .tuple(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 0, max: 4 }))
      .map(([n, places]) => Decimal.fromMinor(BigInt(n), places).toFixed());
    fc.assert(
      fc.property(rate, rate, (usd, eur) => {
        const tables: FxTables = {
          ...EMPTY_TABLES,
          manual: new Map([
            ['USD', new Map([['2026-03-02', usd]])],
            ['EUR', new Map([['2026-03-02', eur]])],
          ]),
        };
        const there = dec(rateOn(tables, 'USD', 'EUR', '2026-03-02')!.rate);
        const back = dec(rateOn(tables, 'EUR', 'USD', '2026-03-02')!.rate);
        // Each leg is rounded to 12 places: the product is 1 to within 10^-12 of each leg's size.
        const slack = there.plus(back).plus(1).times('0.000000000001');
        assert.ok(
          there.times(back).minus(1).abs().lte(slack),
          `${usd} ${eur}: ${there.toFixed()} × ${back.toFixed()}`,
        );
      }),
      { numRuns: 300 },
    );
  });
});
