import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.js';
import { addTransaction, categoryId, newClient, openAccount, type Client } from '../support/budget.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe("budget: another user's ids are 404 on every verb", () => {
  let t: TestApp;
  let alice: Client;
  let bob: Client;
  const a = { account: '', other: '', category: '', group: '', transaction: '' };
  let bobAccount: string;
  let bobCategory: string;
  let snapshot: string;

  before(async () => {
    t = await buildTestApp();
    alice = await newClient(t.app);
    bob = await newClient(t.app);
    a.account = await openAccount(alice, { name: 'Alice card', openingBalance: '100.00' });
    a.other = await openAccount(alice, { name: 'Alice cash', kind: 'cash' });
    a.category = await categoryId(alice, 'Такси');
    a.group = (await alice.get(`/api/budget/categories/${a.category}`)).body.parentId;
    a.transaction = (
      await addTransaction(alice, {
        type: 'expense',
        date: '2026-01-10',
        accountId: a.account,
        amount: '10.00',
        categoryId: a.category,
      })
    ).id;
    bobAccount = await openAccount(bob, { name: 'Bob card' });
    bobCategory = await categoryId(bob, 'Такси');
    snapshot = await aliceData();
  });
  after(() => t.close());

  async function aliceData(): Promise<string> {
    const parts = await Promise.all([
      alice.get('/api/budget/accounts?includeArchived=true'),
      alice.get('/api/budget/categories?includeDeleted=true'),
      alice.get('/api/budget/transactions'),
    ]);
    return JSON.stringify(parts.map((p): unknown => p.body));
  }

  /** Bob asking for Alice's id gets exactly what he gets for an id that does not exist. */
  async function sameAsMissing(
    method: 'get' | 'patch' | 'del',
    path: (id: string) => string,
    id: string,
    body?: unknown,
  ) {
    const call = (x: string) => (method === 'patch' ? bob.patch(path(x), body) : bob[method](path(x)));
    const [theirs, missing] = [await call(id), await call(MISSING)];
    assert.equal(theirs.status, 404, `${method} ${path(id)}`);
    assert.deepEqual(theirs.body, missing.body);
  }

  it('accounts: GET, PATCH, DELETE', async () => {
    const path = (id: string) => `/api/budget/accounts/${id}`;
    await sameAsMissing('get', path, a.account);
    await sameAsMissing('patch', path, a.account, { name: 'mine now', archived: true });
    await sameAsMissing('del', path, a.other);
  });

  it('categories: GET, PATCH, DELETE, and as a group of a new category', async () => {
    const path = (id: string) => `/api/budget/categories/${id}`;
    await sameAsMissing('get', path, a.category);
    await sameAsMissing('patch', path, a.category, { monthlyLimit: '1.00' });
    await sameAsMissing('del', path, a.group);
    const res = await bob.post('/api/budget/categories', {
      kind: 'expense',
      name: 'Чужая',
      parentId: a.group,
    });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'CATEGORY_NOT_FOUND');
    assert.equal((await bob.patch(path(bobCategory), { parentId: a.group })).status, 404);
  });

  it('transactions: GET, PATCH, DELETE', async () => {
    const path = (id: string) => `/api/budget/transactions/${id}`;
    await sameAsMissing('get', path, a.transaction);
    await sameAsMissing('patch', path, a.transaction, { amount: '1.00' });
    await sameAsMissing('del', path, a.transaction);
  });

  it("as references in bodies: accounts, receiving accounts and categories of someone else's", async () => {
    const base = { type: 'expense', date: '2026-01-11', accountId: bobAccount, amount: '1.00' };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...base, accountId: a.account }, 'accountId', 'ACCOUNT_NOT_FOUND'],
      [{ ...base, categoryId: a.category }, 'categoryId', 'CATEGORY_NOT_FOUND'],
      [{ ...base, type: 'transfer', toAccountId: a.account }, 'toAccountId', 'ACCOUNT_NOT_FOUND'],
    ];
    for (const [body, field, code] of cases) {
      const res = await bob.post('/api/budget/transactions', body);
      assert.equal(res.status, 404, field);
      assert.deepEqual([res.body.error.code, res.body.error.details.field], [code, field]);
      const bulk = await bob.post('/api/budget/transactions/bulk', { items: [base, body] });
      assert.equal(bulk.status, 404);
      assert.equal(bulk.body.error.details.field, `items.1.${field}`);
    }
    const own = await addTransaction(bob, base);
    for (const [patch, field] of [
      [{ accountId: a.account }, 'accountId'],
      [{ categoryId: a.category }, 'categoryId'],
      [{ type: 'transfer', toAccountId: a.account }, 'toAccountId'],
    ] as const) {
      const res = await bob.patch(`/api/budget/transactions/${own.id}`, patch);
      assert.equal(res.status, 404, field);
      assert.equal(res.body.error.details.field, field);
    }
    assert.equal((await bob.get('/api/budget/transactions')).body.total, 1, 'nothing else stored');
  });

  it('as filters: listing by their account or category is a 404, not an empty page', async () => {
    for (const query of [`accountId=${a.account}`, `categoryId=${a.category}`]) {
      const res = await bob.get(`/api/budget/transactions?${query}`);
      assert.equal(res.status, 404, query);
    }
  });

  it("Alice's data is unchanged and no listing or report of Bob's shows it", async () => {
    assert.equal(await aliceData(), snapshot);
    const accounts = (await bob.get('/api/budget/accounts?includeArchived=true')).body;
    assert.deepEqual(
      (accounts as { id: string }[]).map((x) => x.id),
      [bobAccount],
    );
    const month = (await bob.get('/api/budget/summary/month?month=2026-01')).body;
    assert.equal(month.totals[0].expense, '1.00');
  });
});
