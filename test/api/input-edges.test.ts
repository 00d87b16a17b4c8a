import { dec } from '../../src/common/decimal.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/server/platform/db.js';
import { consumerCredit } from '../support/credits.js';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';
import { categoryId, newClient, openAccount, type Client } from '../support/budget.js';

const MAX = '999999999999999.99';
const OVER = '1000000000000000.00';
const LOAN = consumerCredit({
  title: 'Loan',
  currency: 'RUB',
  principal: '100000',
  annualRatePercent: '12',
  termMonths: 12,
  issueDate: '2026-01-01',
});

/** Rows in every table of the app: a refused request must change none of them. */
async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = await rowsOf<{ name: string }>(
    t.database.db.execute(
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    ),
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await rowsOf<{ n: number }>(
      t.database.db.execute(sql`select count(*)::int as n from ${sql.identifier(name)}`),
    );
    counts[name] = row!.n;
  }
  return counts;
}

// The OpenAPI document is built from the route schemas, so walking it walks every route.
interface JsonSchema {
  type?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}
interface Operation {
  parameters?: { in: 'query' | 'path'; name: string; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}

/** Every leaf field of a body schema: its dotted path (arrays as `.0`) and its schema. */
function fieldsOf(schema: JsonSchema, path: string[] = []): { path: string[]; schema: JsonSchema }[] {
  if (schema.anyOf) return schema.anyOf.flatMap((branch) => fieldsOf(branch, path));
  if (schema.type === 'object' && schema.properties)
    return Object.entries(schema.properties).flatMap(([k, s]) => fieldsOf(s, [...path, k]));
  if (schema.type === 'array' && schema.items) return fieldsOf(schema.items, [...path, '0']);
  return path.length > 0 ? [{ path, schema }] : [];
}

/** A copy of `body` with `value` at `path`, creating objects and one-item arrays on the way. */
function withValue(body: unknown, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(body ?? {}) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  path.forEach((key, i) => {
    if (i === path.length - 1) node[key] = value;
    else {
      node[key] ??= path[i + 1] === '0' ? [{}] : {};
      node = node[key] as Record<string, unknown>;
    }
  });
  return copy;
}

/** Values no field may accept, by the field's schema. */
function giants(schema: JsonSchema): unknown[] {
  if (schema.format === 'money') return [OVER, '12345678901234567890', `-${OVER}`, '1'.repeat(23)];
  if (schema.format === 'decimal') return ['1000000000000000', '1'.repeat(26), '1'.repeat(21) + '.5'];
  if (schema.type === 'integer' || schema.type === 'number') return [1e20, -1e20, 2 ** 63];
  return [];
}

describe('input at the edges: NUL characters and giant numbers', () => {
  let t: TestApp;
  let c: Client;
  let other: Session;
  const ids: Record<string, string> = {};
  before(async () => {
    t = await buildTestApp();
    c = await newClient(t.app);
    other = await register(t.app, c.session.user.email.replace('user-', 'again-'));
    const rub = await openAccount(c, { name: 'Card', currency: 'RUB' });
    const usd = await openAccount(c, { name: 'Dollars', currency: 'USD' });
    const food = await categoryId(c, 'Продукты');
    const salary = await categoryId(c, 'Работа');
    const tx = await c.post('/api/budget/transactions', {
      type: 'expense',
      date: '2026-01-10',
      accountId: rub,
      categoryId: food,
      amount: '100.00',
    });
    const portfolio = (await c.get('/api/portfolios')).body[0].id as string;
    const asset = await c.post('/api/manual-assets', {
      ticker: 'FLAT',
      name: 'Flat',
      kind: 'other',
      currency: 'RUB',
      price: '10',
    });
    const op = await c.post(`/api/portfolios/${portfolio}/assets`, {
      manualAssetId: asset.body.id,
      quantity: '1',
      price: '10',
      date: '2026-01-10',
    });
    const block = await c.post('/api/budget/obligation-blocks', LOAN);
    const obligation = await c.post('/api/budget/obligations', {
      title: 'Rent',
      dueDate: '2026-01-20',
      amount: '30000',
      currency: 'RUB',
    });
    for (const r of [tx, asset, op, block, obligation]) assert.ok(r.status < 300, JSON.stringify(r.body));
    // A second session of the same user, to have a session id that is not the caller's.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: c.session.user.email, password: 'correct horse battery' },
    });
    const sessions = (await c.get('/api/users/me/sessions')).body as { id: string; current: boolean }[];
    Object.assign(ids, {
      rub,
      usd,
      food,
      salary,
      transaction: tx.body.id,
      portfolio,
      asset: asset.body.id,
      operation: op.body.id,
      block: block.body.id,
      obligation: obligation.body.id,
      session: sessions.find((s) => !s.current)?.id ?? login.json().user.id,
    });
  });
  after(() => t.close());

  /** A real id for each path parameter, so a request gets past the lookup to the writing. */
  function url(path: string, nulIn?: string): string {
    const byPrefix: [string, string][] = [
      ['/api/budget/accounts/', ids.rub!],
      ['/api/budget/categories/', ids.food!],
      ['/api/budget/transactions/', ids.transaction!],
      ['/api/budget/obligation-blocks/', ids.block!],
      ['/api/budget/obligations/', ids.obligation!],
      ['/api/portfolios/', ids.portfolio!],
      ['/api/operations/', ids.operation!],
      ['/api/manual-assets/', ids.asset!],
      ['/api/users/me/sessions/', ids.session!],
    ];
    const id = byPrefix.find(([prefix]) => path.startsWith(prefix))?.[1] ?? ids.rub!;
    const other: Record<string, string> = { nominalDate: '2026-02-28', line: '1' };
    return path.replace(/\{(\w+)\}/g, (_, name: string) =>
      name === nulIn ? '%00' : name === 'id' ? id : (other[name] ?? ids.operation!),
    );
  }

  /** Query parameters a GET needs, so a mutated one is the only thing wrong. */
  const baseQueries: Record<string, Record<string, string>> = {
    'GET /api/market/instruments': { query: 'sber' },
    'GET /api/market/candles': { instrumentId: 'uid', range: 'day' },
    'GET /api/market/quotes': { instrumentIds: 'uid' },
  };

  /** Valid bodies: a mutated field is then the only thing wrong with the request. */
  const bases = (): Record<string, unknown> => ({
    'POST /api/auth/register': { email: 'new-user@example.test', password: 'long enough password' },
    'POST /api/auth/login': { email: c.session.user.email, password: 'wrong password' },
    'POST /api/auth/refresh': { refreshToken: 'not-a-token' },
    'POST /api/auth/logout': { refreshToken: 'not-a-token' },
    'PATCH /api/users/me': {},
    'POST /api/users/me/password': { currentPassword: 'wrong password', newPassword: 'another long one' },
    'POST /api/portfolios': { name: 'New' },
    'PATCH /api/portfolios/{id}': {},
    'PUT /api/portfolios/{id}/iis': { iisType: 'A' },
    'POST /api/portfolios/{id}/assets': [
      { manualAssetId: ids.asset, quantity: '1', price: '10', date: '2026-01-11' },
      {
        manualAsset: { ticker: 'BOAT', name: 'Boat', kind: 'other', currency: 'RUB', price: '5' },
        quantity: '1',
        price: '5',
      },
    ],
    'POST /api/portfolios/{id}/operations': {
      type: 'deposit',
      date: '2026-01-11',
      amount: '10',
      currency: 'RUB',
    },
    'PATCH /api/operations/{id}': {},
    'POST /api/manual-assets': { ticker: 'CAR', name: 'Car', kind: 'other', currency: 'RUB', price: '10' },
    'PATCH /api/manual-assets/{id}': {},
    'POST /api/manual-assets/{id}/prices': { date: '2026-01-12', price: '11' },
    'PATCH /api/manual-assets/{id}/prices/{priceId}': {},
    'PUT /api/users/me/tinvest-token': { token: 'token' },
    'POST /api/portfolios/sync': { accountId: '2000' },
    'POST /api/budget/accounts': { name: 'Cash', kind: 'cash', currency: 'RUB', openingBalance: '10' },
    'PATCH /api/budget/accounts/{id}': {},
    'POST /api/budget/categories': { kind: 'expense', name: 'Books' },
    'PATCH /api/budget/categories/{id}': {},
    'POST /api/budget/transactions': {
      type: 'transfer',
      date: '2026-01-11',
      accountId: ids.rub,
      toAccountId: ids.usd,
      amount: '10',
      amountReceived: '1',
    },
    'POST /api/budget/transactions/bulk': {
      items: [
        { type: 'income', date: '2026-01-11', accountId: ids.rub, categoryId: ids.salary, amount: '10' },
      ],
    },
    'PATCH /api/budget/transactions/{id}': {},
    'POST /api/budget/obligation-blocks': {
      kind: 'consumer',
      title: 'Loan 2',
      currency: 'RUB',
      principal: '1000',
      annualRatePercent: '10',
      termMonths: 6,
      issueDate: '2026-01-01',
    },
    'POST /api/budget/obligation-blocks/preview': {
      principal: '1000',
      annualRatePercent: '10',
      termMonths: 6,
      issueDate: '2026-01-01',
      payments: [{ number: 1, date: '2026-02-02', amount: '170' }],
      earlyRepayments: [{ date: '2026-02-10', amount: '10', mode: 'reduce_term' }],
    },
    'PUT /api/budget/obligation-blocks/{id}': LOAN,
    'PATCH /api/budget/obligation-blocks/{id}': {},
    'POST /api/budget/obligation-blocks/{id}/payments': { number: 1 },
    'POST /api/budget/obligation-blocks/{id}/payments/through': { number: 1 },
    'POST /api/budget/obligation-blocks/{id}/early-repayments': {
      date: '2026-02-10',
      amount: '10',
      mode: 'reduce_term',
    },
    'POST /api/budget/obligation-blocks/{id}/early-repayments/preview': {
      date: '2026-02-10',
      amount: '10',
      mode: 'reduce_term',
    },
    'POST /api/budget/obligations': [
      { title: 'Tax', dueDate: '2026-02-01', amount: '10', currency: 'RUB' },
      {
        title: 'Rent',
        dueDate: '2026-02-01',
        amount: '10',
        currency: 'RUB',
        repeat: { every: 1, unit: 'month' },
      },
    ],
    'PATCH /api/budget/obligations/{id}': [{}, { repeat: { every: 1, unit: 'month' } }],
    'POST /api/fx/manual-rates': { currency: 'USD', day: '2026-01-12', rate: '90.5' },
    'PUT /api/fx/manual-rates/{id}': { currency: 'USD', day: '2026-01-12', rate: '90.5' },
    'POST /api/budget/schedules': {
      type: 'expense',
      title: 'Rent',
      accountId: ids.rub,
      categoryId: ids.food,
      amount: '100',
      mode: 'auto',
      every: 1,
      unit: 'month',
      startDate: '2026-01-31',
    },
    'POST /api/budget/schedules/{id}/edit-from': { from: '2026-03-01' },
    'POST /api/budget/schedules/{id}/occurrences/{nominalDate}/post': {},
    'PATCH /api/budget/schedules/{id}/occurrences/{nominalDate}': { amount: '10' },
    'POST /api/imports/rules': { field: 'payee', pattern: 'Coffee' },
    'POST /api/imports/presets': {
      name: 'Bank',
      mapping: {
        columns: { date: 'Date', amount: 'Amount', description: 'Memo' },
        dateFormat: 'dd.mm.yyyy',
        decimal: 'auto',
        skipStatuses: ['FAILED'],
      },
    },
    'PATCH /api/imports/rules/{id}': {},
    'POST /api/imports/activity-presets': {
      name: 'Broker',
      mapping: {
        columns: { date: 'Date', type: 'Type', symbol: 'Ticker', quantity: 'Qty', price: 'Price' },
        dateFormat: 'dd.mm.yyyy',
        decimal: 'auto',
      },
    },
    'POST /api/data/import': {
      format: 'wealthtracker-export',
      version: 1,
      exportedAt: '2026-01-12T10:00:00.000Z',
      profile: { baseCurrency: 'RUB', timeZone: 'Europe/Moscow', locale: 'ru' },
      tables: { budget_accounts: [] },
    },
    'PATCH /api/imports/statements/{id}/rows/{line}': {},
    'PATCH /api/imports/activities/{id}/rows/{line}': { quantity: '1' },
  });

  it('refuses NUL in every text field, parameter and query, and every giant number, writing nothing', async () => {
    const doc = t.app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
    const base = bases();
    const before = await rowCounts(t);
    const failures: string[] = [];
    let requests = 0;
    const send = async (
      route: string,
      method: string,
      target: string,
      payload: unknown,
      field: string,
      what: string,
    ) => {
      requests++;
      const res = await t.app.inject({
        method: method as 'GET',
        url: target,
        headers: c.session.auth,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      const named = (res.json().error?.details?.fields as { field: string }[] | undefined)?.[0]?.field;
      if (res.statusCode !== 422 || named !== field)
        failures.push(`${route} ${what} in ${field}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    };

    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [lower, op] of Object.entries(operations)) {
        const method = lower.toUpperCase();
        const route = `${method} ${path}`;
        const body = op.requestBody?.content['application/json'].schema;
        const target = url(path);
        if (body) {
          assert.ok(route in base, `${route}: add a valid body to this test`);
          const candidates = [base[route]].flat() as Record<string, unknown>[];
          for (const f of fieldsOf(body)) {
            const field = f.path.join('.');
            // The valid body that already has the field's object (e.g. `manualAsset`), else the first.
            const valid = candidates.find((b) => f.path[0]! in b) ?? candidates[0];
            if (f.schema.type === 'string')
              await send(route, method, target, withValue(valid, f.path, 'a\0b'), field, 'NUL');
            for (const value of giants(f.schema))
              await send(route, method, target, withValue(valid, f.path, value), field, String(value));
          }
        }
        const payload = method === 'GET' || method === 'DELETE' ? undefined : [base[route]].flat()[0];
        for (const p of op.parameters ?? []) {
          if (p.in === 'path') {
            await send(route, method, url(path, p.name), payload, p.name, 'NUL');
            continue;
          }
          const values = p.schema.type === 'integer' ? ['1e20', '-1', '99999999999999999999', '9.5'] : [];
          for (const value of ['a\0b', ...values]) {
            const query = new URLSearchParams({ ...baseQueries[route], [p.name]: value });
            await send(route, method, `${target}?${query.toString()}`, payload, p.name, value);
          }
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(requests > 300, `only ${requests} requests`);
    assert.deepEqual(await rowCounts(t), before);
    // The other user never saw any of it.
    const theirs = await t.app.inject({ url: '/api/budget/transactions', headers: other.auth });
    assert.equal(theirs.json().total, 0);
  });
});

describe('the largest amounts and the sums of them', () => {
  let t: TestApp;
  let c: Client;
  before(async () => {
    t = await buildTestApp();
    c = await newClient(t.app);
  });
  after(() => t.close());

  it('accepts 999 999 999 999 999.99 and refuses one kopeck more, naming the field', async () => {
    const account = await openAccount(c, { name: 'Max', currency: 'RUB', openingBalance: MAX });
    const over = await c.post('/api/budget/accounts', {
      name: 'Over',
      kind: 'cash',
      openingBalance: '12345678901234567890123',
    });
    assert.equal(over.status, 422);
    assert.equal(over.body.error.code, 'VALIDATION_FAILED');
    assert.equal(over.body.error.details.fields[0].field, 'openingBalance');
    const salary = await categoryId(c, 'Работа');
    const tx = { type: 'income', date: '2026-03-05', accountId: account, categoryId: salary };
    assert.equal((await c.post('/api/budget/transactions', { ...tx, amount: MAX })).status, 201);
    const refused = await c.post('/api/budget/transactions', { ...tx, amount: OVER });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.details.fields[0].field, 'amount');
    const price = await c.post('/api/manual-assets', {
      ticker: 'X',
      name: 'X',
      kind: 'other',
      currency: 'RUB',
      price: '1'.repeat(26),
    });
    assert.equal(price.status, 422);
    assert.equal(price.body.error.details.fields[0].field, 'price');
  });

  it('keeps every sum exact where thousands of the largest amounts add up', async () => {
    const account = await openAccount(c, { name: 'Rich', currency: 'RUB', openingBalance: MAX });
    const salary = await categoryId(c, 'Работа');
    const food = await categoryId(c, 'Продукты');
    await c.patch(`/api/budget/categories/${food}`, { monthlyLimit: MAX });
    // 1 999 incomes and one expense of the largest amount, in one month: 19 digits before the point.
    const item = (type: string, category: string) => ({
      type,
      date: '2026-04-15',
      accountId: account,
      categoryId: category,
      amount: MAX,
    });
    for (const items of [
      Array.from({ length: 1000 }, () => item('income', salary)),
      [item('expense', food), ...Array.from({ length: 999 }, () => item('income', salary))],
    ]) {
      const bulk = await c.post('/api/budget/transactions/bulk', { items });
      assert.equal(bulk.status, 201, JSON.stringify(bulk.body).slice(0, 300));
    }
    const income = dec(MAX).times(1999);
    // Opening balance + 1 999 incomes − 1 expense.
    const accounts = await c.get('/api/budget/accounts');
    assert.equal(accounts.status, 200);
    const rich = (accounts.body as { id: string; balance: string }[]).find((a) => a.id === account);
    assert.equal(rich?.balance, income.toFixed(2));
    const month = await c.get('/api/budget/summary/month?month=2026-04');
    assert.equal(month.status, 200, JSON.stringify(month.body));
    assert.equal(month.body.totals[0].income, income.toFixed(2));
    assert.equal(month.body.totals[0].expense, MAX);
    for (const url of [
      '/api/budget/summary/charts?month=2026-04',
      '/api/budget/summary/year?year=2026',
      '/api/networth',
    ])
      assert.equal((await c.get(url)).status, 200, url);
    const list = await c.get(`/api/budget/transactions?accountId=${account}&sort=amount&amountMin=${MAX}`);
    assert.equal(list.body.total, 2000);
  });

  it('values a portfolio of the largest quantity at the largest price, and refuses a trade whose amount would not fit', async () => {
    const portfolio = (await c.get('/api/portfolios')).body[0].id as string;
    const asset = await c.post('/api/manual-assets', {
      ticker: 'BIG',
      name: 'Decimal',
      kind: 'other',
      currency: 'RUB',
      price: '999999999999999.999999999',
    });
    assert.equal(asset.status, 201);
    const tooMuch = await c.post(`/api/portfolios/${portfolio}/assets`, {
      manualAssetId: asset.body.id,
      quantity: '100000000',
      price: '100000000',
      date: '2026-04-01',
    });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.body.error.details.fields[0].field, 'price');
    const buy = await c.post(`/api/portfolios/${portfolio}/operations`, {
      type: 'buy',
      date: '2026-04-01',
      manualAssetId: asset.body.id,
      quantity: '999999999999999',
      amount: MAX,
    });
    assert.equal(buy.status, 201, JSON.stringify(buy.body));
    const again = await c.post(`/api/portfolios/${portfolio}/operations`, {
      type: 'buy',
      date: '2026-04-02',
      manualAssetId: asset.body.id,
      quantity: '999999999999999',
      amount: MAX,
    });
    assert.equal(again.status, 201);
    const overview = await c.get('/api/portfolio');
    assert.equal(overview.status, 200, JSON.stringify(overview.body).slice(0, 300));
    const networth = await c.get('/api/networth');
    assert.equal(networth.status, 200, JSON.stringify(networth.body).slice(0, 300));
    // 2 × 999 999 999 999 999 pieces at 999 999 999 999 999.999999999 each, to the kopeck.
    const value = dec('1999999999999998').times('999999999999999.999999999').round(2, 'half-up');
    assert.ok(JSON.stringify(overview.body).includes(value.toFixed(2)), value.toFixed(2));
  });
});
