import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.js';
import { addTransaction, categoryId, newClient, openAccount, type Client } from '../support/budget.js';
import { tbankCsv, uploadStatement } from '../support/statements.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The text with every id replaced by its rank among the text's ids: equal texts but for the ids compare equal. */
function ranked(text: string): string {
  const ids = [...new Set(text.match(UUID) ?? [])].map((x) => x.toLowerCase()).sort();
  const rank = new Map(ids.map((id, i) => [id, `#${i}`]));
  return text.replace(UUID, (id) => rank.get(id.toLowerCase())!);
}

describe('full export and import', () => {
  let t: TestApp;
  let c: Client;
  const exportOf = async (who: Client) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/data/export', headers: who.session.auth });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    return res.body;
  };
  /** What the pages show, as JSON, for comparison across users. */
  const views = async (who: Client, portfolio: string, card: string) => {
    const urls = [
      '/api/budget/accounts',
      '/api/budget/categories',
      '/api/budget/transactions?limit=200',
      `/api/budget/transactions?limit=200&accountId=${card}&sort=amount`,
      '/api/budget/summary/month?month=2026-02',
      '/api/budget/summary/year?year=2026',
      '/api/budget/summary/charts?month=2026-02',
      '/api/budget/upcoming',
      '/api/budget/forecast',
      '/api/networth',
      '/api/portfolio',
      '/api/budget/schedules',
      '/api/budget/obligations',
      '/api/budget/obligation-blocks',
      '/api/portfolios',
      `/api/portfolios/${portfolio}`,
      `/api/portfolios/${portfolio}/operations`,
      '/api/manual-assets',
      '/api/fx/manual-rates',
      '/api/imports/rules',
      '/api/imports/presets',
      '/api/imports/activities',
      '/api/users/me',
    ];
    const out: Record<string, unknown> = {};
    for (const url of urls) {
      const res = await who.get(url);
      assert.equal(res.status, 200, `${url}: ${JSON.stringify(res.body)}`);
      out[url.replace(UUID, 'ID')] = res.body;
    }
    const me = out['/api/users/me'] as Record<string, unknown>;
    delete me.email;
    delete me.createdAt;
    return out;
  };

  let portfolio: string;
  let card: string;
  before(async () => {
    t = await buildTestApp();
    c = await newClient(t.app);
    assert.equal(
      (await c.patch('/api/users/me', { timeZone: 'Asia/Novosibirsk', baseCurrency: 'RUB' })).status,
      200,
    );
    card = await openAccount(c, { name: 'Карта', openingBalance: '1000.10' });
    const usd = await openAccount(c, { name: 'Доллары', currency: 'USD', openingBalance: '12.34' });
    const food = await categoryId(c, 'Продукты');
    assert.equal((await c.patch(`/api/budget/categories/${food}`, { monthlyLimit: '15000.00' })).status, 200);
    const mine = await c.post('/api/budget/categories', { kind: 'expense', name: 'Книги' });
    assert.equal(mine.status, 201);
    await addTransaction(c, {
      type: 'expense',
      date: '2026-02-03',
      accountId: card,
      categoryId: food,
      amount: '1234.56',
      description: 'Магазин',
    });
    await addTransaction(c, {
      type: 'expense',
      date: '2026-02-03',
      accountId: card,
      categoryId: mine.body.id,
      amount: '0.01',
    });
    await addTransaction(c, {
      type: 'transfer',
      date: '2026-02-04',
      accountId: card,
      toAccountId: usd,
      amount: '9000.00',
      amountReceived: '100.00',
    });
    assert.equal(
      (await c.post('/api/fx/manual-rates', { currency: 'USD', day: '2026-02-01', rate: '90.1234' })).status,
      201,
    );
    assert.equal(
      (await c.post('/api/imports/rules', { field: 'description', pattern: 'кофе', categoryId: food }))
        .status,
      201,
    );
    assert.equal(
      (
        await c.post('/api/imports/presets', {
          name: 'Банк',
          mapping: {
            columns: { date: 'Дата', amount: 'Сумма' },
            dateFormat: 'dd.mm.yyyy',
            decimal: 'auto',
            skipStatuses: [],
          },
        })
      ).status,
      201,
    );
    const up = await uploadStatement(t.app, c, card, tbankCsv(['2026-01']), { fileName: 'jan.csv' });
    assert.equal(up.status, 201, JSON.stringify(up.body));
    assert.equal((await c.post(`/api/imports/statements/${up.body.id}/commit`)).status, 200);
    const schedule = await c.post('/api/budget/schedules', {
      type: 'expense',
      title: 'Аренда',
      accountId: card,
      categoryId: food,
      amount: '30000',
      mode: 'confirm',
      every: 1,
      unit: 'month',
      startDate: '2026-01-31',
    });
    assert.equal(schedule.status, 201, JSON.stringify(schedule.body));
    assert.equal(
      (
        await c.post('/api/budget/obligations', {
          title: 'Налог',
          dueDate: '2026-03-01',
          amount: '4321.09',
          currency: 'RUB',
          repeat: { every: 1, unit: 'month' },
        })
      ).status,
      201,
    );
    const loan = await c.post('/api/budget/obligation-blocks', {
      kind: 'consumer',
      title: 'Кредит',
      currency: 'RUB',
      principal: '100000',
      annualRatePercent: '12.5',
      termMonths: 12,
      issueDate: '2026-01-01',
    });
    assert.equal(loan.status, 201, JSON.stringify(loan.body));
    assert.equal(
      (await c.post(`/api/budget/obligation-blocks/${loan.body.id}/payments`, { number: 1 })).status < 300,
      true,
    );
    portfolio = (await c.get('/api/portfolios')).body[0].id as string;
    const asset = await c.post('/api/manual-assets', {
      ticker: 'FLAT',
      name: 'Квартира',
      kind: 'other',
      currency: 'RUB',
      price: '9000000',
    });
    assert.equal(asset.status, 201);
    assert.equal(
      (await c.post(`/api/manual-assets/${asset.body.id}/prices`, { date: '2026-01-12', price: '9100000.5' }))
        .status,
      201,
    );
    const bought = await c.post(`/api/portfolios/${portfolio}/assets`, {
      manualAssetId: asset.body.id,
      quantity: '1',
      price: '8500000',
      date: '2026-01-10',
    });
    assert.ok(bought.status < 300, JSON.stringify(bought.body));
    assert.equal(
      (
        await c.post(`/api/portfolios/${portfolio}/operations`, {
          type: 'deposit',
          date: '2026-01-11',
          amount: '1000.5',
          currency: 'RUB',
        })
      ).status,
      201,
    );
    // An activities file of an asset the catalogue does not know: a hand-priced asset comes with it.
    const activities = await t.app.inject({
      method: 'POST',
      url: `/api/imports/activities?portfolioId=${portfolio}`,
      headers: { ...c.session.auth, 'content-type': 'text/csv' },
      payload: [
        'accountId,comment,currency,dataSource,date,fee,quantity,symbol,type,unitPrice',
        ',,RUB,MANUAL,2026-01-15T00:00:00.000Z,1.35,3,ZZZQ,BUY,270.15',
        ',,RUB,MANUAL,2026-01-20T00:00:00.000Z,0,1,ZZZQ,SELL,280.5',
      ].join('\n'),
    });
    assert.equal(activities.statusCode, 201, activities.body);
    const committed = await c.post(
      `/api/imports/activities/${activities.json<{ id: string }>().id}/commit`,
      {},
    );
    assert.equal(committed.status, 200, JSON.stringify(committed.body));
  });
  after(() => t.close());

  it('exports, imports into a new user and exports the same again (ids aside); every listing is equal', async () => {
    const first = await exportOf(c);
    const doc = JSON.parse(first) as { format: string; version: number; tables: Record<string, unknown[]> };
    assert.equal(doc.format, 'wealthtracker-export');
    assert.equal(doc.version, 2);
    assert.equal(doc.tables.budget_accounts!.length, 2);
    assert.equal(doc.tables.activity_import_batches!.length, 1);
    assert.equal(doc.tables.activity_import_rows!.length, 2);
    assert.equal(doc.tables.budget_transactions!.length, 10);
    assert.ok(!first.includes('user_id'), 'no user id in the file');

    const fresh = await newClient(t.app);
    const res = await fresh.post('/api/data/import', doc);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.tables.budget_transactions, doc.tables.budget_transactions!.length);

    const second = await exportOf(fresh);
    const strip = (text: string) => ranked(text.replace(/"exportedAt":"[^"]+"/, ''));
    assert.equal(strip(second), strip(first));

    const freshPortfolio = (await fresh.get('/api/portfolios')).body[0].id as string;
    const freshCard = ((await fresh.get('/api/budget/accounts')).body as { id: string; name: string }[]).find(
      (a) => a.name === 'Карта',
    )!.id;
    const a = await views(c, portfolio, card);
    const b = await views(fresh, freshPortfolio, freshCard);
    for (const key of Object.keys(a))
      assert.equal(ranked(JSON.stringify(b[key])), ranked(JSON.stringify(a[key])), key);
    assert.equal(
      (a['/api/budget/accounts'] as { name: string; balance: string }[]).find((x) => x.name === 'Карта')
        ?.balance !== undefined,
      true,
    );

    // The same file again: the user owns things now.
    assert.equal((await fresh.post('/api/data/import', doc)).status, 409);

    // The imported activities are the new user's own: undone there, they take their asset along.
    const [batch] = (await fresh.get('/api/imports/activities')).body as { id: string; created: number }[];
    assert.equal(batch?.created, 2);
    assert.equal((await fresh.del(`/api/imports/activities/${batch.id}`)).status, 204);
    const operations = (await fresh.get(`/api/portfolios/${freshPortfolio}/operations`)).body;
    assert.equal(JSON.stringify(operations).includes('270.15'), false, JSON.stringify(operations));
    assert.equal(
      ((await fresh.get('/api/manual-assets')).body as { ticker: string }[]).some((x) => x.ticker === 'ZZZQ'),
      false,
    );
    // The user who exported still has them.
    assert.equal(((await c.get('/api/imports/activities')).body as unknown[]).length, 1);
  });

  it('reads a file of version 1 (before the activities imports were in it)', async () => {
    const doc = JSON.parse(await exportOf(c)) as { version: number; tables: Record<string, unknown[]> };
    delete doc.tables.activity_import_batches;
    delete doc.tables.activity_import_rows;
    const fresh = await newClient(t.app);
    const res = await fresh.post('/api/data/import', { ...doc, version: 1 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.tables.budget_transactions, doc.tables.budget_transactions!.length);
    assert.deepEqual((await fresh.get('/api/imports/activities')).body, []);
    const operations = (
      await fresh.get(`/api/portfolios/${(await fresh.get('/api/portfolios')).body[0].id}/operations`)
    ).body;
    assert.equal(JSON.stringify(operations).includes('270.15'), true, 'the operations themselves are there');
  });

  it('refuses other formats, versions, tables and broken rows with 4xx naming the problem, writing nothing', async () => {
    const doc = JSON.parse(await exportOf(c)) as Record<string, unknown> & {
      tables: Record<string, Record<string, unknown>[]>;
    };
    const fresh = await newClient(t.app);
    const refused = async (body: unknown, status: number, code: string) => {
      const res = await fresh.post('/api/data/import', body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
      return res.body.error as { details: Record<string, unknown> };
    };
    await refused({ ...doc, format: 'ghostfolio' }, 422, 'DATA_FORMAT_UNKNOWN');
    const version = await refused({ ...doc, version: 3 }, 422, 'DATA_VERSION_UNSUPPORTED');
    assert.equal(version.details.version, 3);
    await refused({ ...doc, tables: { ...doc.tables, users: [{}] } }, 422, 'DATA_TABLE_UNKNOWN');
    await refused({ format: 'wealthtracker-export' }, 422, 'VALIDATION_FAILED');
    const badAmount = structuredClone(doc.tables);
    badAmount.budget_transactions![0]!.amount = 'lots';
    const row = await refused({ ...doc, tables: badAmount }, 422, 'DATA_ROW_INVALID');
    assert.equal(row.details.table, 'budget_transactions');
    const badRef = structuredClone(doc.tables);
    badRef.budget_transactions![0]!.account_id = '00000000-0000-4000-8000-000000000000';
    assert.equal(
      (await refused({ ...doc, tables: badRef }, 422, 'DATA_ROW_INVALID')).details.table,
      'budget_transactions',
    );
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/api/data/import',
      headers: { ...fresh.session.auth, 'content-type': 'application/json' },
      payload: '{"format": "wealth',
    });
    assert.equal(garbage.statusCode, 400);
    // Nothing was written: the user still has the default categories and portfolio, and no accounts.
    assert.equal((await fresh.get('/api/budget/accounts')).body.length, 0);
    assert.ok((await fresh.get('/api/budget/categories')).body.length > 5);
    assert.equal((await fresh.get('/api/portfolios')).body.length, 1);
  });
});
