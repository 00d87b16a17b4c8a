import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';

// Bad input of every kind gets a 4xx JSON error naming the problem, never a 500.
describe('malformed requests', () => {
  let t: TestApp;
  let s: Session;
  before(async () => {
    t = await buildTestApp({ env: { BODY_LIMIT_BYTES: '4096' } });
    s = await register(t.app);
  });
  after(() => t.close());

  const json = { 'content-type': 'application/json' };
  const cases: {
    name: string;
    method: 'POST' | 'PATCH' | 'GET' | 'DELETE';
    url: string;
    body?: string;
    headers?: Record<string, string>;
    auth?: boolean;
    status: number;
    code: string;
    field?: string;
  }[] = [
    {
      name: 'broken JSON',
      method: 'POST',
      url: '/api/auth/login',
      body: '{"email":',
      headers: json,
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'JSON array instead of object',
      method: 'POST',
      url: '/api/auth/login',
      body: '[]',
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'empty JSON body',
      method: 'POST',
      url: '/api/auth/register',
      body: '',
      headers: json,
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'null body',
      method: 'POST',
      url: '/api/auth/register',
      body: 'null',
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'missing password',
      method: 'POST',
      url: '/api/auth/register',
      body: '{"email":"a@b.test"}',
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'password',
    },
    {
      name: 'missing email',
      method: 'POST',
      url: '/api/auth/login',
      body: '{"password":"12345678"}',
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'email',
    },
    {
      name: 'e-mail as a number',
      method: 'POST',
      url: '/api/auth/register',
      body: '{"email":12345,"password":"12345678"}',
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'email',
    },
    {
      name: 'password as an object',
      method: 'POST',
      url: '/api/auth/login',
      body: '{"email":"a@b.test","password":{"$gt":""}}',
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'password',
    },
    {
      name: 'not an e-mail',
      method: 'POST',
      url: '/api/auth/register',
      body: '{"email":"nobody","password":"12345678"}',
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'email',
    },
    {
      name: 'short password',
      method: 'POST',
      url: '/api/auth/register',
      body: '{"email":"x@y.test","password":"short"}',
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'password',
    },
    {
      name: 'unknown field (mass assignment)',
      method: 'POST',
      url: '/api/auth/register',
      body: '{"email":"x@y.test","password":"12345678","id":"00000000-0000-0000-0000-000000000000"}',
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'id',
    },
    {
      name: 'body over the limit',
      method: 'POST',
      url: '/api/auth/login',
      body: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(10_000) }),
      headers: json,
      status: 413,
      code: 'BODY_TOO_LARGE',
    },
    {
      name: 'wrong content type',
      method: 'POST',
      url: '/api/auth/login',
      body: 'email=a@b.test',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'boolean as a string',
      method: 'POST',
      url: '/api/auth/login',
      body: '{"email":"a@b.test","password":"12345678","refreshTokenInBody":"yes"}',
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'refreshTokenInBody',
    },
    {
      name: 'locale out of the list',
      method: 'PATCH',
      url: '/api/users/me',
      body: '{"locale":"de"}',
      headers: json,
      auth: true,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'locale',
    },
    {
      name: 'currency in lower case',
      method: 'PATCH',
      url: '/api/users/me',
      body: '{"baseCurrency":"rub"}',
      headers: json,
      auth: true,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'baseCurrency',
    },
    {
      name: 'empty patch',
      method: 'PATCH',
      url: '/api/users/me',
      body: '{}',
      headers: json,
      auth: true,
      status: 422,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'session id that is not a UUID',
      method: 'DELETE',
      url: '/api/users/me/sessions/not-a-uuid',
      auth: true,
      status: 422,
      code: 'VALIDATION_FAILED',
      field: 'id',
    },
    { name: 'no token', method: 'GET', url: '/api/users/me', status: 401, code: 'UNAUTHORIZED' },
    {
      name: 'garbage token',
      method: 'GET',
      url: '/api/users/me',
      headers: { authorization: 'Bearer abc.def.ghi' },
      status: 401,
      code: 'UNAUTHORIZED',
    },
    {
      name: 'unknown route',
      method: 'GET',
      url: '/api/no-such-thing',
      auth: true,
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'deeply nested JSON',
      method: 'POST',
      url: '/api/auth/login',
      body: '['.repeat(1500) + ']'.repeat(1500),
      headers: json,
      status: 422,
      code: 'VALIDATION_FAILED',
    },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const res = await t.app.inject({
        method: c.method,
        url: c.url,
        payload: c.body,
        headers: { ...c.headers, ...(c.auth ? s.auth : {}) },
      });
      assert.equal(res.statusCode, c.status, res.body);
      const body = res.json();
      assert.equal(body.error.code, c.code);
      assert.equal(typeof body.error.message, 'string');
      if (c.field) assert.match(body.error.message, new RegExp(`^${c.field}\\b`), body.error.message);
    });
  }

  it('changed nothing: the profile is as registered', async () => {
    const me = await t.app.inject({ url: '/api/users/me', headers: s.auth });
    assert.equal(me.json().locale, 'ru');
    assert.equal(me.json().baseCurrency, 'RUB');
  });
});
