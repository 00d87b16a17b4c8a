/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- answers read as the shape each test expects */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';

interface Operation {
  parameters?: { in: 'query' | 'path'; name: string }[];
  requestBody?: unknown;
}

const ID = '00000000-0000-0000-0000-000000000000';

/**
 * Whatever goes wrong — in a route, in the framework before any route runs, in routing itself —
 * the answer is the app's one error shape: JSON `{ error: { code, message } }` with an UPPER_SNAKE
 * code, a status of 4xx, and the usual security headers.
 */
describe('one error shape for every failure', () => {
  let t: TestApp;
  let s: Session;
  let operations: { method: string; path: string; op: Operation }[];
  before(async () => {
    t = await buildTestApp({ env: { BODY_LIMIT_BYTES: '4096' } });
    s = await register(t.app);
    const doc = t.app.swagger() as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  });
  after(() => t.close());

  async function expectAppError(
    request: { method: string; url: string; payload?: string; headers?: Record<string, string> },
    what: string,
  ): Promise<number> {
    const res = await t.app.inject({
      method: request.method as 'GET',
      url: request.url,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
      headers: { ...s.auth, ...request.headers },
    });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: status ${res.statusCode} ${res.body}`);
    assert.match(String(res.headers['content-type']), /^application\/json/, what);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: security headers`);
    const body = res.json() as { error?: { code?: unknown; message?: unknown } };
    assert.deepEqual(Object.keys(body), ['error'], `${what}: ${res.body}`);
    assert.match(String(body.error?.code), /^[A-Z][A-Z0-9_]+$/, `${what}: ${res.body}`);
    assert.equal(typeof body.error?.message, 'string', what);
    assert.doesNotMatch(res.body, /FST_ERR|statusCode/, `${what}: the framework's own shape`);
    return res.statusCode;
  }

  const withParams = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);

  it('badly encoded addresses, on every route and off them', async () => {
    const broken = ['%E0%A4%A', '%zz', '%', 'a%ZZb', '%C0%AF'];
    for (const bad of broken) {
      await expectAppError({ method: 'GET', url: `/${bad}` }, `/${bad}`);
      await expectAppError({ method: 'GET', url: `/api/${bad}` }, `/api/${bad}`);
    }
    for (const { method, path } of operations) {
      const url = path.includes('{') ? withParams(path, '%E0%A4%A') : `${path}/%E0%A4%A`;
      await expectAppError({ method, url }, `${method} ${url}`);
    }
  });

  it('over-long path parameters on every route that has one', async () => {
    const long = 'a'.repeat(500);
    let checked = 0;
    for (const { method, path } of operations.filter((o) => o.path.includes('{'))) {
      const status = await expectAppError({ method, url: withParams(path, long) }, `${method} ${path}`);
      assert.equal(status, 414, `${method} ${path}`);
      checked += 1;
    }
    assert.ok(checked > 20, `routes with path parameters: ${checked}`);
  });

  it('unknown routes and methods', async () => {
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['PUT', '/api/budget/accounts'],
      ['GET', '/api/budget/accounts/1/2/3'],
      ['DELETE', '/api/auth/me/everything'],
      ['GET', '/api'],
    ] as const) {
      assert.equal(await expectAppError({ method, url }, `${method} ${url}`), 404);
    }
  });

  it('bodies the framework cannot read, on every route that takes one', async () => {
    const bodies: [string, string, Record<string, string>][] = [
      ['broken JSON', '{"a":', { 'content-type': 'application/json' }],
      ['empty JSON', '', { 'content-type': 'application/json' }],
      ['unsupported media type', '<a/>', { 'content-type': 'application/xml' }],
      [
        'over the size limit',
        JSON.stringify({ x: 'x'.repeat(10_000) }),
        { 'content-type': 'application/json' },
      ],
    ];
    for (const { method, path } of operations.filter((o) => o.op.requestBody !== undefined)) {
      // The statement upload takes files of its own types; its JSON neighbours cover it.
      if (path.endsWith('/statements')) continue;
      const url = withParams(path, ID);
      for (const [name, payload, headers] of bodies)
        await expectAppError({ method, url, payload, headers }, `${method} ${path}: ${name}`);
    }
  });

  it('field problems carry a code and parameters the pages translate', async () => {
    const post = (url: string, body: unknown) =>
      t.app.inject({ method: 'POST', url, payload: body as object, headers: s.auth });
    const cases: [string, unknown, string, string, Record<string, unknown>?][] = [
      ['/api/budget/accounts', { name: '', kind: 'card', currency: 'RUB' }, 'name', 'BLANK'],
      [
        '/api/budget/accounts',
        { name: 'A', kind: 'card', currency: 'ABC' },
        'currency',
        'FORMAT',
        { format: 'currency' },
      ],
      [
        '/api/budget/accounts',
        { name: 'A', kind: 'card', currency: 'rub' },
        'currency',
        'FORMAT',
        { format: 'currency' },
      ],
      ['/api/budget/accounts', { name: 'x'.repeat(300), kind: 'card', currency: 'RUB' }, 'name', 'TOO_LONG'],
      ['/api/budget/accounts', { kind: 'card', currency: 'RUB' }, 'name', 'REQUIRED'],
      ['/api/budget/categories', { name: '   ', kind: 'expense' }, 'name', 'BLANK'],
    ];
    for (const [url, body, field, code, params] of cases) {
      const res = await post(url, body);
      assert.equal(res.statusCode, 422, `${url} ${JSON.stringify(body).slice(0, 80)}: ${res.body}`);
      const f = (
        res.json() as { error: { details: { fields: { field: string; code: string; params?: object }[] } } }
      ).error.details.fields[0]!;
      assert.equal(f.field, field);
      assert.equal(f.code, code, res.body);
      if (params) assert.deepEqual({ ...f.params }, { ...f.params, ...params });
    }
    // ISO 4217 codes are accepted, gold included; days outside 1970–2100 are not.
    for (const currency of ['USD', 'KZT', 'XAU'])
      assert.equal(
        (await post('/api/budget/accounts', { name: currency, kind: 'card', currency })).statusCode,
        201,
      );
    const account = (
      await t.app.inject({ method: 'GET', url: '/api/budget/accounts', headers: s.auth })
    ).json() as {
      id: string;
    }[];
    const categories = (
      await t.app.inject({ method: 'GET', url: '/api/budget/categories', headers: s.auth })
    ).json() as {
      id: string;
      kind: string;
    }[];
    const expense = categories.find((c) => c.kind === 'expense')!.id;
    for (const date of ['1900-01-01', '1969-12-31', '2101-01-01', '2999-12-31']) {
      const res = await post('/api/budget/transactions', {
        type: 'expense',
        accountId: account[0]!.id,
        categoryId: expense,
        amount: '10.00',
        date,
      });
      assert.equal(res.statusCode, 422, `${date}: ${res.body}`);
      assert.match(res.body, /"field":"date"[^}]*"code":"FORMAT"/);
    }
    const ok = await post('/api/budget/transactions', {
      type: 'expense',
      accountId: account[0]!.id,
      categoryId: expense,
      amount: '10.00',
      date: '1970-01-01',
    });
    assert.equal(ok.statusCode, 201, ok.body);
  });

  it('bad query strings and headers', async () => {
    await expectAppError({ method: 'GET', url: '/api/budget/transactions?limit=abc' }, 'limit=abc');
    await expectAppError({ method: 'GET', url: '/api/budget/transactions?offset=1e20' }, 'offset=1e20');
    await expectAppError(
      { method: 'GET', url: '/api/budget/accounts', headers: { authorization: 'Bearer x.y.z' } },
      'broken token',
    );
  });
});
