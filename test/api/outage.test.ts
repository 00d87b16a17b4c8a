import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { buildTestApp, PASSWORD, register, type Session, type TestApp } from '../support/app.js';

/**
 * A TCP proxy in front of PostgreSQL that the test can cut: while it is down, new connections are
 * refused and the open ones are dropped, as when the database host goes away.
 */
async function startProxy(target: { host: string; port: number }) {
  const open = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const up = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const s of [client, upstream]) {
        open.add(s);
        s.on('error', () => undefined).on('close', () => open.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  };
  await up();
  return {
    port,
    up,
    async down() {
      const closed = new Promise((resolve) => server!.close(resolve));
      for (const s of open) s.destroy();
      await closed;
    },
  };
}

/** What a signed-in user and a returning user get while the database does not answer. */
async function assertUnavailable(t: TestApp, s: Session) {
  const signedIn = await t.app.inject({ url: '/api/budget/accounts', headers: s.auth });
  assert.equal(signedIn.statusCode, 503, signedIn.body);
  assert.equal(signedIn.json().error.code, 'SERVICE_UNAVAILABLE');
  assert.ok(Number(signedIn.headers['retry-after']) > 0);
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: s.user.email, password: PASSWORD },
  });
  assert.equal(login.statusCode, 503, login.body);
  assert.equal(login.json().error.code, 'SERVICE_UNAVAILABLE');
  const refresh = await t.app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    cookies: { wt_refresh: s.refreshCookie },
  });
  assert.equal(refresh.statusCode, 503, refresh.body);
  assert.equal(refresh.headers['set-cookie'], undefined, 'the refresh cookie is kept');
  const session = await t.app.inject({
    method: 'POST',
    url: '/api/auth/session',
    cookies: { wt_refresh: s.refreshCookie },
  });
  assert.equal(session.statusCode, 503, session.body);
  assert.equal(session.headers['set-cookie'], undefined, 'the pages stay signed in');
  const ready = await t.app.inject({ url: '/api/health/ready' });
  assert.equal(ready.statusCode, 503);
  assert.ok(Number(ready.headers['retry-after']) > 0);
  assert.deepEqual(ready.json().database, { status: 'down', driver: t.database.driver });
  return ready.body;
}

describe('a database outage is not a logout', { skip: process.env.DATABASE_URL === undefined }, () => {
  let t: TestApp;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  before(async () => {
    const real = new URL(process.env.DATABASE_URL!);
    proxy = await startProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const viaProxy = new URL(real);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await buildTestApp({ env: { DATABASE_URL: viaProxy.toString(), SQL_POOL_TIMEOUT: '2' } });
  });
  after(async () => {
    await t.close();
    await proxy.down();
  });

  it('answers 503 with Retry-After while PostgreSQL is unreachable, and the session lives on', async () => {
    const s = await register(t.app);
    await proxy.down();
    const ready = await assertUnavailable(t, s);
    assert.ok(!ready.includes(String(proxy.port)) && !ready.includes('127.0.0.1'), ready);
    await proxy.up();
    // The same access token and refresh cookie work again: nobody was logged out.
    const back = await t.app.inject({ url: '/api/budget/accounts', headers: s.auth });
    assert.equal(back.statusCode, 200, back.body);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      cookies: { wt_refresh: s.refreshCookie },
    });
    assert.equal(refresh.statusCode, 200, refresh.body);
  });
});

describe('the embedded database closed under a running app', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ env: { DATABASE_URL: '' } });
  });
  after(() => t.close());

  it('answers 503, not 401 or 500', async () => {
    const s = await register(t.app);
    await t.database.close();
    await assertUnavailable(t, s);
  });
});
