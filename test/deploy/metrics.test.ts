import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, register, type TestApp } from '../support/app.js';

const TOKEN = 'scrape-token-for-the-test-0123456789';

/** The value of one sample line, e.g. `http_requests_total{method="GET",…} 3`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelPart = line.slice(name.length + 1, line.indexOf('}'));
    if (wanted.every((l) => labelPart.split(',').includes(l))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  after(() => t.close());

  it('is off unless METRICS_TOKEN is set', async () => {
    const off = await buildTestApp();
    try {
      const res = await off.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.statusCode, 404);
    } finally {
      await off.close();
    }
  });

  it('needs the bearer token', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, TOKEN]) {
      const res = await t.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      assert.equal(res.statusCode, 401, String(authorization));
      assert.equal(res.json().error.code, 'UNAUTHORIZED');
    }
  });

  it('counts requests by route pattern and status, with latency and process memory', async () => {
    const s = await register(t.app);
    const missing = '00000000-0000-4000-8000-000000000000';
    await t.app.inject({ method: 'DELETE', url: `/api/users/me/sessions/${missing}`, headers: s.auth });
    await t.app.inject({ method: 'DELETE', url: `/api/users/me/sessions/${missing}`, headers: s.auth });
    await t.app.inject({ url: '/no/such/page-12345' });

    const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = res.body;

    const pattern = { method: 'DELETE', route: '/api/users/me/sessions/:id', status: '404' };
    assert.equal(sample(text, 'http_requests_total', pattern), 2);
    assert.equal(sample(text, 'http_request_duration_seconds_count', pattern), 2);
    assert.equal(sample(text, 'http_request_duration_seconds_bucket', { ...pattern, le: '+Inf' }), 2);
    const registered = { method: 'POST', route: '/api/auth/register', status: '201' };
    assert.equal(sample(text, 'http_requests_total', registered), 1);
    // Unknown URLs share one series, so scanners cannot blow up the number of series.
    assert.equal(sample(text, 'http_requests_total', { route: 'unmatched', status: '404' }), 1);
    assert.ok(!text.includes('page-12345'));
    assert.ok(!text.includes(missing));
    assert.match(text, /^process_resident_memory_bytes \d+/m);
    assert.match(text, /^nodejs_heap_size_used_bytes \d+/m);
    assert.match(text, /^# TYPE db_pool_connections gauge$/m);
    if (t.database.driver === 'postgres') {
      assert.ok((sample(text, 'db_pool_connections', { state: 'total' }) ?? 0) >= 1);
    }
  });
});
