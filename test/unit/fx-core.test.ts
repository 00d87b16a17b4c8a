import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { convert, rateOn, type FxTables } from '../../src/server/modules/fx/fx-core.js';

// Official rates as stored: roubles per unit (AMD published as 21,5637 for 100).
const tables = (over: Partial<FxTables> = {}): FxTables => ({
  manual: new Map(),
  official: new Map([
    [
      'USD',
      [
        { day: '2026-03-06', rate: '80.9931' },
        { day: '2026-03-07', rate: '81.4' }, // Saturday: applies on Sunday and Monday too
        { day: '2026-03-10', rate: '82.0107' },
      ],
    ],
    ['AMD', [{ day: '2026-03-07', rate: '0.215637' }]],
    ['EUR', [{ day: '2026-03-07', rate: '92.7' }]],
  ]),
  officialKnownTo: new Map([
    ['USD', '2026-03-10'],
    ['AMD', '2026-03-10'],
    ['EUR', '2026-03-10'],
  ]),
  market: new Map(),
  ...over,
});

describe('FX core', () => {
  const cases: {
    name: string;
    t?: Partial<FxTables>;
    amount: string;
    from: string;
    to: string;
    day: string;
    want: { amount: string; rate: string; day: string; source: string; stale: boolean } | null;
  }[] = [
    {
      name: 'a currency quoted per 100 units: 21,5637 for 100 AMD',
      amount: '12345.00',
      from: 'AMD',
      to: 'RUB',
      day: '2026-03-09',
      want: { amount: '2662.04', rate: '0.215637', day: '2026-03-07', source: 'official', stale: false },
    },
    {
      name: 'a Sunday uses the rate set for Saturday',
      amount: '100.00',
      from: 'USD',
      to: 'RUB',
      day: '2026-03-08',
      want: { amount: '8140.00', rate: '81.4', day: '2026-03-07', source: 'official', stale: false },
    },
    {
      name: 'a working day uses its own rate',
      amount: '0.01',
      from: 'USD',
      to: 'RUB',
      day: '2026-03-10',
      want: { amount: '0.82', rate: '82.0107', day: '2026-03-10', source: 'official', stale: false },
    },
    {
      name: 'the user’s own rate for that day wins',
      t: { manual: new Map([['USD', new Map([['2026-03-08', '90']])]]) },
      amount: '10.00',
      from: 'USD',
      to: 'RUB',
      day: '2026-03-08',
      want: { amount: '900.00', rate: '90', day: '2026-03-08', source: 'manual', stale: false },
    },
    {
      name: 'an own rate is for its day only',
      t: { manual: new Map([['USD', new Map([['2026-03-07', '90']])]]) },
      amount: '10.00',
      from: 'USD',
      to: 'RUB',
      day: '2026-03-08',
      want: { amount: '814.00', rate: '81.4', day: '2026-03-07', source: 'official', stale: false },
    },
    {
      name: 'beyond the known days the last official rate is stale',
      amount: '1.00',
      from: 'USD',
      to: 'RUB',
      day: '2026-03-12',
      want: { amount: '82.01', rate: '82.0107', day: '2026-03-10', source: 'official', stale: true },
    },
    {
      name: 'a stale official rate gives way to the market’s of that day',
      t: { market: new Map([['USD', { day: '2026-03-12', rate: '83.5', prevDay: null, prevRate: null }]]) },
      amount: '1.00',
      from: 'USD',
      to: 'RUB',
      day: '2026-03-12',
      want: { amount: '83.50', rate: '83.5', day: '2026-03-12', source: 'market', stale: false },
    },
    {
      name: 'a fresh official rate is preferred to the market',
      t: { market: new Map([['USD', { day: '2026-03-10', rate: '83.5', prevDay: null, prevRate: null }]]) },
      amount: '1.00',
      from: 'USD',
      to: 'RUB',
      day: '2026-03-10',
      want: { amount: '82.01', rate: '82.0107', day: '2026-03-10', source: 'official', stale: false },
    },
    {
      name: 'crosses go through the rouble: EUR in USD',
      amount: '100.00',
      from: 'EUR',
      to: 'USD',
      day: '2026-03-08',
      // 92.7 / 81.4 = 1.138820638821 (12 places, half-up)
      want: { amount: '113.88', rate: '1.138820638821', day: '2026-03-07', source: 'official', stale: false },
    },
    {
      name: 'roubles in a USD base',
      amount: '8140.00',
      from: 'RUB',
      to: 'USD',
      day: '2026-03-08',
      want: { amount: '100.00', rate: '0.012285012285', day: '2026-03-07', source: 'official', stale: false },
    },
    {
      name: 'an unknown currency is null, never 1',
      amount: '5.00',
      from: 'XAU',
      to: 'RUB',
      day: '2026-03-08',
      want: null,
    },
    {
      name: 'before the first known rate: null',
      amount: '5.00',
      from: 'AMD',
      to: 'RUB',
      day: '2026-03-01',
      want: null,
    },
    {
      name: 'the same currency converts at 1',
      amount: '5.55',
      from: 'USD',
      to: 'USD',
      day: '2026-03-01',
      want: { amount: '5.55', rate: '1', day: '2026-03-01', source: 'official', stale: false },
    },
    {
      name: 'rounding is half-up to the kopeck',
      t: { manual: new Map([['USD', new Map([['2026-03-08', '80.005']])]]) },
      amount: '1.00',
      from: 'USD',
      to: 'RUB',
      day: '2026-03-08',
      want: { amount: '80.01', rate: '80.005', day: '2026-03-08', source: 'manual', stale: false },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(convert(tables(c.t), c.amount, c.from, c.to, c.day), c.want);
    });
  }

  it('a cross is stale when either leg is', () => {
    const r = rateOn(
      tables({ officialKnownTo: new Map([['USD', '2026-03-10']]) }),
      'EUR',
      'USD',
      '2026-03-08',
    );
    assert.equal(r?.stale, true);
  });
});
