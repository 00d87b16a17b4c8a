import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays } from '../../src/common/dates.js';
import type { Rate } from '../../src/server/modules/fx/fx-core.js';
import { netWorthDays, sample, stepFor } from '../../src/server/modules/networth/net-worth-days.js';

const official = (rate: string, day: string): Rate => ({ rate, day, source: 'official', stale: false });

describe('net worth of each day', () => {
  it('converts each currency line at its day’s rate, rounded half-up, and leaves a day without a rate empty', () => {
    const days = netWorthDays({
      from: '2026-03-01',
      to: '2026-03-03',
      base: 'RUB',
      balancesBefore: [
        { currency: 'RUB', amount: '100.005' },
        { currency: 'USD', amount: '10.01' },
      ],
      balanceChanges: [{ currency: 'USD', day: '2026-03-02', amount: '-10.01' }],
      debtChanges: [
        { currency: 'RUB', day: '2026-01-01', amount: '50.00' },
        { currency: 'RUB', day: '2026-03-03', amount: '-20.00' },
      ],
      portfolio: new Map([['2026-03-02', '1.50']]),
      // No dollar rate on the 1st; none is needed once the dollars are gone.
      rate: (currency, day) =>
        currency === 'RUB' ? official('1', day) : day === '2026-03-01' ? null : official('80.555', day),
    });
    assert.deepEqual(days, [
      {
        day: '2026-03-01',
        assets: null,
        liabilities: '50.00',
        netWorth: null,
        portfolio: '0.00',
        missingRates: ['USD'],
      },
      {
        day: '2026-03-02',
        assets: '101.51',
        liabilities: '50.00',
        netWorth: '51.51',
        portfolio: '1.50',
        missingRates: [],
      },
      {
        day: '2026-03-03',
        assets: '100.01',
        liabilities: '30.00',
        netWorth: '70.01',
        portfolio: '0.00',
        missingRates: [],
      },
    ]);
  });

  it('thins long ranges: daily up to a year, weekly up to five, monthly beyond, the last day always kept', () => {
    const days = (from: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ day: addDays(from, i) }));
    for (const [n, step, points] of [
      [366, 'day', 366],
      [367, 'week', 53],
      [1830, 'week', 262],
      [1831, 'month', 61],
    ] as const) {
      const list = days('2020-01-01', n);
      assert.equal(stepFor(list[0]!.day, list.at(-1)!.day), step, `${n} days`);
      const shown = sample(list, step);
      assert.equal(shown.length, points, `${n} days`);
      assert.equal(shown.at(-1)!.day, list.at(-1)!.day);
    }
    const weekly = sample(days('2026-01-01', 400), 'week');
    assert.deepEqual(
      weekly.slice(-2).map((d) => d.day),
      [addDays('2026-01-01', 392), addDays('2026-01-01', 399)],
    );
  });
});
