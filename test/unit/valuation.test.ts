import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Big from 'big.js';
import { Decimal } from '../../src/common/decimal.js';
import {
  cashCostBase,
  cashLedger,
  replay,
  summarize,
  valueCash,
  valuePosition,
  type CashGroup,
  type FxInput,
  type LedgerOperation,
  type PositionState,
} from '../../src/server/modules/investments/valuation.js';

let seq = 0;
function op(fields: Partial<LedgerOperation> & Pick<LedgerOperation, 'type'>): LedgerOperation {
  return {
    id: `op-${++seq}`,
    assetKey: 'SBER',
    assetIso: null,
    currency: 'RUB',
    date: '2025-01-10',
    quantity: '0',
    price: null,
    amount: '0',
    commission: '0',
    accruedInterest: '0',
    rate: '1',
    ...fields,
  };
}

const rub: FxInput = {
  rate: (c) => (c === 'RUB' ? Decimal.ONE : c === 'USD' ? Decimal.of('81.235') : null),
  prevRate: (c) => (c === 'RUB' ? Decimal.ONE : c === 'USD' ? Decimal.of('80.5') : null),
};

function position(ops: LedgerOperation[], key = 'SBER'): PositionState {
  const ledger = replay(ops);
  assert.deepEqual(ledger.issues, []);
  const p = ledger.positions.find((x) => x.assetKey === key);
  assert.ok(p, `position ${key}`);
  return p;
}

void describe('replay: average cost and realised P/L', () => {
  const cases: {
    name: string;
    ops: LedgerOperation[];
    expect: Partial<PositionState>;
  }[] = [
    {
      name: 'two buys average their cost, commissions included',
      ops: [
        op({ type: 'buy', quantity: '10', price: '100', amount: '1000.00', commission: '1.00' }),
        op({ type: 'buy', quantity: '10', price: '110', amount: '1100.00', commission: '1.10' }),
      ],
      expect: { quantity: '20', cost: '2102.1', costBase: '2102.1', realized: '0' },
    },
    {
      name: 'a partial sale realises proceeds net of commission minus average cost',
      ops: [
        op({ type: 'buy', quantity: '10', price: '100', amount: '1000.00', commission: '1.00' }),
        op({ type: 'buy', quantity: '10', price: '110', amount: '1100.00', commission: '1.10' }),
        // proceeds 600 − 0.60 = 599.40; cost out 2102.10 × 5/20 = 525.525
        op({ type: 'sell', quantity: '5', price: '120', amount: '600.00', commission: '0.60' }),
      ],
      expect: { quantity: '15', cost: '1576.575', realized: '73.875', realizedBase: '73.875' },
    },
    {
      name: 'a full sale leaves nothing held and keeps the realised result',
      ops: [
        op({ type: 'buy', quantity: '3', price: '333.33', amount: '999.99' }),
        op({ type: 'sell', quantity: '1', price: '340', amount: '340.00' }),
        op({ type: 'sell', quantity: '2', price: '350', amount: '700.00' }),
      ],
      // 340 + 700 − 999.99 = 40.01, with no residue from the thirds
      expect: { quantity: '0', cost: '0', costBase: '0', realized: '40.01' },
    },
    {
      name: 'a 1:10 split multiplies the quantity and divides the average price',
      ops: [
        op({ type: 'buy', quantity: '10', price: '300', amount: '3000.00' }),
        op({ type: 'split', quantity: '10' }),
        op({ type: 'sell', quantity: '50', price: '35', amount: '1750.00' }),
      ],
      expect: { quantity: '50', cost: '1500', realized: '250', lastTradePrice: '35' },
    },
    {
      name: 'a bond buy costs the clean amount plus НКД paid plus commission',
      ops: [
        op({
          type: 'buy',
          assetKey: 'OFZ',
          quantity: '5',
          price: '600',
          amount: '3000.00',
          accruedInterest: '53.10',
          commission: '1.50',
        }),
        op({ type: 'coupon', assetKey: 'OFZ', amount: '177.00' }),
        op({ type: 'tax', assetKey: 'OFZ', amount: '23.01' }),
      ],
      expect: { quantity: '5', cost: '3054.6', incomeBase: '177', taxesBase: '23.01' },
    },
    {
      name: 'amortisation returns capital without changing the quantity',
      ops: [
        op({ type: 'buy', quantity: '2', price: '1000', amount: '2000.00' }),
        op({ type: 'bond_redemption', quantity: '0', amount: '500.00' }),
      ],
      expect: { quantity: '2', cost: '1500', realized: '0' },
    },
    {
      name: 'cost in the base currency uses each operation’s own rate',
      ops: [
        op({ type: 'buy', currency: 'USD', quantity: '100', price: '0.78', amount: '78.00', rate: '103.5' }),
        op({ type: 'buy', currency: 'USD', quantity: '100', price: '0.70', amount: '70.00', rate: '90' }),
        // half goes out: cost base (8073 + 6300) / 2 = 7186.5; proceeds 80 × 81 = 6480
        op({ type: 'sell', currency: 'USD', quantity: '100', price: '0.80', amount: '80.00', rate: '81' }),
      ],
      expect: { quantity: '100', cost: '74', costBase: '7186.5', realized: '6', realizedBase: '-706.5' },
    },
    {
      name: 'a missing rate makes the base cost unknown, not taken as 1',
      ops: [op({ type: 'buy', currency: 'USD', quantity: '10', price: '5', amount: '50.00', rate: null })],
      expect: { quantity: '10', cost: '50', costBase: null, missingRates: 1 },
    },
  ];

  for (const c of cases) {
    void it(c.name, () => {
      const key = c.ops[0]?.assetKey ?? 'SBER';
      const p = position(c.ops, key);
      for (const [field, value] of Object.entries(c.expect)) {
        assert.equal(p[field as keyof PositionState], value, field);
      }
    });
  }

  void it('refuses to sell more than is held on that date', () => {
    const ledger = replay([
      op({ type: 'buy', quantity: '5', amount: '500.00' }),
      op({ type: 'sell', quantity: '6', amount: '660.00', id: 'too-much' }),
    ]);
    assert.equal(ledger.issues.length, 1);
    assert.equal(ledger.issues[0]?.operationId, 'too-much');
    assert.equal(ledger.issues[0]?.code, 'OVERSOLD');
  });

  void it('refuses a trade in another currency than the position’s', () => {
    const ledger = replay([
      op({ type: 'buy', quantity: '5', amount: '500.00' }),
      op({ type: 'buy', quantity: '1', amount: '1.00', currency: 'USD', id: 'usd' }),
    ]);
    assert.equal(ledger.issues[0]?.code, 'CURRENCY_MISMATCH');
  });
});

void describe('cash balances from summed operations', () => {
  /** What the SQL aggregate gives for a set of operations of one kind. */
  function group(fields: Partial<CashGroup> & Pick<CashGroup, 'type' | 'amount'>): CashGroup {
    const rate = fields.rateKnown === false ? '0' : '1';
    return {
      currency: 'RUB',
      cashOnly: false,
      assetIso: null,
      rateKnown: true,
      count: 1,
      quantity: '0',
      commission: '0',
      accruedInterest: '0',
      amountBase: new Big(fields.amount).times(rate).toFixed(),
      commissionBase: new Big(fields.commission ?? '0').times(rate).toFixed(),
      accruedInterestBase: new Big(fields.accruedInterest ?? '0').times(rate).toFixed(),
      ...fields,
    };
  }

  void it('deposits, trades, income, charges and currency bought on the exchange', () => {
    const cash = new Map(
      cashLedger([
        group({ type: 'deposit', cashOnly: true, amount: '100000.00' }),
        group({ type: 'buy', amount: '600.00', commission: '0.30', count: 2 }),
        group({ type: 'dividend', amount: '50.00' }),
        group({ type: 'tax', amount: '6.50' }),
        group({ type: 'fee', cashOnly: true, amount: '99.00' }),
        // 1000 USD bought for RUB: RUB cash falls, USD cash rises
        group({ type: 'buy', assetIso: 'USD', quantity: '1000', amount: '91350.00', commission: '45.68' }),
        // 2 shares bought for USD at a known rate of 91
        group({ type: 'buy', currency: 'USD', amount: '340.40', amountBase: '30976.40' }),
      ]).map((c) => [c.currency, c]),
    );
    // 100000 − 600.30 + 50 − 6.50 − 99 − 91395.68
    assert.equal(cash.get('RUB')?.balance, '7948.52');
    assert.equal(cash.get('RUB')?.feesBase, '99');
    assert.equal(cash.get('RUB')?.taxesBase, '0', 'a tax on an asset belongs to the asset');
    assert.equal(cash.get('RUB')?.operationsCount, 7);
    assert.equal(cash.get('USD')?.balance, '659.6');
    // 91395.68 paid for the dollars, 30976.40 of them spent
    assert.equal(cash.get('USD')?.balanceBase, '60419.28');
    const purchased = { quantity: '1000', costBase: '91395.68' };
    // 659.60 USD at the average purchase rate (91395.68 / 1000)
    assert.equal(cashCostBase(cash.get('USD')!, 'RUB', purchased), '60284.590528');
    assert.equal(cashCostBase(cash.get('RUB')!, 'RUB'), '7948.52');
  });

  void it('an operation with an unknown rate makes the base figures unknown', () => {
    const [usd] = cashLedger([
      group({ type: 'dividend', currency: 'USD', cashOnly: true, amount: '10.00', rateKnown: false }),
    ]);
    assert.equal(usd?.balance, '10');
    assert.equal(usd?.balanceBase, null);
    assert.equal(usd?.incomeBase, null);
    assert.equal(usd?.missingRates, 1);
  });
});

void describe('valuation', () => {
  const base = { realizedBase: '0', incomeBase: '0' };

  void it('bond value = price % × nominal / 100 + НКД, per bond', () => {
    const v = valuePosition({
      ...base,
      quantity: '5',
      cost: '3054.60',
      costBase: '3054.60',
      asset: { kind: 'bond', currency: 'RUB', nominal: '1000', aci: '12.34' },
      price: { price: '58.123', percentOfNominal: true, time: null, source: 'market', prevClose: '58' },
      fx: rub,
    });
    // 5 × (581.23 + 12.34)
    assert.equal(v.value, '2967.85');
    assert.equal(v.valueBase, '2967.85');
    assert.equal(v.piecePrice, '581.23');
    assert.equal(v.unrealizedPnl, '-86.75');
    assert.equal(v.unrealizedPnlPercent, '-2.84');
    // 5 × (581.23 − 580)
    assert.equal(v.dayChange, '6.15');
  });

  void it('a foreign position is converted at today’s rate, rounded in its currency first', () => {
    const v = valuePosition({
      ...base,
      quantity: '100',
      cost: '78',
      costBase: '8073',
      asset: { kind: 'etf', currency: 'USD', nominal: null, aci: null },
      price: { price: '0.742', percentOfNominal: false, time: null, source: 'market', prevClose: '0.74' },
      fx: rub,
    });
    assert.equal(v.value, '74.20');
    assert.equal(v.valueBase, '6027.64'); // 74.20 × 81.235 = 6027.637
    assert.equal(v.unrealizedPnl, '-2045.36');
    assert.equal(v.unrealizedPnlPercent, '-25.34');
    // today 6027.637 → 6027.64; yesterday 74.00 × 80.5 = 5957.00
    assert.equal(v.dayChange, '70.64');
  });

  void it('an unknown rate leaves the base figures unknown and the total says so', () => {
    const fx: FxInput = { rate: (c) => (c === 'RUB' ? Decimal.ONE : null), prevRate: () => null };
    const v = valuePosition({
      ...base,
      quantity: '1',
      cost: '10',
      costBase: null,
      asset: { kind: 'share', currency: 'HKD', nominal: null, aci: null },
      price: { price: '12', percentOfNominal: false, time: null, source: 'market', prevClose: null },
      fx,
    });
    assert.equal(v.value, '12.00');
    assert.equal(v.valueBase, null);
    const totals = summarize([
      { assetClass: 'shares', currency: 'HKD', valued: v, taxesBase: null, feesBase: null },
    ]);
    assert.equal(totals.value, '0.00');
    assert.equal(totals.incomplete, 1);
  });

  void it('a fully sold position shows its realised result and no −100 %', () => {
    const p = position([
      op({ type: 'buy', quantity: '10', amount: '1000.00' }),
      op({ type: 'sell', quantity: '10', amount: '1200.00' }),
    ]);
    const v = valuePosition({
      quantity: p.quantity,
      cost: p.cost,
      costBase: p.costBase,
      realizedBase: p.realizedBase,
      incomeBase: p.incomeBase,
      asset: { kind: 'share', currency: 'RUB', nominal: null, aci: null },
      price: { price: '90', percentOfNominal: false, time: null, source: 'market', prevClose: null },
      fx: rub,
    });
    assert.equal(v.value, '0.00');
    assert.equal(v.unrealizedPnl, '0.00');
    assert.equal(v.unrealizedPnlPercent, null);
    assert.equal(v.realizedPnl, '200.00');
  });

  void it('cash in a foreign currency: value at today’s rate, P/L against its cost', () => {
    const v = valueCash({
      balance: '659.6',
      costBase: '60284.590528',
      realizedBase: null,
      currency: 'USD',
      fx: rub,
    });
    assert.equal(v.valueBase, '53582.61'); // 659.60 × 81.235 = 53582.606
    assert.equal(v.unrealizedPnl, '-6701.98');
    assert.equal(v.dayChange, '484.81'); // 53582.61 − 659.60 × 80.5 (53097.80)
  });

  void it('totals add rounded lines by class and currency with P/L and day change', () => {
    const share = valuePosition({
      quantity: '10',
      cost: '2800',
      costBase: '2800',
      realizedBase: '150.5',
      incomeBase: '348.4',
      asset: { kind: 'share', currency: 'RUB', nominal: null, aci: null },
      price: { price: '285.5', percentOfNominal: false, time: null, source: 'market', prevClose: '280' },
      fx: rub,
    });
    const cash = valueCash({
      balance: '1000',
      costBase: '1000',
      realizedBase: null,
      currency: 'RUB',
      fx: rub,
    });
    const totals = summarize([
      { assetClass: 'shares', currency: 'RUB', valued: share, taxesBase: '45.29', feesBase: '1.40' },
      { assetClass: 'currencies', currency: 'RUB', valued: cash, taxesBase: null, feesBase: '99' },
    ]);
    assert.equal(totals.value, '3855.00');
    assert.equal(totals.byClass.shares, '2855.00');
    assert.equal(totals.byClass.currencies, '1000.00');
    assert.equal(totals.cost, '3800.00');
    assert.equal(totals.unrealizedPnl, '55.00');
    assert.equal(totals.unrealizedPnlPercent, '1.45');
    // 55 + 150.50 + 348.40 − 45.29 − 100.40
    assert.equal(totals.totalPnl, '408.21');
    assert.equal(totals.dayChange, '55.00');
    assert.equal(totals.dayChangePercent, '1.45'); // 55 / 3800
    assert.deepEqual(totals.byCurrency, [{ currency: 'RUB', value: '3855.00' }]);
  });
});

void describe('exact decimals on bigint agree with big.js', () => {
  /** Deterministic pseudo-random decimal strings with up to 9 places, both signs. */
  function* decimals(seed: number, n: number): Generator<string> {
    let x = seed;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const digits = String(x % 10_000_000_000_000);
      const places = x % 10;
      const text =
        places === 0
          ? digits
          : `${digits.slice(0, -places) || '0'}.${digits.slice(-places).padStart(places, '0')}`;
      yield x % 3 === 0 ? `-${text}` : text;
    }
  }

  void it('adds, multiplies, divides and rounds half away from zero exactly as Big.roundHalfUp', () => {
    const values = [...decimals(7, 400)];
    for (let i = 0; i + 1 < values.length; i++) {
      const [a, b] = [values[i]!, values[i + 1]!];
      const [da, db, ba, bb] = [Decimal.of(a), Decimal.of(b), new Big(a), new Big(b)];
      assert.equal(da.plus(db).toFixed(), ba.plus(bb).toFixed(), `${a} + ${b}`);
      assert.equal(da.minus(db).toFixed(), ba.minus(bb).toFixed(), `${a} − ${b}`);
      assert.equal(da.times(db).toFixed(), ba.times(bb).toFixed(), `${a} × ${b}`);
      assert.equal(da.times(db).toFixed(2), ba.times(bb).toFixed(2), `${a} × ${b} to 0.01`);
      assert.equal(da.cmp(db), ba.cmp(bb), `${a} vs ${b}`);
      if (!bb.eq(0))
        assert.equal(
          da.div(db, 9).toFixed(9),
          ba.div(bb).round(9, Big.roundHalfUp).toFixed(9),
          `${a} / ${b}`,
        );
    }
  });

  void it('rounds ties away from zero and prints without negative zero', () => {
    const cases: [string, number, string][] = [
      ['2.345', 2, '2.35'],
      ['-2.345', 2, '-2.35'],
      ['2.344999', 2, '2.34'],
      ['-0.004', 2, '0.00'],
      ['0.005', 2, '0.01'],
      ['1000', 2, '1000.00'],
      ['6027.637', 2, '6027.64'],
    ];
    for (const [value, places, expected] of cases)
      assert.equal(Decimal.of(value).toFixed(places), expected, value);
    assert.equal(Decimal.of('10.000000000').toFixed(), '10');
    assert.equal(Decimal.of('-0.50').toFixed(), '-0.5');
    assert.throws(() => Decimal.of('1e3'));
  });
});
