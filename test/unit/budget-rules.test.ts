import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/server/platform/errors.js';
import {
  checkTransaction,
  type RuleContext,
  type TransactionInput,
} from '../../src/server/modules/budget/transaction-rules.js';

const ctx: RuleContext = {
  timeZone: 'Europe/Moscow',
  accounts: new Map([
    ['rub', { id: 'rub', currency: 'RUB', archived: false }],
    ['rub2', { id: 'rub2', currency: 'RUB', archived: false }],
    ['usd', { id: 'usd', currency: 'USD', archived: false }],
    ['old', { id: 'old', currency: 'RUB', archived: true }],
  ]),
  categories: new Map([
    ['food', { id: 'food', kind: 'expense', deleted: false }],
    ['salary', { id: 'salary', kind: 'income', deleted: false }],
    ['gone', { id: 'gone', kind: 'expense', deleted: true }],
  ]),
};

function failure(input: Partial<TransactionInput>, context: Partial<RuleContext> = {}) {
  try {
    checkTransaction(
      { type: 'expense', date: '2026-01-10', accountId: 'rub', amount: '1.00', ...input },
      { ...ctx, ...context },
    );
  } catch (err) {
    assert.ok(err instanceof AppError);
    return { status: err.status, message: err.message };
  }
  assert.fail('expected a failure');
}

describe('transaction rules', () => {
  it('the day of an instant is the day in the user time zone', () => {
    const cases: [string, string, string][] = [
      ['2026-01-31T20:30:00Z', 'Europe/Moscow', '2026-01-31'],
      ['2026-01-31T21:00:00Z', 'Europe/Moscow', '2026-02-01'],
      ['2026-01-31T20:30:00Z', 'Asia/Vladivostok', '2026-02-01'],
      ['2026-03-01T02:00:00Z', 'America/New_York', '2026-02-28'],
      ['2026-01-31T23:30:00+03:00', 'Europe/Moscow', '2026-01-31'],
    ];
    for (const [occurredAt, timeZone, day] of cases) {
      const v = checkTransaction(
        { type: 'expense', occurredAt, accountId: 'rub', amount: '1.00' },
        { ...ctx, timeZone },
      );
      assert.equal(v.date, day, `${occurredAt} in ${timeZone}`);
    }
  });

  it('normalises amounts and transfers', () => {
    const v = checkTransaction(
      {
        type: 'transfer',
        date: '2026-01-10',
        accountId: 'rub',
        toAccountId: 'rub2',
        amount: '5',
        description: '  x ',
      },
      ctx,
    );
    assert.deepEqual([v.amount, v.amountReceived, v.categoryId, v.description], ['5.00', '5.00', null, 'x']);
    const fx = checkTransaction(
      {
        type: 'transfer',
        date: '2026-01-10',
        accountId: 'rub',
        toAccountId: 'usd',
        amount: '9000',
        amountReceived: '100.5',
      },
      ctx,
    );
    assert.deepEqual([fx.amountReceived, fx.currency, fx.toCurrency], ['100.50', 'RUB', 'USD']);
  });

  it('an edit keeps the stored amounts only while their currencies stay', () => {
    const stored = {
      accountIds: new Set(['rub', 'usd']),
      categoryId: null,
      currency: 'RUB',
      toCurrency: 'USD',
      amountReceived: '99.00',
      amountGiven: false,
    };
    const transfer = { type: 'transfer', date: '2026-01-10', accountId: 'rub', amount: '9000' } as const;
    const kept = checkTransaction({ ...transfer, toAccountId: 'usd' }, { ...ctx, kept: stored });
    assert.equal(kept.amountReceived, '99.00');
    // RUB → RUB edited into RUB → USD: the received amount must be given, never taken over.
    const sameCurrency = { ...stored, toCurrency: 'RUB', amountReceived: '9000.00' };
    const moved = failure({ ...transfer, toAccountId: 'usd' }, { kept: sameCurrency });
    assert.deepEqual(moved, {
      status: 422,
      message: 'amountReceived: is required for a transfer from RUB to USD',
    });
    const given = checkTransaction(
      { ...transfer, toAccountId: 'usd', amountReceived: '100' },
      { ...ctx, kept: sameCurrency },
    );
    assert.equal(given.amountReceived, '100.00');
    // An expense moved to a dollar account keeps no rouble amount unless the amount is given again.
    const expense = { ...stored, toCurrency: null, amountReceived: null };
    assert.equal(failure({ accountId: 'usd' }, { kept: expense }).message.split(':')[0], 'amount');
    const regiven = checkTransaction(
      { type: 'expense', date: '2026-01-10', accountId: 'usd', amount: '12' },
      { ...ctx, kept: { ...expense, amountGiven: true } },
    );
    assert.deepEqual([regiven.amount, regiven.currency], ['12.00', 'USD']);
  });

  it('names the field of every broken rule', () => {
    const cases: [Partial<TransactionInput>, number, string][] = [
      [{ amount: '0.00' }, 422, 'amount'],
      [{ amount: '-1.00' }, 422, 'amount'],
      [{ date: undefined }, 422, 'date'],
      [{ occurredAt: '2026-01-10T21:00:00Z' }, 422, 'date'],
      [{ accountId: 'nope' }, 404, 'accountId'],
      [{ accountId: 'old' }, 422, 'accountId'],
      [{ categoryId: 'salary' }, 422, 'categoryId'],
      [{ categoryId: 'gone' }, 422, 'categoryId'],
      [{ categoryId: 'nope' }, 404, 'categoryId'],
      [{ toAccountId: 'rub2' }, 422, 'toAccountId'],
      [{ amountReceived: '1.00' }, 422, 'amountReceived'],
      [{ type: 'transfer' }, 422, 'toAccountId'],
      [{ type: 'transfer', toAccountId: 'rub' }, 422, 'toAccountId'],
      [{ type: 'transfer', toAccountId: 'old' }, 422, 'toAccountId'],
      [{ type: 'transfer', toAccountId: 'nope' }, 404, 'toAccountId'],
      [{ type: 'transfer', toAccountId: 'usd' }, 422, 'amountReceived'],
      [{ type: 'transfer', toAccountId: 'usd', amountReceived: '0' }, 422, 'amountReceived'],
      [{ type: 'transfer', toAccountId: 'rub2', amountReceived: '1.01' }, 422, 'amountReceived'],
      [{ type: 'transfer', toAccountId: 'rub2', categoryId: 'food' }, 422, 'categoryId'],
    ];
    for (const [input, status, field] of cases) {
      const f = failure(input);
      assert.equal(f.status, status, JSON.stringify(input));
      assert.ok(f.message.startsWith(`${field}:`), `${JSON.stringify(input)} → ${f.message}`);
    }
    assert.ok(failure({ amount: '0' }, { prefix: 'items.7.' }).message.startsWith('items.7.amount:'));
  });

  it('an edit may keep an archived account or a deleted category it already has', () => {
    const kept = {
      accountIds: new Set(['old']),
      categoryId: 'gone',
      currency: 'RUB',
      toCurrency: null,
      amountReceived: null,
      amountGiven: false,
    };
    const v = checkTransaction(
      { type: 'expense', date: '2026-01-10', accountId: 'old', categoryId: 'gone', amount: '1.00' },
      { ...ctx, kept },
    );
    assert.deepEqual([v.accountId, v.categoryId], ['old', 'gone']);
  });
});
