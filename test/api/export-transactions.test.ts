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
import { uploadStatement } from '../support/statements.js';

describe('transactions CSV export', () => {
  let t: TestApp;
  let c: Client;
  let card: string;
  let cash: string;
  let usd: string;
  const download = async (c: Client, query: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/budget/transactions/export${query}`,
      headers: c.session.auth,
    });
    return { status: res.statusCode, type: res.headers['content-type'], raw: res.rawPayload, text: res.body };
  };

  before(async () => {
    t = await buildTestApp();
    c = await newClient(t.app);
    assert.equal((await c.patch('/api/users/me', { timeZone: 'Asia/Novosibirsk' })).status, 200);
    card = await openAccount(c, { name: 'Карта; основная', openingBalance: '1000.00' });
    cash = await openAccount(c, { name: 'Наличные', kind: 'cash' });
    usd = await openAccount(c, { name: 'Доллары', currency: 'USD' });
    const coffee = await categoryId(c, 'Кофе');
    const salary = await categoryId(c, 'Зарплата');
    await addTransaction(c, {
      type: 'expense',
      occurredAt: '2026-01-31T18:30:00.000Z',
      accountId: card,
      categoryId: coffee,
      amount: '250.50',
      description: 'Кофе "Хауз"',
    });
    await addTransaction(c, {
      type: 'income',
      date: '2026-02-05',
      accountId: card,
      categoryId: salary,
      amount: '120000.00',
      description: '=SUM(A1)',
    });
    await addTransaction(c, {
      type: 'transfer',
      date: '2026-02-10',
      accountId: card,
      toAccountId: cash,
      amount: '5000.00',
      description: 'Снял наличные',
    });
    await addTransaction(c, {
      type: 'transfer',
      date: '2026-02-11',
      accountId: usd,
      toAccountId: card,
      amount: '100.00',
      amountReceived: '9012.34',
      description: 'Продал доллары',
    });
  });
  after(() => t.close());

  it('writes UTF-8 with a BOM, `;` and decimal commas, newest first, amounts signed from the account', async () => {
    const res = await download(c, `?accountId=${card}`);
    assert.equal(res.status, 200);
    assert.equal(res.type, 'text/csv; charset=utf-8');
    assert.deepEqual([...res.raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    assert.equal(
      lines[0],
      'Date;Time;Account;Currency;Amount;Type;Category;Description;Other account;Other amount;Other currency;Id',
    );
    const cells = lines.slice(1).map((l) => l.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/));
    assert.deepEqual(
      cells.map((x) => x.slice(0, 11)),
      [
        [
          '2026-02-11',
          '',
          '"Карта; основная"',
          'RUB',
          '9012,34',
          'transfer',
          '',
          'Продал доллары',
          'Доллары',
          '-100,00',
          'USD',
        ],
        [
          '2026-02-10',
          '',
          '"Карта; основная"',
          'RUB',
          '-5000,00',
          'transfer',
          '',
          'Снял наличные',
          'Наличные',
          '5000,00',
          'RUB',
        ],
        [
          '2026-02-05',
          '',
          '"Карта; основная"',
          'RUB',
          '120000,00',
          'income',
          'Зарплата',
          "'=SUM(A1)",
          '',
          '',
          '',
        ],
        // 18:30 UTC is 01:30 the next day in Novosibirsk.
        [
          '2026-02-01',
          '01:30:00',
          '"Карта; основная"',
          'RUB',
          '-250,50',
          'expense',
          'Кофе',
          '"Кофе ""Хауз"""',
          '',
          '',
          '',
        ],
      ],
    );
  });

  it('takes the filters of the list and `,` with decimal dots', async () => {
    const res = await download(
      c,
      `?type=transfer&dateFrom=2026-02-10&dateTo=2026-02-10&delimiter=,&decimal=dot`,
    );
    assert.equal(res.status, 200);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines[1]!,
      /^2026-02-10,,Карта; основная,RUB,-5000\.00,transfer,,Снял наличные,Наличные,5000\.00,RUB,/,
    );
    const comma = await download(c, `?type=transfer&dateFrom=2026-02-10&dateTo=2026-02-10&delimiter=,`);
    assert.match(comma.text, /,"-5000,00",transfer,/);
  });

  it('refuses bad filters and another user’s account', async () => {
    assert.equal((await download(c, '?dateFrom=2026-02-10&dateTo=2026-02-01')).status, 422);
    assert.equal((await download(c, '?delimiter=%7C')).status, 422);
    const other = await newClient(t.app);
    assert.equal((await download(other, `?accountId=${card}`)).status, 404);
    const empty = await download(other, '');
    assert.equal(empty.status, 200);
    assert.equal(empty.text.trimEnd().split('\r\n').length, 1);
  });

  it('streams thousands of rows page by page, all of them', async () => {
    const big = await openAccount(c, { name: 'Много', kind: 'cash' });
    const coffee = await categoryId(c, 'Кофе');
    for (let n = 0; n < 2; n++) {
      const items = Array.from({ length: 1000 }, (_, i) => ({
        type: 'expense',
        date: `2025-0${1 + (i % 9)}-1${i % 10}`,
        accountId: big,
        categoryId: coffee,
        amount: `${n + 1}.${String(i % 100).padStart(2, '0')}`,
      }));
      assert.equal((await c.post('/api/budget/transactions/bulk', { items })).status, 201);
    }
    const res = await download(c, `?accountId=${big}&decimal=dot`);
    const rows = res.text.trimEnd().split('\r\n').slice(1);
    assert.equal(rows.length, 2000);
    assert.equal(new Set(rows.map((r) => r.split(';')[11])).size, 2000);
    const sum = rows.reduce((s, r) => s + Math.round(Number(r.split(';')[4]) * 100), 0);
    assert.equal(sum, -(49.5 * 2000 + 100 * (1000 + 2000)), 'every kopeck is in the file');
  });

  it('reads back into an account through the statement import, to the kopeck', async () => {
    const res = await download(c, `?accountId=${card}`);
    const copy = await openAccount(c, { name: 'Копия', openingBalance: '1000.00' });
    const up = await uploadStatement(t.app, c, copy, Buffer.from(res.raw), { fileName: 'export.csv' });
    assert.equal(up.status, 201, JSON.stringify(up.body));
    assert.equal(up.body.preset, 'wealthtracker');
    assert.equal(up.body.counts.new, 4);
    const rows = (await c.get(`/api/imports/statements/${up.body.id}/rows`)).body.items as {
      description: string;
      categoryId: string | null;
      occurredAt: string | null;
    }[];
    assert.equal(rows.find((r) => r.description === '=SUM(A1)')?.categoryId, await categoryId(c, 'Зарплата'));
    assert.equal(rows.find((r) => r.description === 'Кофе "Хауз"')?.occurredAt, '2026-01-31T18:30:00.000Z');
    assert.equal((await c.post(`/api/imports/statements/${up.body.id}/commit`)).status, 200);
    assert.equal(await balanceOf(c, copy), await balanceOf(c, card));
    assert.equal(await balanceOf(c, copy), '124761.84');
    const again = await uploadStatement(t.app, c, copy, Buffer.from(res.raw), {});
    assert.deepEqual(again.body.counts, { new: 0, duplicate: 4, skipped: 0, transfers: 0 });
  });
});
