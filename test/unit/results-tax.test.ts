import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Decimal } from '../../src/common/decimal.js';
import { fifo, longHeld, yearTax, type TaxTrade } from '../../src/server/modules/results/fifo.js';

let seq = 0;
function t(fields: Partial<TaxTrade> & Pick<TaxTrade, 'type' | 'date'>): TaxTrade {
  return {
    id: `t${++seq}`,
    assetKey: 'SBER',
    quantity: '0',
    amount: '0',
    commission: '0',
    accruedInterest: '0',
    currency: 'RUB',
    rubRate: '1',
    ...fields,
  };
}

describe('FIFO lots and the tax estimate', () => {
  const result = fifo([
    t({ type: 'buy', date: '2021-01-10', quantity: '10', amount: '2500', commission: '1.25' }),
    t({
      type: 'buy',
      assetKey: 'AAPL',
      currency: 'USD',
      rubRate: '89.6',
      date: '2024-01-10',
      quantity: '2',
      amount: '360',
      commission: '1',
    }),
    t({ type: 'buy', date: '2023-05-10', quantity: '10', amount: '3000', commission: '1.50' }),
    t({ type: 'split', date: '2024-03-01', quantity: '2' }),
    t({ type: 'sell', date: '2024-09-02', quantity: '30', amount: '6000', commission: '3' }),
    t({
      type: 'sell',
      assetKey: 'AAPL',
      currency: 'USD',
      rubRate: '98.5',
      date: '2025-02-03',
      quantity: '2',
      amount: '400',
      commission: '1',
    }),
    t({ type: 'sell', assetKey: 'GAZP', date: '2025-03-01', quantity: '5', amount: '800' }),
  ]);

  it('matches the oldest lots first, commissions included, after a split', () => {
    // Proceeds 6000 − 3 = 5997: 20 of 30 pieces from the 2021 lot (cost 2501.25), 10 from the 2023 one
    // (half of 3001.50).
    assert.deepEqual(
      result.slices.filter((s) => s.assetKey === 'SBER'),
      [
        {
          assetKey: 'SBER',
          buyDate: '2021-01-10',
          sellDate: '2024-09-02',
          quantity: '20',
          cost: '2501.25',
          proceeds: '3998.00',
          result: '1496.75',
          ldv: true,
        },
        {
          assetKey: 'SBER',
          buyDate: '2023-05-10',
          sellDate: '2024-09-02',
          quantity: '10',
          cost: '1500.75',
          proceeds: '1999.00',
          result: '498.25',
          ldv: false,
        },
      ],
    );
    assert.deepEqual(result.open, [
      { assetKey: 'SBER', buyDate: '2023-05-10', quantity: '10', cost: '1500.75' },
    ]);
  });

  it('counts a foreign share in roubles at the rate of each trade’s day', () => {
    // Cost 361 USD × 89.6 = 32 345.60 ₽; proceeds 399 USD × 98.5 = 39 301.50 ₽.
    const aapl = result.slices.find((s) => s.assetKey === 'AAPL')!;
    assert.equal(aapl.cost, '32345.60');
    assert.equal(aapl.proceeds, '39301.50');
    assert.equal(aapl.result, '6955.90');
  });

  it('sums the years and names a sale of more than the lots hold', () => {
    assert.deepEqual(result.years, [
      { year: 2024, proceeds: '5997.00', cost: '4002.00', result: '1995.00', ldvResult: '1496.75' },
      { year: 2025, proceeds: '39301.50', cost: '32345.60', result: '6955.90', ldvResult: '0.00' },
    ]);
    assert.deepEqual(result.issues, [{ tradeId: `t${seq}`, code: 'OVERSOLD', quantity: '5' }]);
  });

  it('taxes 13 % up to the threshold and 15 % above it, in whole roubles', () => {
    assert.deepEqual(yearTax(2024, '1995.00'), {
      base: '1995.00',
      tax: '259',
      above: '0.00',
      threshold: '5000000',
    });
    assert.equal(yearTax(2025, '6955.90').tax, '904'); // 904.267
    assert.deepEqual(yearTax(2025, '3000000'), {
      base: '3000000.00',
      tax: '402000', // 2 400 000 × 13 % + 600 000 × 15 %
      above: '600000.00',
      threshold: '2400000',
    });
    assert.equal(yearTax(2024, '6000000').tax, '800000'); // 5 M × 13 % + 1 M × 15 %
    assert.equal(yearTax(2020, '6000000').tax, '780000'); // flat 13 %
    assert.equal(yearTax(2025, '-1000').tax, '0');
  });

  it('returns an amortisation’s cost pro rata; the redemption then realises nothing', () => {
    const bond = fifo([
      t({ type: 'buy', assetKey: 'OFZ', date: '2024-01-01', quantity: '2', amount: '2000' }),
      t({ type: 'bond_redemption', assetKey: 'OFZ', date: '2024-06-01', quantity: '0', amount: '500' }),
      t({ type: 'bond_redemption', assetKey: 'OFZ', date: '2025-01-01', quantity: '2', amount: '1500' }),
    ]);
    assert.deepEqual(
      bond.years.map((y) => [y.year, y.result]),
      [
        [2024, '0.00'],
        [2025, '0.00'],
      ],
    );
  });

  it('marks a lot held more than three years', () => {
    assert.equal(longHeld('2021-01-10', '2024-01-10'), false);
    assert.equal(longHeld('2021-01-10', '2024-01-11'), true);
    assert.equal(longHeld('2020-02-29', '2023-03-01'), false);
    assert.equal(longHeld('2020-02-29', '2023-03-02'), true);
  });

  it('property: pieces and money are conserved across lots', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            buy: fc.boolean(),
            quantity: fc.integer({ min: 1, max: 50 }),
            price: fc.integer({ min: 1, max: 10000 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (steps) => {
          let day = 0;
          const trades = steps.map((s) =>
            t({
              type: s.buy ? 'buy' : 'sell',
              date: `2024-01-${String(1 + (day++ % 28)).padStart(2, '0')}`,
              quantity: String(s.quantity),
              amount: String(s.quantity * s.price),
            }),
          );
          trades.sort((a, b) => a.date.localeCompare(b.date));
          const r = fifo(trades);
          const sum = (xs: string[]) => xs.reduce((a, x) => a.plus(Decimal.of(x)), Decimal.ZERO);
          const bought = sum(trades.filter((x) => x.type === 'buy').map((x) => x.quantity));
          const sold = sum(r.slices.map((s) => s.quantity));
          const open = sum(r.open.map((l) => l.quantity));
          assert.equal(bought.toFixed(), sold.plus(open).toFixed());
          const oversold = sum(r.issues.map((i) => i.quantity ?? '0'));
          const asked = sum(trades.filter((x) => x.type === 'sell').map((x) => x.quantity));
          assert.equal(asked.toFixed(), sold.plus(oversold).toFixed());
          const y = r.years[0];
          if (y !== undefined)
            assert.equal(Decimal.of(y.proceeds).minus(Decimal.of(y.cost)).toFixed(2), y.result);
        },
      ),
      { numRuns: 300 },
    );
  });
});
