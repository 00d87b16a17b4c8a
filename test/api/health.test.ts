import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildTestApp, register, type TestApp } from '../support/app.js';

describe('health and docs', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('ping answers without auth', async () => {
    const res = await t.app.inject({ url: '/api/health/ping' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('ready reports the database and the cache', async () => {
    const res = await t.app.inject({ url: '/api/health/ready' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.database.status, 'ok');
    assert.equal(body.database.driver, 'postgres');
    assert.equal(body.cache.driver, process.env.REDIS_URL ? 'redis' : 'memory');
  });

  it('serves the OpenAPI document with every route and the docs page', async () => {
    const doc = await t.app.inject({ url: '/docs/json' });
    assert.equal(doc.statusCode, 200);
    const paths = Object.keys(doc.json().paths as Record<string, unknown>);
    for (const p of ['/api/auth/login', '/api/auth/refresh', '/api/users/me', '/api/health/ping'])
      assert.ok(paths.includes(p), p);
    const ui = await t.app.inject({ url: '/docs/' });
    assert.equal(ui.statusCode, 200);
    assert.match(ui.body, /swagger/i);
  });

  it('every response carries a request id and security headers', async () => {
    const res = await t.app.inject({ url: '/api/health/ping' });
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
  });

  it('CORS answers only allowed origins', async () => {
    const c = await buildTestApp({ env: { ALLOWED_ORIGINS: 'https://app.example' } });
    try {
      const ok = await c.app.inject({
        method: 'OPTIONS',
        url: '/api/users/me',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
      });
      assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example');
      const no = await c.app.inject({
        method: 'OPTIONS',
        url: '/api/users/me',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      assert.equal(no.headers['access-control-allow-origin'], undefined);
    } finally {
      await c.close();
    }
    // Without allowed origins no origin is ever allowed, and the same page is.
    const alone = await t.app.inject({
      method: 'GET',
      url: '/api/health/ping',
      headers: { origin: 'https://app.example' },
    });
    assert.equal(alone.statusCode, 200);
    assert.equal(alone.headers['access-control-allow-origin'], undefined);
  });
});

describe('Redis going away', () => {
  it('keeps serving, reports degraded readiness and logs a warning', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    // Nothing listens on port 1: the same as a Redis server that went down.
    const t = await buildTestApp({
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
      logger: pino({ level: 'warn' }, sink),
    });
    try {
      const s = await register(t.app);
      const me = await t.app.inject({ url: '/api/users/me', headers: s.auth });
      assert.equal(me.statusCode, 200);
      const ready = await t.app.inject({ url: '/api/health/ready' });
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json().status, 'degraded');
      assert.equal(ready.json().cache.status, 'down');
      assert.ok(
        lines.some((l) => l.includes('redis unavailable')),
        'a warning is logged',
      );
    } finally {
      await t.close();
    }
  });
});
