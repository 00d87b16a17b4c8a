import type { Decimal } from '../../src/common/decimal.js';
import { dec } from '../../src/common/decimal.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.js';
import { addTransaction, balanceOf, categoryId, newClient, openAccount } from '../support/budget.js';

/** Deterministic amounts 0.01–999.99 (a linear congruential generator, so every run sees the same data). */
function* amounts(seed: number): Generator<string> {
  let x = seed;
  for (;;) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    const kopecks = (x % 99_999) + 1;
    yield `${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}`;
  }
}

describe('budget summaries', () => {
  let t: TestApp;
  before(async () => {
    // A fixed clock: 2026-01-31 23:30 in Moscow is 20:30 UTC.
    t = await buildTestApp({ deps: { now: () => new Date('2026-01-31T20:30:00Z') } });
  });
  after(() => t.close());

  it('sums 10 000 transactions of 0.01–999.99 exactly to the kopeck', async () => {
    const u = await newClient(t.app);
    const acc = await openAccount(u, { name: 'Карта', openingBalance: '0.01' });
    const cats = [
      await categoryId(u, 'Супермаркеты'),
      await categoryId(u, 'Кафе'),
      await categoryId(u, 'Такси'),
    ];
    const gen = amounts(20_260_131);
    const expected = {
      income: dec(0),
      expense: dec(0),
      byDay: new Map<string, Decimal>(),
      byCat: new Map<string, Decimal>(),
    };
    const all = Array.from({ length: 10_000 }, (_, i) => {
      const amount = gen.next().value as string;
      const date = `2026-03-${String((i % 31) + 1).padStart(2, '0')}`;
      if (i % 5 === 0) {
        expected.income = expected.income.plus(amount);
        return { type: 'income', date, accountId: acc, amount };
      }
      const categoryId = cats[i % 3]!;
      expected.expense = expected.expense.plus(amount);
      expected.byDay.set(date, (expected.byDay.get(date) ?? dec(0)).plus(amount));
      expected.byCat.set(categoryId, (expected.byCat.get(categoryId) ?? dec(0)).plus(amount));
      return { type: 'expense', date, accountId: acc, amount, categoryId };
    });
    for (let i = 0; i < all.length; i += 1000) {
      const res = await u.post('/api/budget/transactions/bulk', { items: all.slice(i, i + 1000) });
      assert.equal(res.status, 201);
    }

    const month = (await u.get('/api/budget/summary/month?month=2026-03')).body;
    const rub = month.totals[0];
    assert.equal(rub.income, expected.income.toFixed(2));
    assert.equal(rub.expense, expected.expense.toFixed(2));
    assert.equal(rub.net, expected.income.minus(expected.expense).toFixed(2));
    assert.equal(rub.transactionCount, 10_000);
    assert.deepEqual(month.base, {
      currency: 'RUB',
      income: rub.income,
      expense: rub.expense,
      net: rub.net,
      savingsFlow: '0.00',
      conversions: [],
    });
    const balance = expected.income.minus(expected.expense).plus('0.01').toFixed(2);
    assert.equal(month.accounts[0].balance, balance);
    assert.equal(await balanceOf(u, acc), balance);

    const charts = (await u.get('/api/budget/summary/charts?month=2026-03')).body;
    for (const day of charts.byDay)
      assert.equal(day.expense, (expected.byDay.get(day.date) ?? dec(0)).toFixed(2), day.date);
    for (const slice of charts.byCategory.expense)
      assert.equal(slice.amount, expected.byCat.get(slice.categoryId)!.toFixed(2));
    const march = (charts.months as { month: string }[]).find((m) => m.month === '2026-03');
    assert.deepEqual(march, { month: '2026-03', income: rub.income, expense: rub.expense });

    const year = (await u.get('/api/budget/summary/year?year=2026')).body;
    assert.equal(year.currencies[0].expense, expected.expense.toFixed(2));
    assert.equal(year.currencies[0].months[2].net, rub.net);
    const page = (await u.get('/api/budget/transactions?dateFrom=2026-03-31&dateTo=2026-03-31&limit=1')).body;
    assert.equal(page.total, all.filter((x) => x.date === '2026-03-31').length);
  });

  it('23:30 on the last day of the month in Moscow counts in that month', async () => {
    const u = await newClient(t.app);
    const acc = await openAccount(u, { name: 'Карта' });
    const tx = await addTransaction(u, {
      type: 'expense',
      occurredAt: '2026-01-31T20:30:00Z', // 23:30 in Moscow, UTC+3
      accountId: acc,
      amount: '1500.00',
      categoryId: await categoryId(u, 'Кафе'),
    });
    assert.equal(tx.body.date, '2026-01-31');
    const jan = (await u.get('/api/budget/summary/month?month=2026-01')).body;
    assert.equal(jan.totals[0].expense, '1500.00');
    const feb = (await u.get('/api/budget/summary/month?month=2026-02')).body;
    assert.deepEqual(feb.totals, []);
    // Without a month the report is the user's current month (the clock says 31 January in Moscow).
    const current = (await u.get('/api/budget/summary/month')).body;
    assert.deepEqual(current.period, { month: '2026-01', dateFrom: '2026-01-01', dateTo: '2026-01-31' });
    const charts = (await u.get('/api/budget/summary/charts')).body;
    assert.equal(charts.byDay.length, 31);
    assert.deepEqual(charts.byDay[30], { date: '2026-01-31', income: '0.00', expense: '1500.00' });
    assert.deepEqual(charts.months[11], { month: '2026-01', income: '0.00', expense: '1500.00' });
    assert.equal(charts.months[0].month, '2025-02');
    const list = (await u.get('/api/budget/transactions?dateFrom=2026-01-31&dateTo=2026-01-31')).body;
    assert.equal(list.total, 1, 'the last day of a range is included');

    // A user in Vladivostok (UTC+10) lives the same instant on 1 February.
    const far = await newClient(t.app);
    assert.equal((await far.patch('/api/users/me', { timeZone: 'Asia/Vladivostok' })).status, 200);
    const farTx = await addTransaction(far, {
      type: 'expense',
      occurredAt: '2026-01-31T20:30:00Z',
      accountId: await openAccount(far, { name: 'Карта' }),
      amount: '1.00',
    });
    assert.equal(farTx.body.date, '2026-02-01');
    const farMonth = (await far.get('/api/budget/summary/month')).body;
    assert.equal(farMonth.period.month, '2026-02', "Vladivostok's current month");

    // Moving to Moscow takes effect at the next request.
    assert.equal((await far.patch('/api/users/me', { timeZone: 'Europe/Moscow' })).status, 200);
    assert.equal((await far.get('/api/budget/summary/month')).body.period.month, '2026-01');
  });

  it('transfers move balances of both accounts and are neither income nor expense', async () => {
    const u = await newClient(t.app);
    const card = await openAccount(u, { name: 'Карта', openingBalance: '50000.00' });
    const savings = await openAccount(u, { name: 'Копилка', kind: 'savings' });
    await addTransaction(u, {
      type: 'income',
      date: '2026-02-05',
      accountId: card,
      amount: '80000.00',
      categoryId: await categoryId(u, 'Зарплата'),
    });
    await addTransaction(u, {
      type: 'expense',
      date: '2026-02-06',
      accountId: card,
      amount: '12345.67',
      categoryId: await categoryId(u, 'Аренда'),
    });
    await addTransaction(u, {
      type: 'transfer',
      date: '2026-02-07',
      accountId: card,
      toAccountId: savings,
      amount: '30000.00',
    });
    await addTransaction(u, {
      type: 'transfer',
      date: '2026-02-20',
      accountId: savings,
      toAccountId: card,
      amount: '1000.00',
    });
    await addTransaction(u, {
      type: 'transfer',
      date: '2026-03-01',
      accountId: card,
      toAccountId: savings,
      amount: '7.00',
    });

    const feb = (await u.get('/api/budget/summary/month?month=2026-02')).body;
    assert.deepEqual(feb.totals, [
      {
        currency: 'RUB',
        income: '80000.00',
        expense: '12345.67',
        net: '67654.33',
        savingsRate: '84.6',
        savingsFlow: '29000.00',
        transactionCount: 2,
      },
    ]);
    assert.deepEqual(
      (feb.accounts as { name: string; balance: string }[]).map((a) => [a.name, a.balance]),
      [
        ['Карта', '88654.33'],
        ['Копилка', '29000.00'],
      ],
      'balances at the end of February, before the March transfer',
    );
    assert.deepEqual(feb.balances, [{ currency: 'RUB', total: '117654.33' }]);
    const charts = (await u.get('/api/budget/summary/charts?month=2026-02')).body;
    assert.deepEqual(
      (charts.byCategory.expense as { name: string; amount: string }[]).map((s) => [s.name, s.amount]),
      [['Аренда', '12345.67']],
    );
    assert.deepEqual(
      (charts.byGroup.expense as { name: string }[]).map((s) => s.name),
      ['Жильё'],
    );
    assert.equal(await balanceOf(u, card), '88647.33');
    assert.equal(await balanceOf(u, savings), '29007.00');
  });

  it('a period that cuts months at both ends counts only its own days, with balances at its last day', async () => {
    const u = await newClient(t.app);
    const card = await openAccount(u, { name: 'Карта', openingBalance: '1000.00' });
    const savings = await openAccount(u, { name: 'Вклад', kind: 'deposit' });
    const food = await categoryId(u, 'Продукты');
    const salary = await categoryId(u, 'Зарплата');
    const rows: [string, string, string, string?][] = [
      // date, type, amount, to savings?
      ['2026-03-09', 'expense', '1.01'], // before the period
      ['2026-03-10', 'income', '5000.00'],
      ['2026-03-31', 'transfer', '700.00', 'to savings'],
      ['2026-04-15', 'expense', '250.25'],
      ['2026-04-30', 'transfer', '100.00', 'to savings'],
      ['2026-05-20', 'expense', '99.99'],
      ['2026-05-21', 'expense', '0.50'], // after the period
    ];
    for (const [date, type, amount, to] of rows) {
      await addTransaction(u, {
        type,
        date,
        accountId: card,
        amount,
        ...(to === undefined ? { categoryId: type === 'income' ? salary : food } : { toAccountId: savings }),
      });
    }
    const check = async (query: string, expected: Record<string, unknown>, balances: [string, string][]) => {
      const res = await u.get(`/api/budget/summary/month?${query}`);
      assert.equal(res.status, 200, query);
      assert.deepEqual(res.body.totals, [{ currency: 'RUB', ...expected }], query);
      assert.deepEqual(
        (res.body.accounts as { name: string; balance: string }[]).map((a) => [a.name, a.balance]),
        balances,
        query,
      );
    };
    // 10 March – 20 May: two cut months around a whole April.
    await check(
      'dateFrom=2026-03-10&dateTo=2026-05-20',
      {
        income: '5000.00',
        expense: '350.24',
        net: '4649.76',
        savingsRate: '93.0',
        savingsFlow: '800.00',
        transactionCount: 3,
      },
      [
        ['Карта', '4848.75'],
        ['Вклад', '800.00'],
      ],
    );
    // 11 – 31 March: inside one month, the income on the 10th left out.
    await check(
      'dateFrom=2026-03-11&dateTo=2026-03-31',
      {
        income: '0.00',
        expense: '0.00',
        net: '0.00',
        savingsRate: null,
        savingsFlow: '700.00',
        transactionCount: 0,
      },
      [
        ['Карта', '5298.99'],
        ['Вклад', '700.00'],
      ],
    );
    // 1 April – 21 May: a whole month and a cut one.
    await check(
      'dateFrom=2026-04-01&dateTo=2026-05-21',
      {
        income: '0.00',
        expense: '350.74',
        net: '-350.74',
        savingsRate: null,
        savingsFlow: '100.00',
        transactionCount: 3,
      },
      [
        ['Карта', '4848.25'],
        ['Вклад', '800.00'],
      ],
    );
  });

  it('never adds up different currencies; without a rate the base totals are null and the currency named', async () => {
    const u = await newClient(t.app);
    const rub = await openAccount(u, { name: 'Карта' });
    const kzt = await openAccount(u, { name: 'KZT', currency: 'KZT' });
    await addTransaction(u, { type: 'income', date: '2026-04-01', accountId: rub, amount: '1000.00' });
    await addTransaction(u, { type: 'expense', date: '2026-04-02', accountId: kzt, amount: '12.34' });
    const apr = (await u.get('/api/budget/summary/month?month=2026-04')).body;
    assert.deepEqual(
      (apr.totals as { currency: string; income: string; expense: string }[]).map((x) => [
        x.currency,
        x.income,
        x.expense,
      ]),
      [
        ['RUB', '1000.00', '0.00'],
        ['KZT', '0.00', '12.34'],
      ],
    );
    // Tenge: no test stores a rate for it, and this configuration reaches no Bank of Russia.
    assert.equal(apr.base, null);
    assert.deepEqual(apr.missingRates, ['KZT']);
    assert.deepEqual(apr.balances, [
      { currency: 'RUB', total: '1000.00' },
      { currency: 'KZT', total: '-12.34' },
    ]);
    const kztCharts = (await u.get('/api/budget/summary/charts?month=2026-04&currency=KZT')).body;
    assert.deepEqual(kztCharts.currencies, ['RUB', 'KZT']);
    assert.equal(kztCharts.byGroup.expense[0].amount, '12.34');
    assert.equal(kztCharts.byGroup.expense[0].categoryId, null);
    assert.equal(kztCharts.base, null);
    assert.deepEqual(kztCharts.missingRates, ['KZT']);
    const year = (await u.get('/api/budget/summary/year?year=2026')).body;
    assert.deepEqual(
      (year.currencies as { currency: string; net: string }[]).map((x) => [x.currency, x.net]),
      [
        ['RUB', '1000.00'],
        ['KZT', '-12.34'],
      ],
    );
  });

  it('limits: spent in the category and its sub-categories against the monthly limit', async () => {
    const u = await newClient(t.app);
    const acc = await openAccount(u, { name: 'Карта' });
    const cafe = await categoryId(u, 'Кафе');
    const group = (await u.get(`/api/budget/categories/${cafe}`)).body.parentId as string;
    await u.patch(`/api/budget/categories/${group}`, { monthlyLimit: '10000.00' });
    await u.patch(`/api/budget/categories/${cafe}`, { monthlyLimit: '3000.00' });
    await addTransaction(u, {
      type: 'expense',
      date: '2026-05-03',
      accountId: acc,
      amount: '2500.00',
      categoryId: cafe,
    });
    await addTransaction(u, {
      type: 'expense',
      date: '2026-05-31',
      accountId: acc,
      amount: '1000.01',
      categoryId: cafe,
    });
    await addTransaction(u, {
      type: 'expense',
      date: '2026-05-10',
      accountId: acc,
      amount: '700.00',
      categoryId: await categoryId(u, 'Кофе'),
    });
    await addTransaction(u, {
      type: 'expense',
      date: '2026-06-01',
      accountId: acc,
      amount: '99999.00',
      categoryId: cafe,
    });
    const may = (await u.get('/api/budget/summary/month?month=2026-05')).body;
    type Limit = { name: string; spent: string; remaining: string; percent: string; over: boolean };
    const limit = (name: string) => {
      const found = (may.limits as Limit[]).find((l) => l.name === name);
      assert.ok(found, name);
      return found;
    };
    assert.deepEqual(
      { ...limit('Кафе'), color: undefined },
      {
        categoryId: cafe,
        name: 'Кафе',
        color: undefined,
        limit: '3000.00',
        spent: '3500.01',
        remaining: '-500.01',
        percent: '116.7',
        over: true,
      },
    );
    const cafes = limit('Кафе и рестораны');
    assert.deepEqual(
      [cafes.spent, cafes.remaining, cafes.percent, cafes.over],
      ['4200.01', '5799.99', '42.0', false],
    );
    const range = (await u.get('/api/budget/summary/month?dateFrom=2026-05-01&dateTo=2026-05-15')).body;
    assert.deepEqual(range.limits, [], 'limits are monthly');
    assert.equal(range.period.month, null);
  });

  it('rejects bad periods with 422 naming the field', async () => {
    const u = await newClient(t.app);
    for (const [query, field] of [
      ['month=2026-13', 'month'],
      ['month=2026-01&dateFrom=2026-01-01&dateTo=2026-01-02', 'month'],
      ['dateFrom=2026-01-01', 'dateTo'],
      ['dateFrom=2026-02-01&dateTo=2026-01-01', 'dateTo'],
      ['dateFrom=2024-01-01&dateTo=2026-01-01', 'dateTo'],
    ]) {
      const res = await u.get(`/api/budget/summary/month?${query}`);
      assert.equal(res.status, 422, query);
      assert.equal(res.body.error.details.fields[0].field, field, query);
    }
    assert.equal((await u.get('/api/budget/summary/charts?currency=usd')).status, 422);
    assert.equal((await u.get('/api/budget/summary/year?year=20x6')).status, 422);
  });
});
