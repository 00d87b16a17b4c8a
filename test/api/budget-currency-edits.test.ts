import { dec } from '../../src/common/decimal.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.js';
import {
  addTransaction,
  balanceOf,
  categoryId,
  newClient,
  openAccount,
  type Client,
} from '../support/budget.js';

// An amount belongs to its account's currency: an edit that changes a currency asks for it again.
describe('editing a transaction into another currency', () => {
  let t: TestApp;
  let c: Client;
  let rub: string;
  let rub2: string;
  let usd: string;
  before(async () => {
    t = await buildTestApp();
    c = await newClient(t.app);
    rub = await openAccount(c, { name: 'Card', currency: 'RUB', openingBalance: '10000' });
    rub2 = await openAccount(c, { name: 'Savings', currency: 'RUB' });
    usd = await openAccount(c, { name: 'Dollars', currency: 'USD' });
  });
  after(() => t.close());

  it('a RUB → RUB transfer moved to a USD account needs the amount received', async () => {
    const transfer = await addTransaction(c, {
      type: 'transfer',
      date: '2026-02-01',
      accountId: rub,
      toAccountId: rub2,
      amount: '1500',
    });
    const refused = await c.patch(`/api/budget/transactions/${transfer.id}`, { toAccountId: usd });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'VALIDATION_FAILED');
    assert.equal(refused.body.error.details.fields[0].field, 'amountReceived');
    assert.deepEqual(
      [await balanceOf(c, rub), await balanceOf(c, rub2), await balanceOf(c, usd)],
      ['8500.00', '1500.00', '0.00'],
    );
    const moved = await c.patch(`/api/budget/transactions/${transfer.id}`, {
      toAccountId: usd,
      amountReceived: '16.40',
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual([moved.body.amount, moved.body.amountReceived], ['1500.00', '16.40']);
    assert.deepEqual([await balanceOf(c, rub2), await balanceOf(c, usd)], ['0.00', '16.40']);
    // Its currencies unchanged, a later edit keeps the amount received.
    const renamed = await c.patch(`/api/budget/transactions/${transfer.id}`, { description: 'to travel' });
    assert.equal(renamed.body.amountReceived, '16.40');
  });

  it('a transfer whose sending account changes currency needs both amounts again', async () => {
    const transfer = await addTransaction(c, {
      type: 'transfer',
      date: '2026-02-02',
      accountId: rub,
      toAccountId: usd,
      amount: '900',
      amountReceived: '10',
    });
    // Between two rouble accounts the roubles sent are what arrives.
    const rubles = await c.patch(`/api/budget/transactions/${transfer.id}`, {
      accountId: rub2,
      toAccountId: rub,
    });
    assert.equal(rubles.status, 200);
    assert.deepEqual([rubles.body.amount, rubles.body.amountReceived], ['900.00', '900.00']);
    const toUsd = await c.patch(`/api/budget/transactions/${transfer.id}`, {
      accountId: usd,
      toAccountId: rub,
    });
    assert.equal(toUsd.status, 422);
    assert.equal(toUsd.body.error.details.fields[0].field, 'amount');
  });

  it('an expense moved to an account in another currency is refused unless the amount is given again', async () => {
    const food = await categoryId(c, 'Продукты');
    const expense = await addTransaction(c, {
      type: 'expense',
      date: '2026-02-03',
      accountId: rub,
      categoryId: food,
      amount: '700',
    });
    const refused = await c.patch(`/api/budget/transactions/${expense.id}`, { accountId: usd });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.details.fields[0].field, 'amount');
    const before = await balanceOf(c, usd);
    const moved = await c.patch(`/api/budget/transactions/${expense.id}`, { accountId: usd, amount: '7.60' });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.amount, '7.60');
    assert.equal(await balanceOf(c, usd), dec(before).minus('7.60').toFixed(2));
    // Within one currency an account change keeps the amount.
    const back = await c.patch(`/api/budget/transactions/${expense.id}`, { accountId: usd });
    assert.equal(back.status, 200);
  });
});
