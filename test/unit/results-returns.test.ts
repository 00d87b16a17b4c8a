import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays } from '../../src/common/dates.js';
import { Decimal } from '../../src/common/decimal.js';
import { annualise, percentText, twr, xirr, type Flow } from '../../src/server/modules/results/returns.js';
import { buildSeries, type SeriesOperation } from '../../src/server/modules/results/series.js';

const close = (actual: number | null, expected: number, eps = 1e-6) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < eps, `${actual} ≠ ${expected}`);
const rateOf = (r: ReturnType<typeof xirr>) => (r.ok ? r.rate : null);

describe('XIRR', () => {
  it('equals the spreadsheet reference of the classic example (0.373362535)', () => {
    const flows: Flow[] = [
      { day: '2008-01-01', amount: -10000 },
      { day: '2008-03-01', amount: 2750 },
      { day: '2008-10-30', amount: 4250 },
      { day: '2009-02-15', amount: 3250 },
      { day: '2009-04-01', amount: 2750 },
    ];
    close(rateOf(xirr(flows)), 0.373362535);
  });

  const table: { name: string; flows: Flow[]; expected: number }[] = [
    {
      name: 'one year, +10 % over a leap year (366 days, Actual/365)',
      flows: [
        { day: '2024-01-01', amount: -1000 },
        { day: '2025-01-01', amount: 1100 },
      ],
      expected: Math.pow(1.1, 365 / 366) - 1,
    },
    {
      name: 'a loss of half in two years',
      flows: [
        { day: '2020-06-01', amount: -500 },
        { day: '2022-06-01', amount: 250 },
      ],
      expected: Math.pow(0.5, 365 / 730) - 1,
    },
    {
      name: 'flows out of order are sorted by day',
      flows: [
        { day: '2025-01-01', amount: 1100 },
        { day: '2024-01-01', amount: -1000 },
      ],
      expected: Math.pow(1.1, 365 / 366) - 1,
    },
  ];
  for (const t of table) it(t.name, () => close(rateOf(xirr(t.flows)), t.expected));

  it('says why there is no rate instead of a number', () => {
    assert.deepEqual(xirr([]), { ok: false, reason: 'NO_FLOWS' });
    assert.deepEqual(xirr([{ day: '2024-01-01', amount: -5 }]), { ok: false, reason: 'NO_FLOWS' });
    assert.deepEqual(
      xirr([
        { day: '2024-01-01', amount: -5 },
        { day: '2024-02-01', amount: -5 },
      ]),
      { ok: false, reason: 'ONE_SIGN' },
    );
  });

  it('finds the rate to the sixth digit when the flows weigh far from the start', () => {
    // Six small deposits over four years, then a large one and its value a day later.
    const rate = 0.4615147844989237;
    const deposits = [335, 371, 165, 132, 230, 99].map((gap) => ({ gap, amount: 1 }));
    deposits.push({ gap: 1, amount: 62296 });
    const flows: Flow[] = [];
    let day = '2015-01-01';
    let t = 0;
    let pv = 0;
    for (const d of deposits) {
      flows.push({ day, amount: -d.amount });
      pv += d.amount / Math.pow(1 + rate, t / 365);
      day = addDays(day, d.gap);
      t += d.gap;
    }
    flows.push({ day, amount: pv * Math.pow(1 + rate, t / 365) });
    close(rateOf(xirr(flows)), rate, 1e-9);
  });

  it('property: finds the rate whose flows were built to have zero NPV', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.9, max: 3, noNaN: true }),
        fc.array(
          fc.record({ gap: fc.integer({ min: 1, max: 400 }), amount: fc.integer({ min: 1, max: 100000 }) }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (rate, deposits) => {
          const flows: Flow[] = [];
          let day = '2015-01-01';
          let t = 0;
          let pv = 0;
          for (const d of deposits) {
            flows.push({ day, amount: -d.amount });
            pv += d.amount / Math.pow(1 + rate, t / 365);
            day = addDays(day, d.gap);
            t += d.gap;
          }
          // The final value makes NPV zero at `rate`.
          flows.push({ day, amount: pv * Math.pow(1 + rate, t / 365) });
          const found = xirr(flows);
          assert.ok(found.ok, JSON.stringify(found));
          assert.ok(Math.abs(found.rate - rate) < 1e-6, `${found.rate} vs ${rate}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('TWR', () => {
  it('chains daily returns with flows at the start of the day', () => {
    // 1000 in; +10 %; 1100 added; −5 % on 2200; → 1.1 × 0.95 − 1 = 4.5 %.
    const r = twr(0, [
      { value: 1000, flow: 1000 },
      { value: 1100, flow: 0 },
      { value: 2090, flow: 1100 },
    ]);
    close(r, 0.045, 1e-12);
  });

  it('is null when nothing was invested, and annualises only a year or more', () => {
    assert.equal(twr(0, [{ value: 0, flow: 0 }]), null);
    assert.equal(annualise(0.1, 200), null);
    close(annualise(0.21, 730), 0.1, 1e-12);
    assert.equal(percentText(0.123456), '12.35');
    assert.equal(percentText(-0.00001), '0.00');
  });

  it('property: flows at the day’s value do not change it (the return is the price path alone)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            move: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
            flow: fc.integer({ min: -50, max: 500 }),
          }),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        (days) => {
          let units = 10;
          let price = 100;
          const withFlows = [];
          const pricePath = [];
          for (const d of days) {
            const flow = Math.max(d.flow, -units * price * 0.5);
            units += flow / price; // bought or sold at the day's opening price
            price *= 1 + d.move;
            withFlows.push({ value: units * price, flow });
            pricePath.push(price);
          }
          const expected = pricePath.at(-1)! / 100 - 1;
          close(twr(1000, withFlows), expected, 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the test portfolio: buys, partial sells, a split, a dividend with tax, a USD share', () => {
  const ops: SeriesOperation[] = [
    // No cash kept: flows are buys − sells − income + tax.
    o({
      type: 'buy',
      assetKey: 'SBER',
      date: '2024-01-10',
      quantity: '10',
      price: '250',
      amount: '2500',
      commission: '1.25',
    }),
    o({
      type: 'buy',
      assetKey: 'AAPL',
      currency: 'USD',
      date: '2024-01-10',
      quantity: '2',
      price: '180',
      amount: '360',
      commission: '1',
    }),
    o({ type: 'split', assetKey: 'SBER', date: '2024-03-01', quantity: '2' }),
    o({ type: 'dividend', assetKey: 'SBER', date: '2024-07-15', amount: '330' }),
    o({ type: 'tax', assetKey: 'SBER', date: '2024-07-15', amount: '43' }),
    o({
      type: 'sell',
      assetKey: 'SBER',
      date: '2024-09-02',
      quantity: '5',
      price: '140',
      amount: '700',
      commission: '0.35',
    }),
  ];
  const closes = new Map([
    [
      'SBER',
      [
        { day: '2024-01-10', close: '250' },
        { day: '2024-03-01', close: '130' },
        { day: '2024-09-02', close: '140' },
        { day: '2025-01-09', close: '150' },
      ],
    ],
    [
      'AAPL',
      [
        { day: '2024-01-10', close: '180' },
        { day: '2025-01-09', close: '200' },
      ],
    ],
  ]);
  const usd = [
    { day: '2024-01-01', rate: '90' },
    { day: '2024-06-01', rate: '88.5' },
    { day: '2025-01-01', rate: '100' },
  ];
  const rate = (currency: string, day: string) =>
    currency === 'RUB' ? Decimal.ONE : Decimal.of(usd.filter((r) => r.day <= day).at(-1)!.rate);
  const series = buildSeries({
    from: '2024-01-10',
    to: '2025-01-10',
    operations: ops,
    assets: new Map([
      ['SBER', { currency: 'RUB', percentOfNominal: false, nominal: null, currencyInstrument: false }],
      ['AAPL', { currency: 'USD', percentOfNominal: false, nominal: null, currencyInstrument: false }],
    ]),
    closes,
    rate,
    cashTracking: false,
    netInvestedBefore: '0',
  });
  const at = (day: string) => series.find((d) => d.day === day)!;

  it('values each day from holdings × close × rate, to the kopeck', () => {
    assert.deepEqual(at('2024-01-10'), {
      day: '2024-01-10',
      value: '34900.00', // 10 × 250 + 2 × 180 × 90
      flow: '34991.25', // 2501.25 + 361 × 90
      netInvested: '34991.25',
      missing: 0,
    });
    assert.equal(at('2024-03-01').value, '35000.00'); // 20 × 130 + 32400
    assert.equal(at('2024-06-01').value, '34460.00'); // 2600 + 360 × 88.5
    assert.equal(at('2024-07-15').flow, '-287.00'); // dividend out 330, tax in 43
    assert.equal(at('2024-09-02').flow, '-699.65');
    assert.equal(at('2024-09-02').netInvested, '34291.60'); // income is no disinvestment
    assert.equal(at('2025-01-10').value, '42250.00'); // 15 × 150 + 2 × 200 × 100
  });

  it('XIRR and TWR equal the reference values', () => {
    const flows: Flow[] = series
      .filter((d) => d.flow !== '0.00')
      .map((d) => ({ day: d.day, amount: -Number(d.flow) }));
    flows.push({ day: '2025-01-10', amount: 42250 });
    // Reference: the same flows in a spreadsheet's XIRR.
    const reference = xirrByBisection(flows);
    close(rateOf(xirr(flows)), reference);
    close(rateOf(xirr(flows)), 0.2373986, 1e-6);

    const r = twr(
      0,
      series.map((d) => ({ value: Number(d.value), flow: Number(d.flow) })),
    );
    // By hand: between flow days the daily links telescope, leaving
    // 34460/34991.25 (to the dividend) × 34460/(34460 − 287) × 42250/(34460 − 699.65).
    close(r, (34460 / 34991.25) * (34460 / 34173) * (42250 / 33760.35) - 1, 1e-12);
    close(r, 0.2428186, 1e-6);
  });
});

function o(fields: Partial<SeriesOperation> & Pick<SeriesOperation, 'type'>): SeriesOperation {
  return {
    assetKey: null,
    assetIso: null,
    currency: 'RUB',
    date: '2024-01-01',
    quantity: '0',
    price: null,
    amount: '0',
    commission: '0',
    accruedInterest: '0',
    ...fields,
  };
}

/** An independent check: plain bisection on the NPV. */
function xirrByBisection(flows: Flow[]): number {
  const t0 = Date.parse(flows[0]!.day);
  const npv = (r: number) =>
    flows.reduce((s, f) => s + f.amount / Math.pow(1 + r, (Date.parse(f.day) - t0) / 86_400_000 / 365), 0);
  let lo = -0.99;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (npv(lo) * npv(mid) <= 0) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}
