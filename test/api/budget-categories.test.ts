import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.js';
import { addTransaction, categoryId, newClient, openAccount, type Client } from '../support/budget.js';

interface Category {
  id: string;
  kind: string;
  name: string;
  color: string;
  parentId: string | null;
  monthlyLimit: string | null;
  deleted: boolean;
}

describe('budget categories', () => {
  let t: TestApp;
  let c: Client;
  before(async () => {
    t = await buildTestApp();
    c = await newClient(t.app);
  });
  after(() => t.close());

  it('a new user has the default Russian set: groups followed by their categories, with colours', async () => {
    const list = (await c.get('/api/budget/categories')).body as Category[];
    const groups = list.filter((x) => x.parentId === null);
    assert.ok(groups.some((g) => g.kind === 'expense' && g.name === 'Продукты'));
    assert.ok(groups.some((g) => g.kind === 'income' && g.name === 'Работа'));
    const food = groups.find((g) => g.name === 'Продукты')!;
    const foodIndex = list.indexOf(food);
    assert.deepEqual(
      list.slice(foodIndex + 1, foodIndex + 4).map((x) => [x.name, x.parentId, x.color]),
      [
        ['Супермаркеты', food.id, food.color],
        ['Рынок', food.id, food.color],
        ['Хозтовары', food.id, food.color],
      ],
    );
    assert.ok(list.every((x) => /^#[0-9a-f]{6}$/.test(x.color)));
    const income = (await c.get('/api/budget/categories?kind=income')).body as Category[];
    assert.ok(income.length > 0 && income.every((x) => x.kind === 'income'));
    // Names are unique per kind.
    for (const kind of ['income', 'expense']) {
      const names = list.filter((x) => x.kind === kind).map((x) => x.name.toLowerCase());
      assert.equal(new Set(names).size, names.length);
    }
  });

  it('creates groups and categories (two levels, same kind) with a limit for expenses only', async () => {
    const group = await c.post('/api/budget/categories', { kind: 'expense', name: 'Дача', color: '#123456' });
    assert.equal(group.status, 201);
    const child = await c.post('/api/budget/categories', {
      kind: 'expense',
      name: 'Рассада',
      parentId: group.body.id,
      monthlyLimit: '3000.00',
    });
    assert.equal(child.status, 201);
    assert.deepEqual(
      [child.body.parentId, child.body.color, child.body.monthlyLimit],
      [group.body.id, '#123456', '3000.00'],
    );

    const third = await c.post('/api/budget/categories', {
      kind: 'expense',
      name: 'Семена',
      parentId: child.body.id,
    });
    assert.equal(third.status, 422, 'no third level');
    assert.equal(third.body.error.details.fields[0].field, 'parentId');

    const otherKind = await c.post('/api/budget/categories', {
      kind: 'income',
      name: 'Урожай',
      parentId: group.body.id,
    });
    assert.equal(otherKind.status, 422);

    const incomeLimit = await c.post('/api/budget/categories', {
      kind: 'income',
      name: 'Аренда дачи',
      monthlyLimit: '1.00',
    });
    assert.equal(incomeLimit.status, 422);
    assert.equal(incomeLimit.body.error.details.fields[0].field, 'monthlyLimit');

    const badColour = await c.post('/api/budget/categories', { kind: 'expense', name: 'x', color: 'red' });
    assert.equal(badColour.status, 422);
    assert.equal(badColour.body.error.details.fields[0].field, 'color');

    const cleared = await c.patch(`/api/budget/categories/${child.body.id}`, {
      monthlyLimit: null,
      name: 'Рассада и семена',
    });
    assert.equal(cleared.status, 200);
    assert.deepEqual([cleared.body.monthlyLimit, cleared.body.name], [null, 'Рассада и семена']);
  });

  it('names are unique per kind among active categories, ignoring case; a deleted one frees its name', async () => {
    const taken = await c.post('/api/budget/categories', { kind: 'expense', name: 'супермаркеты' });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, 'CATEGORY_NAME_TAKEN');
    const otherKind = await c.post('/api/budget/categories', { kind: 'income', name: 'Супермаркеты' });
    assert.equal(otherKind.status, 201, 'the same name is fine for the other kind');

    const id = await categoryId(c, 'Рынок');
    assert.equal((await c.patch(`/api/budget/categories/${id}`, { name: 'Супермаркеты' })).status, 409);
    assert.equal((await c.del(`/api/budget/categories/${await categoryId(c, 'Супермаркеты')}`)).status, 204);
    assert.equal((await c.patch(`/api/budget/categories/${id}`, { name: 'Супермаркеты' })).status, 200);
  });

  it('deleting keeps history: a group goes with its categories, transactions keep theirs', async () => {
    const u = await newClient(t.app);
    const acc = await openAccount(u, { name: 'Карта' });
    const taxi = await categoryId(u, 'Такси');
    const transport = (await u.get(`/api/budget/categories/${taxi}`)).body.parentId as string;
    const tx = await addTransaction(u, {
      type: 'expense',
      date: '2026-04-01',
      accountId: acc,
      categoryId: taxi,
      amount: '350.00',
    });

    assert.equal((await u.del(`/api/budget/categories/${transport}`)).status, 204);
    const active = (await u.get('/api/budget/categories')).body as Category[];
    assert.ok(!active.some((x) => x.id === transport || x.id === taxi));
    const all = (await u.get('/api/budget/categories?includeDeleted=true')).body as Category[];
    assert.equal(all.find((x) => x.id === taxi)?.deleted, true);
    assert.equal((await u.get(`/api/budget/transactions/${tx.id}`)).body.categoryId, taxi);

    // The old transaction can still be edited with its deleted category; new ones cannot use it.
    const edit = await u.patch(`/api/budget/transactions/${tx.id}`, { amount: '400.00' });
    assert.equal(edit.status, 200);
    const fresh = await u.post('/api/budget/transactions', {
      type: 'expense',
      date: '2026-04-02',
      accountId: acc,
      categoryId: taxi,
      amount: '1.00',
    });
    assert.equal(fresh.status, 422);
    assert.equal(fresh.body.error.details.fields[0].field, 'categoryId');
    assert.equal((await u.patch(`/api/budget/categories/${taxi}`, { name: 'Такси 2' })).status, 409);
    assert.equal((await u.del(`/api/budget/categories/${taxi}`)).status, 404, 'already deleted');
  });
});
