import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Operation } from '../../src/server/modules/market/provider.js';
import { readBrokerHistory, syncKeys } from '../../src/server/modules/investments/broker-history.js';

const BOND = 'bond-uid';

function op(fields: Partial<Operation> & Pick<Operation, 'id' | 'type'>): Operation {
  return {
    accountId: '2000100001',
    parentId: null,
    upstreamType: `OPERATION_TYPE_${fields.type.toUpperCase()}`,
    state: 'executed',
    instrumentUid: BOND,
    figi: '',
    ticker: 'SU26222RMFS8',
    date: new Date('2024-10-16T10:00:00Z'),
    quantity: '0',
    tradeNums: [],
    price: null,
    payment: { amount: '0', currency: 'RUB' },
    commission: null,
    accruedInterest: null,
    currency: 'RUB',
    description: '',
    ...fields,
  };
}

void describe('broker history', () => {
  void it('keys an operation by what never changes: a new id gives the same key, twins get their own', () => {
    const fee = op({
      id: '1',
      type: 'fee',
      instrumentUid: null,
      payment: { amount: '-99', currency: 'RUB' },
    });
    const keys = syncKeys([fee, { ...fee, id: '2' }]);
    assert.notEqual(keys[0], keys[1], 'two equal fees at one instant are two operations');
    assert.deepEqual(
      syncKeys([
        { ...fee, id: '77' },
        { ...fee, id: '5' },
      ]),
      keys,
      'ids do not matter',
    );
    const buy = op({ id: '3', type: 'buy', quantity: '10', tradeNums: ['9001'] });
    assert.notEqual(syncKeys([buy])[0], syncKeys([{ ...buy, tradeNums: ['9002'] }])[0]);
    assert.notEqual(syncKeys([buy])[0], syncKeys([{ ...buy, quantity: '4' }])[0]);
  });

  void it('a full redemption without quantity closes what is held; an amortisation keeps every bond', () => {
    const history = readBrokerHistory(
      [
        op({
          id: '1',
          type: 'buy',
          quantity: '100',
          payment: { amount: '-98400', currency: 'RUB' },
          date: new Date('2024-02-07T07:00:00Z'),
        }),
        op({
          id: '2',
          type: 'bond_redemption',
          quantity: '100',
          payment: { amount: '30000', currency: 'RUB' },
          date: new Date('2024-05-16T10:00:00Z'),
        }),
        op({
          id: '3',
          type: 'sell',
          quantity: '20',
          payment: { amount: '14000', currency: 'RUB' },
          date: new Date('2024-06-01T10:00:00Z'),
        }),
        op({ id: '4', type: 'bond_redemption_full', payment: { amount: '56000', currency: 'RUB' } }),
      ],
      { type: 'broker' },
      'Europe/Moscow',
    );
    assert.deepEqual(
      history.rows.map(({ row }) => [row.type, row.quantity, row.amount]),
      [
        ['buy', '100', '98400.00'],
        ['bond_redemption', '0', '30000.00'],
        ['sell', '20', '14000.00'],
        ['bond_redemption', '80', '56000.00'],
      ],
    );
  });

  void it('securities between accounts: out of an IIS, into a brokerage account, at the booked price', () => {
    const transfer = op({
      id: '1',
      type: 'iis_transfer',
      quantity: '50',
      price: { amount: '305', currency: 'RUB' },
    });
    const out = readBrokerHistory([transfer], { type: 'iis' }, 'UTC').rows[0]?.row;
    const into = readBrokerHistory([transfer], { type: 'broker' }, 'UTC').rows[0]?.row;
    assert.deepEqual([out?.type, out?.quantity, out?.amount], ['transfer_out', '50', '0.00']);
    assert.deepEqual([into?.type, into?.quantity, into?.amount], ['transfer_in', '50', '15250.00']);
  });
});
