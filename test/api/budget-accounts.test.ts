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

describe('budget accounts', () => {
  let t: TestApp;
  let c: Client;
  before(async () => {
    t = await buildTestApp();
    c = await newClient(t.app);
  });
  after(() => t.close());

  it('opens accounts of every kind; currency defaults to the base currency', async () => {
    for (const kind of ['cash', 'card', 'savings', 'deposit', 'credit_card']) {
      const res = await c.post('/api/budget/accounts', { name: `  ${kind} account `, kind });
      assert.equal(res.status, 201);
      assert.equal(res.body.name, `${kind} account`);
      assert.equal(res.body.currency, 'RUB');
      assert.equal(res.body.balance, '0.00');
      assert.equal(res.body.archived, false);
    }
    const usd = await c.post('/api/budget/accounts', {
      name: 'Доллары',
      kind: 'cash',
      currency: 'USD',
      openingBalance: '-12.30',
    });
    assert.equal(usd.status, 201);
    assert.deepEqual(
      [usd.body.currency, usd.body.openingBalance, usd.body.balance],
      ['USD', '-12.30', '-12.30'],
    );
  });

  it('rejects a bad kind, currency, name, opening balance or unknown field with 422 naming it', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', kind: 'wallet' }, 'kind'],
      [{ name: 'x', kind: 'cash', currency: 'rub' }, 'currency'],
      [{ name: '   ', kind: 'cash' }, 'name'],
      [{ name: 'x', kind: 'cash', openingBalance: '1.001' }, 'openingBalance'],
      [{ name: 'x', kind: 'cash', openingBalance: 5 }, 'openingBalance'],
      [{ name: 'x', kind: 'cash', balance: '100.00' }, 'balance'],
    ];
    const before = (await c.get('/api/budget/accounts?includeArchived=true')).body.length;
    for (const [body, field] of cases) {
      const res = await c.post('/api/budget/accounts', body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      assert.equal(res.body.error.details.fields[0].field, field);
    }
    assert.equal((await c.get('/api/budget/accounts?includeArchived=true')).body.length, before);
  });

  it('balance = opening + income − expense ± transfers, in every listing', async () => {
    const u = await newClient(t.app);
    const card = await openAccount(u, { name: 'Карта', openingBalance: '1000.00' });
    const cash = await openAccount(u, { name: 'Наличные', kind: 'cash' });
    await addTransaction(u, { type: 'income', date: '2026-03-01', accountId: card, amount: '50000.00' });
    await addTransaction(u, {
      type: 'expense',
      date: '2026-03-02',
      accountId: card,
      amount: '1234.56',
      categoryId: await categoryId(u, 'Супермаркеты'),
    });
    await addTransaction(u, {
      type: 'transfer',
      date: '2026-03-03',
      accountId: card,
      toAccountId: cash,
      amount: '5000',
    });
    const list = (await u.get('/api/budget/accounts')).body as {
      id: string;
      balance: string;
      transactionCount: number;
    }[];
    assert.deepEqual(
      list.map((a) => [a.id, a.balance, a.transactionCount]),
      [
        [card, '44765.44', 3],
        [cash, '5000.00', 1],
      ],
    );
    assert.equal(await balanceOf(u, card), '44765.44');
  });

  it('an account with transactions is archived, never deleted; an empty one is deleted', async () => {
    const u = await newClient(t.app);
    const used = await openAccount(u, { name: 'Старая карта', openingBalance: '10.00' });
    const empty = await openAccount(u, { name: 'Пустой' });
    const tx = await addTransaction(u, {
      type: 'income',
      date: '2026-02-01',
      accountId: used,
      amount: '5.00',
    });

    const refused = await u.del(`/api/budget/accounts/${used}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'ACCOUNT_HAS_TRANSACTIONS');
    assert.match(refused.body.error.message, /archive/);
    assert.equal((await u.get(`/api/budget/transactions/${tx.id}`)).status, 200, 'history is intact');

    const archived = await u.patch(`/api/budget/accounts/${used}`, { archived: true });
    assert.equal(archived.status, 200);
    assert.equal(archived.body.archived, true);
    assert.equal(archived.body.balance, '15.00');
    const active = ((await u.get('/api/budget/accounts')).body as { id: string }[]).map((a) => a.id);
    assert.deepEqual(active, [empty]);
    const all = ((await u.get('/api/budget/accounts?includeArchived=true')).body as { id: string }[]).map(
      (a) => a.id,
    );
    assert.deepEqual(all, [empty, used]);

    // New transactions do not go to an archived account.
    const onArchived = await u.post('/api/budget/transactions', {
      type: 'expense',
      date: '2026-02-02',
      accountId: used,
      amount: '1.00',
    });
    assert.equal(onArchived.status, 422);
    assert.equal(onArchived.body.error.details.fields[0].field, 'accountId');

    assert.equal((await u.del(`/api/budget/accounts/${empty}`)).status, 204);
    assert.equal((await u.get(`/api/budget/accounts/${empty}`)).status, 404);
  });

  it('renames and changes the opening balance; the currency is locked once there are transactions', async () => {
    const u = await newClient(t.app);
    const acc = await openAccount(u, { name: 'Карта' });
    const renamed = await u.patch(`/api/budget/accounts/${acc}`, {
      name: 'Зарплатная',
      openingBalance: '99.99',
      currency: 'EUR',
    });
    assert.equal(renamed.status, 200);
    assert.deepEqual(
      [renamed.body.name, renamed.body.balance, renamed.body.currency],
      ['Зарплатная', '99.99', 'EUR'],
    );
    await addTransaction(u, { type: 'expense', date: '2026-02-01', accountId: acc, amount: '0.99' });
    const locked = await u.patch(`/api/budget/accounts/${acc}`, { currency: 'RUB' });
    assert.equal(locked.status, 409);
    assert.equal(locked.body.error.code, 'ACCOUNT_CURRENCY_LOCKED');
    assert.equal(await balanceOf(u, acc), '99.00');
    assert.equal((await u.patch(`/api/budget/accounts/${acc}`, {})).status, 422, 'an empty patch');
  });

  it('balances stay exact through edits, deletes and concurrent writes, at any day', async () => {
    const u = await newClient(t.app);
    const ids = [
      await openAccount(u, { name: 'A', openingBalance: '100.00' }),
      await openAccount(u, { name: 'B', kind: 'savings' }),
      await openAccount(u, { name: 'C', kind: 'cash', currency: 'USD', openingBalance: '5.00' }),
    ];
    const opening: Record<string, string> = { [ids[0]!]: '100.00', [ids[1]!]: '0.00', [ids[2]!]: '5.00' };
    let seed = 42;
    const next = (n: number) => (seed = (seed * 48_271) % 2_147_483_647) % n;
    const day = () => `2026-0${1 + next(3)}-${String(1 + next(28)).padStart(2, '0')}`;
    const money = () => `${next(5000)}.${String(next(100)).padStart(2, '0')}`.replace(/^0\.00$/, '0.01');
    const made: string[] = [];
    for (let i = 0; i < 40; i++) {
      const from = ids[next(3)]!;
      const to = ids.filter((x) => x !== from)[next(2)]!;
      const kind = ['income', 'expense', 'transfer'][next(3)]!;
      const body =
        kind === 'transfer'
          ? {
              type: kind,
              date: day(),
              accountId: from,
              toAccountId: to,
              amount: money(),
              amountReceived: money(),
            }
          : { type: kind, date: day(), accountId: from, amount: money() };
      if (kind === 'transfer' && to !== ids[2] && from !== ids[2])
        delete (body as { amountReceived?: string }).amountReceived;
      made.push((await addTransaction(u, body)).id);
    }
    for (let i = 0; i < 15; i++) {
      const id = made[next(made.length)]!;
      const change = [{ amount: money() }, { date: day() }, { type: 'expense' }, { accountId: ids[next(2)] }][
        next(4)
      ]!;
      const res = await u.patch(`/api/budget/transactions/${id}`, change);
      assert.ok([200, 422].includes(res.status), JSON.stringify(res.body));
    }
    for (const id of made.splice(0, 5))
      assert.equal((await u.del(`/api/budget/transactions/${id}`)).status, 204);
    // Concurrent writes to one account: every one counts.
    const parallel = await Promise.all(
      Array.from({ length: 12 }, () =>
        u.post('/api/budget/transactions', {
          type: 'expense',
          date: '2026-02-14',
          accountId: ids[0],
          amount: '0.01',
        }),
      ),
    );
    assert.ok(parallel.every((r) => r.status === 201));

    const all = (await u.get('/api/budget/transactions?limit=200')).body.items as {
      type: string;
      date: string;
      accountId: string;
      toAccountId: string | null;
      amount: string;
      amountReceived: string | null;
    }[];
    const expected = (before?: string) => {
      const total = new Map(ids.map((id) => [id, dec(opening[id]!)]));
      for (const x of all) {
        if (before !== undefined && x.date >= before) continue;
        const sign = x.type === 'income' ? 1 : -1;
        total.set(x.accountId, total.get(x.accountId)!.plus(dec(x.amount).times(sign)));
        if (x.toAccountId) total.set(x.toAccountId, total.get(x.toAccountId)!.plus(x.amountReceived!));
      }
      return ids.map((id) => total.get(id)!.toFixed(2));
    };
    const listed = (await u.get('/api/budget/accounts')).body as { balance: string }[];
    assert.deepEqual(
      listed.map((a) => a.balance),
      expected(),
    );
    for (const [query, before] of [
      ['month=2026-01', '2026-02-01'],
      ['month=2026-02', '2026-03-01'],
      ['dateFrom=2026-02-01&dateTo=2026-02-13', '2026-02-14'],
      ['dateFrom=2026-01-05&dateTo=2026-03-20', '2026-03-21'],
    ] as const) {
      const summary = (await u.get(`/api/budget/summary/month?${query}`)).body as {
        accounts: { balance: string }[];
      };
      assert.deepEqual(
        summary.accounts.map((a) => a.balance),
        expected(before),
        query,
      );
    }
    // The month series (kept per account and month) agree with the month totals (summed from the transactions).
    for (const currency of ['RUB', 'USD']) {
      const charts = (await u.get(`/api/budget/summary/charts?month=2026-03&currency=${currency}`)).body as {
        months: { month: string; income: string; expense: string }[];
      };
      for (const month of ['2026-01', '2026-02', '2026-03']) {
        const totals = (await u.get(`/api/budget/summary/month?month=${month}`)).body.totals as {
          currency: string;
          income: string;
          expense: string;
        }[];
        const row = totals.find((x) => x.currency === currency) ?? { income: '0.00', expense: '0.00' };
        const series = charts.months.find((x) => x.month === month);
        assert.deepEqual(series, { month, income: row.income, expense: row.expense }, `${currency} ${month}`);
      }
    }
  });
});
