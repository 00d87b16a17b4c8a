import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import {
  buildTestApp,
  PASSWORD,
  register,
  testDatabaseUrl,
  type Session,
  type TestApp,
} from '../support/app.js';

/**
 * A TCP proxy in front of PostgreSQL that the test can cut: while it is down, new connections are
 * refused and the open ones are dropped, as when the database host goes away.
 */
async function startProxy(target: net.NetConnectOpts) {
  const open = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const up = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(target);
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

describe('a database outage is not a logout', () => {
  let t: TestApp;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let admin: pg.Client;
  const name = `wt_outage_${randomUUID().replaceAll('-', '')}`;
  before(async () => {
    const real = new URL(await testDatabaseUrl());
    admin = new pg.Client({ connectionString: real.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    // The server's TCP port, or its Unix socket (the embedded cluster of a test run is reached so).
    const socketDir = real.searchParams.get('host');
    const port = Number(real.searchParams.get('port') ?? (real.port || 5432));
    proxy = await startProxy(
      socketDir?.startsWith('/') ? { path: `${socketDir}/.s.PGSQL.${port}` } : { host: real.hostname, port },
    );
    const viaProxy = new URL(real);
    viaProxy.search = '';
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    viaProxy.pathname = `/${name}`;
    // An explicit DATABASE_URL: the test app migrates that database and talks to it via the proxy.
    t = await buildTestApp({ env: { DATABASE_URL: viaProxy.toString(), SQL_POOL_TIMEOUT: '2' } });
  });
  after(async () => {
    await t.close();
    await proxy.down();
    // The server may not have noticed yet that the proxied connections are gone.
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
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
