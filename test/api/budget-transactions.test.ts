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
  type Reply,
} from '../support/budget.js';

describe('budget transactions', () => {
  let t: TestApp;
  let c: Client;
  let card: string;
  let cash: string;
  let usd: string;
  let food: string;
  let salary: string;
  before(async () => {
    t = await buildTestApp();
    c = await newClient(t.app);
    card = await openAccount(c, { name: 'Карта', openingBalance: '10000.00' });
    cash = await openAccount(c, { name: 'Наличные', kind: 'cash' });
    usd = await openAccount(c, { name: 'Доллары', kind: 'savings', currency: 'USD' });
    food = await categoryId(c, 'Супермаркеты');
    salary = await categoryId(c, 'Зарплата');
  });
  after(() => t.close());

  it('bad money is a 422 naming the field and nothing is stored', async () => {
    const u = await newClient(t.app);
    const acc = await openAccount(u, { name: 'Карта' });
    const bad: unknown[] = [
      '1e3',
      '1,5',
      'NaN',
      '1.005',
      12.5,
      '',
      ' 1.00',
      '+1.00',
      '0x10',
      'Infinity',
      '0',
      '0.00',
      '-5.00',
    ];
    for (const amount of bad) {
      const res = await u.post('/api/budget/transactions', {
        type: 'expense',
        date: '2026-01-10',
        accountId: acc,
        amount,
      });
      assert.equal(res.status, 422, `amount ${JSON.stringify(amount)}`);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      assert.equal(res.body.error.details.fields[0].field, 'amount', `amount ${JSON.stringify(amount)}`);
    }
    const transfer = await u.post('/api/budget/transactions', {
      type: 'transfer',
      date: '2026-01-10',
      accountId: acc,
      toAccountId: await openAccount(u, { name: 'USD', currency: 'USD' }),
      amount: '100.00',
      amountReceived: '1.234',
    });
    assert.equal(transfer.status, 422);
    assert.equal(transfer.body.error.details.fields[0].field, 'amountReceived');
    assert.equal((await u.get('/api/budget/transactions')).body.total, 0);
    assert.equal(await balanceOf(u, acc), '0.00');
  });

  it('checks the shape: category of the right kind, transfers between two own accounts', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { type: 'expense', date: '2026-01-10', accountId: card, amount: '1.00', categoryId: salary },
        'categoryId',
      ],
      [
        { type: 'income', date: '2026-01-10', accountId: card, amount: '1.00', categoryId: food },
        'categoryId',
      ],
      [{ type: 'transfer', date: '2026-01-10', accountId: card, amount: '1.00' }, 'toAccountId'],
      [
        { type: 'transfer', date: '2026-01-10', accountId: card, toAccountId: card, amount: '1.00' },
        'toAccountId',
      ],
      [
        {
          type: 'transfer',
          date: '2026-01-10',
          accountId: card,
          toAccountId: cash,
          amount: '1.00',
          categoryId: food,
        },
        'categoryId',
      ],
      [
        { type: 'transfer', date: '2026-01-10', accountId: card, toAccountId: usd, amount: '100.00' },
        'amountReceived',
      ],
      [
        {
          type: 'transfer',
          date: '2026-01-10',
          accountId: card,
          toAccountId: cash,
          amount: '1.00',
          amountReceived: '2.00',
        },
        'amountReceived',
      ],
      [
        { type: 'expense', date: '2026-01-10', accountId: card, toAccountId: cash, amount: '1.00' },
        'toAccountId',
      ],
      [{ type: 'expense', accountId: card, amount: '1.00' }, 'date'],
      [{ type: 'expense', date: '2026-02-30', accountId: card, amount: '1.00' }, 'date'],
      [
        {
          type: 'expense',
          date: '2026-01-10',
          occurredAt: '2026-01-11T12:00:00Z',
          accountId: card,
          amount: '1.00',
        },
        'date',
      ],
      [{ type: 'refund', date: '2026-01-10', accountId: card, amount: '1.00' }, 'type'],
      [
        { type: 'expense', date: '2026-01-10', accountId: card, amount: '1.00', userId: c.session.user.id },
        'userId',
      ],
      [
        {
          type: 'expense',
          date: '2026-01-10',
          accountId: card,
          amount: '1.00',
          description: 'x'.repeat(501),
        },
        'description',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await c.post('/api/budget/transactions', body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.error.details.fields[0].field, field, JSON.stringify(res.body));
    }
    assert.equal((await c.get('/api/budget/transactions')).body.total, 0);
  });

  it('transfers move both balances, across currencies with the amount received', async () => {
    const u = await newClient(t.app);
    const rub = await openAccount(u, { name: 'Карта', openingBalance: '100000.00' });
    const rub2 = await openAccount(u, { name: 'Накопительный', kind: 'savings' });
    const dollars = await openAccount(u, {
      name: 'USD',
      kind: 'cash',
      currency: 'USD',
      openingBalance: '10.00',
    });
    const same = await addTransaction(u, {
      type: 'transfer',
      date: '2026-05-01',
      accountId: rub,
      toAccountId: rub2,
      amount: '25000.50',
    });
    assert.equal(same.body.amountReceived, '25000.50');
    const fx = await addTransaction(u, {
      type: 'transfer',
      date: '2026-05-02',
      accountId: rub,
      toAccountId: dollars,
      amount: '9250.00',
      amountReceived: '100.00',
    });
    assert.deepEqual([fx.body.currency, fx.body.toCurrency], ['RUB', 'USD']);
    assert.equal(await balanceOf(u, rub), '65749.50');
    assert.equal(await balanceOf(u, rub2), '25000.50');
    assert.equal(await balanceOf(u, dollars), '110.00');

    // Editing the amount of a cross-currency transfer keeps what was received; deleting undoes both legs.
    const edited = await u.patch(`/api/budget/transactions/${fx.id}`, { amount: '9000.00' });
    assert.equal(edited.status, 200);
    assert.deepEqual([edited.body.amount, edited.body.amountReceived], ['9000.00', '100.00']);
    assert.equal(await balanceOf(u, rub), '65999.50');
    assert.equal((await u.del(`/api/budget/transactions/${fx.id}`)).status, 204);
    assert.equal(await balanceOf(u, rub), '74999.50');
    assert.equal(await balanceOf(u, dollars), '10.00');
    assert.equal((await u.get(`/api/budget/transactions/${fx.id}`)).status, 404);
  });

  it('edits: changing the type drops what does not fit; the day follows an instant in the user time zone', async () => {
    const u = await newClient(t.app);
    const a = await openAccount(u, { name: 'A' });
    const b = await openAccount(u, { name: 'B' });
    const tx = await addTransaction(u, {
      type: 'expense',
      date: '2026-06-10',
      accountId: a,
      amount: '100.00',
      categoryId: await categoryId(u, 'Кафе'),
      description: 'обед',
    });
    const toTransfer = await u.patch(`/api/budget/transactions/${tx.id}`, {
      type: 'transfer',
      toAccountId: b,
    });
    assert.equal(toTransfer.status, 200);
    assert.deepEqual(
      [
        toTransfer.body.type,
        toTransfer.body.categoryId,
        toTransfer.body.toAccountId,
        toTransfer.body.amountReceived,
      ],
      ['transfer', null, b, '100.00'],
    );
    assert.equal(await balanceOf(u, b), '100.00');
    const back = await u.patch(`/api/budget/transactions/${tx.id}`, { type: 'income' });
    assert.deepEqual(
      [back.body.type, back.body.toAccountId, back.body.amountReceived],
      ['income', null, null],
    );
    assert.equal(await balanceOf(u, a), '100.00');

    // Moscow is UTC+3: 21:15 UTC on 30 June is already 1 July there.
    const moved = await u.patch(`/api/budget/transactions/${tx.id}`, { occurredAt: '2026-06-30T21:15:00Z' });
    assert.deepEqual([moved.body.date, moved.body.occurredAt], ['2026-07-01', '2026-06-30T21:15:00.000Z']);
    const redated = await u.patch(`/api/budget/transactions/${tx.id}`, { date: '2026-07-05' });
    assert.deepEqual(
      [redated.body.date, redated.body.occurredAt],
      ['2026-07-05', null],
      'a new day drops the instant',
    );
    assert.equal(redated.body.description, 'обед');
    const bad = await u.patch(`/api/budget/transactions/${tx.id}`, { amount: '-1.00' });
    assert.equal(bad.status, 422);
    assert.equal((await u.get(`/api/budget/transactions/${tx.id}`)).body.amount, '100.00');
  });

  it('lists with filters, sorting and both kinds of pagination; search is literal', async () => {
    const u = await newClient(t.app);
    const a = await openAccount(u, { name: 'Карта' });
    const b = await openAccount(u, { name: 'Наличные', kind: 'cash' });
    const cafe = await categoryId(u, 'Кафе');
    const groceries = await categoryId(u, 'Супермаркеты');
    const foodGroup = (await u.get(`/api/budget/categories/${groceries}`)).body.parentId;
    const items = [
      {
        type: 'expense',
        date: '2026-03-01',
        accountId: a,
        amount: '10.00',
        categoryId: cafe,
        description: 'кофе 100%',
      },
      {
        type: 'expense',
        date: '2026-03-01',
        accountId: a,
        amount: '250.00',
        categoryId: groceries,
        description: 'Пятёрочка',
      },
      {
        type: 'expense',
        date: '2026-03-15',
        accountId: b,
        amount: '99.99',
        categoryId: groceries,
        description: 'рынок_овощи',
      },
      { type: 'income', date: '2026-03-31', accountId: a, amount: '1000.00', description: 'возврат' },
      {
        type: 'transfer',
        date: '2026-04-01',
        accountId: a,
        toAccountId: b,
        amount: '500.00',
        description: 'в кошелёк',
      },
      { type: 'expense', date: '2026-02-28', accountId: b, amount: '5.00', description: 'кофейня' },
    ];
    const created = await u.post('/api/budget/transactions/bulk', { items });
    assert.equal(created.status, 201);
    const list = async (query: string): Promise<Reply['body']> =>
      (await u.get(`/api/budget/transactions?${query}`)).body;
    const amounts = (body: { items: { amount: string }[] }) => body.items.map((x) => x.amount);

    assert.deepEqual(
      amounts(await list('')),
      ['500.00', '1000.00', '99.99', '250.00', '10.00', '5.00'],
      'newest first, same day in entry order',
    );
    assert.deepEqual(
      amounts(await list('dateFrom=2026-03-01&dateTo=2026-03-31')),
      ['1000.00', '99.99', '250.00', '10.00'],
      'the last day is included',
    );
    assert.deepEqual(
      amounts(await list(`accountId=${b}`)),
      ['500.00', '99.99', '5.00'],
      'either side of a transfer',
    );
    assert.deepEqual(
      amounts(await list(`categoryId=${foodGroup}`)),
      ['99.99', '250.00'],
      'a group includes its categories',
    );
    assert.deepEqual(amounts(await list('type=income')), ['1000.00']);
    assert.deepEqual(amounts(await list('amountMin=10.00&amountMax=250.00&sort=amount&order=asc')), [
      '10.00',
      '99.99',
      '250.00',
    ]);
    assert.deepEqual(amounts(await list('q=%25')), ['10.00'], '% matches only a literal %');
    assert.deepEqual(amounts(await list('q=_')), ['99.99'], '_ matches only a literal _');
    assert.deepEqual(amounts(await list('q=КОФЕ')), ['10.00', '5.00'], 'case-insensitive');
    assert.deepEqual(amounts(await list('q=кафе')), ['10.00'], 'category names are searched too');

    // Cursor pages walk everything once, in order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { amount: string }[]; total: number; nextCursor: string | null } = await list(
        `sort=amount&order=desc&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(page.total, 6);
      seen.push(...amounts(page));
      cursor = page.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(seen, ['1000.00', '500.00', '250.00', '99.99', '10.00', '5.00']);
    const page2 = await list('limit=4&page=2');
    assert.deepEqual([amounts(page2), page2.page, page2.total], [['10.00', '5.00'], 2, 6]);
    const beyond = await list('limit=4&page=3');
    assert.deepEqual([amounts(beyond), beyond.total], [[], 6], 'a page past the end still counts all');

    const wrong = await u.get(
      `/api/budget/transactions?sort=date&cursor=${(await list('sort=amount&limit=1')).nextCursor}`,
    );
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.details.fields[0].field, 'cursor');
    for (const [query, field] of [
      ['limit=201', 'limit'],
      ['dateFrom=2026-03-02&dateTo=2026-03-01', 'dateTo'],
      ['amountMin=1e3', 'amountMin'],
      ['sort=name', 'sort'],
      ['cursor=abc&page=1', 'page'],
    ]) {
      const res = await u.get(`/api/budget/transactions?${query}`);
      assert.equal(res.status, 422, query);
      assert.equal(res.body.error.details.fields[0].field, field, query);
    }
  });

  it('bulk is all or nothing and names the failing item', async () => {
    const u = await newClient(t.app);
    const a = await openAccount(u, { name: 'Карта' });
    const good = { type: 'expense', date: '2026-01-01', accountId: a, amount: '1.00' };
    const badAmount = await u.post('/api/budget/transactions/bulk', {
      items: [good, good, { ...good, amount: '1.005' }],
    });
    assert.equal(badAmount.status, 422);
    assert.equal(badAmount.body.error.details.fields[0].field, 'items.2.amount');
    const badRef = await u.post('/api/budget/transactions/bulk', {
      items: [good, { ...good, accountId: '00000000-0000-4000-8000-000000000000' }],
    });
    assert.equal(badRef.status, 404);
    assert.equal(badRef.body.error.details.field, 'items.1.accountId');
    const badRule = await u.post('/api/budget/transactions/bulk', {
      items: [good, good, good, { ...good, type: 'transfer' }],
    });
    assert.equal(badRule.status, 422);
    assert.equal(badRule.body.error.details.fields[0].field, 'items.3.toAccountId');
    assert.equal((await u.get('/api/budget/transactions')).body.total, 0, 'nothing stored');
    const tooMany = await u.post('/api/budget/transactions/bulk', {
      items: Array.from({ length: 1001 }, () => good),
    });
    assert.equal(tooMany.status, 422);
    assert.equal((await u.post('/api/budget/transactions/bulk', { items: [] })).status, 422);
    const ok = await u.post('/api/budget/transactions/bulk', { items: [good, good] });
    assert.deepEqual([ok.status, ok.body.created, ok.body.ids.length], [201, 2, 2]);
    assert.equal(await balanceOf(u, a), '-2.00');
  });
});
