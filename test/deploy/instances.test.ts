import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  adminQuery,
  createDatabase,
  freePort,
  localSiteFiles,
  REDIS_URL,
  refreshCookieOf,
  request,
  selfSignedCertificate,
  sleep,
  startApp,
  startNginx,
  stop,
  upstreamOf,
  writeNginxConfig,
  type AppProcess,
  type Nginx,
  type TempDatabase,
} from './support.js';

const PASSWORD = 'correct horse battery';
const METRICS_TOKEN = 'deploy-suite-metrics-token-0123456789';
const LOGIN_LIMIT = 3;
const run = randomBytes(4).toString('hex');
let emails = 0;
const email = (label: string) => `${label}-${run}-${++emails}@example.test`;

/** A small stand-in for the built pages: a page and a hashed asset big enough to be compressed. */
function writeWebRoot(dir: string): void {
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>WealthTracker</title>');
  writeFileSync(path.join(dir, 'login.html'), '<!doctype html><title>Вход</title>');
  writeFileSync(
    path.join(dir, 'assets/main-3f9a1c0d.js'),
    `export const rows = ${JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ id: i, name: `row ${i}` })))};\n`,
  );
}

describe('two app instances behind nginx, on PostgreSQL and Redis', () => {
  let tmp: string;
  let db: TempDatabase;
  let a: AppProcess;
  let b: AppProcess;
  let nginx: Nginx;
  let site: string;
  const started: { process: ChildProcess; exited: Promise<unknown> }[] = [];

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'wt-deploy-'));
    db = await createDatabase();
    const env = {
      NODE_ENV: 'production',
      SECRET_KEY: `deploy-suite-secret-${run}-0123456789abcdef`,
      DATABASE_URL: db.url,
      REDIS_URL,
      TRUST_PROXY: '127.0.0.1',
      LOG_LEVEL: 'info',
      METRICS_TOKEN,
      LOGIN_RATE_LIMIT_PER_ACCOUNT: String(LOGIN_LIMIT),
      AUTH_RATE_LIMIT_PER_IP: '100000',
      REGISTER_RATE_LIMIT_PER_IP: '100000',
      RATE_LIMIT_PER_MINUTE: '100000',
    };
    // Both start at once on an empty database: the migration lock lets exactly one migrate.
    [a, b] = await Promise.all([startApp('a', env, tmp), startApp('b', env, tmp)]);
    started.push(a, b);

    writeWebRoot(path.join(tmp, 'web'));
    const port = await freePort();
    const files = localSiteFiles({
      upstreams: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`],
      webRoot: path.join(tmp, 'web'),
      httpPort: port,
    });
    site = `http://127.0.0.1:${port}`;
    nginx = await startNginx(
      writeNginxConfig(path.join(tmp, 'nginx'), 'default.conf', files),
      `${site}/nginx-health`,
    );
    started.push(nginx);
  });

  after(async () => {
    await Promise.all(started.map((p) => stop(p)));
    await db?.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const addressOf = (app: AppProcess) => `127.0.0.1:${app.port}`;

  it('nginx serves the pages: revalidated HTML, immutable hashed assets, gzip, security headers', async () => {
    const page = await request(`${site}/login.html`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
    assert.equal(page.headers.server, 'nginx', 'no version in the Server header');

    const asset = await request(`${site}/assets/main-3f9a1c0d.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(asset.headers['content-encoding'], 'gzip');

    assert.equal((await request(`${site}/`)).status, 200);
    assert.equal((await request(`${site}/assets/missing-0000.js`)).status, 404);
    // Metrics stay on the internal network: nginx does not pass them on.
    assert.equal((await request(`${site}/metrics`)).status, 404);

    const api = await request(`${site}/api/health/ready`);
    assert.equal(api.status, 200);
    assert.equal(api.json().database.driver, 'postgres');
    assert.equal(api.json().cache.driver, 'redis');
    assert.equal(api.headers['x-frame-options'], 'SAMEORIGIN', "API responses carry the app's own headers");
  });

  it('a login answered by one instance is refreshed by the other (the cookie goes through nginx)', async () => {
    const address = email('refresh');
    assert.equal(
      (
        await request(`${site}/api/auth/register`, {
          method: 'POST',
          body: { email: address, password: PASSWORD },
        })
      ).status,
      201,
    );
    const login = await request(`${site}/api/auth/login`, {
      method: 'POST',
      body: { email: address, password: PASSWORD },
    });
    assert.equal(login.status, 200);
    const loginUpstream = await upstreamOf(nginx, login);
    let cookie = refreshCookieOf(login);
    assert.ok(cookie);
    assert.match(String(login.headers['set-cookie']), /Path=\/api\/auth; HttpOnly; SameSite=Strict/);

    // nginx alternates between the two; refresh until the other one has answered, every time with success.
    let other: string | undefined;
    let accessToken = '';
    for (let i = 0; i < 4 && other === undefined; i++) {
      const refresh = await request(`${site}/api/auth/refresh`, {
        method: 'POST',
        // What a browser sends: its origin includes the port, which nginx passes on in Host.
        headers: { cookie: `wt_refresh=${cookie}`, origin: site },
      });
      assert.equal(refresh.status, 200, refresh.body);
      cookie = refreshCookieOf(refresh);
      accessToken = refresh.json().accessToken;
      const upstream = await upstreamOf(nginx, refresh);
      if (upstream !== loginUpstream) other = upstream;
    }
    assert.ok(other, 'a refresh was answered by the other instance');
    assert.deepEqual(new Set([loginUpstream, other]), new Set([addressOf(a), addressOf(b)]));

    for (const app of [a, b]) {
      const me = await request(`${app.url}/api/users/me`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      assert.equal(me.status, 200);
      assert.equal(me.json().email, address);
    }
  });

  it('the login limit counts attempts on both instances; the client address comes only from nginx', async () => {
    const address = email('limit');
    await request(`${site}/api/auth/register`, {
      method: 'POST',
      body: { email: address, password: PASSWORD },
    });
    const attempt = (localAddress: string, password: string, headers: Record<string, string> = {}) =>
      request(`${site}/api/auth/login`, {
        method: 'POST',
        body: { email: address, password },
        localAddress,
        headers,
      });

    const upstreams = new Set<string>();
    for (let i = 0; i < LOGIN_LIMIT; i++) {
      const res = await attempt('127.0.0.2', 'wrong password');
      assert.equal(res.status, 401);
      upstreams.add(await upstreamOf(nginx, res));
    }
    assert.equal(upstreams.size, 2, 'the failed attempts went to both instances');

    const blocked = await attempt('127.0.0.2', PASSWORD);
    assert.equal(blocked.status, 429);
    assert.equal(blocked.json().error.code, 'RATE_LIMITED');
    // A forged X-Forwarded-For does not make a new client: nginx replaces it…
    assert.equal((await attempt('127.0.0.2', PASSWORD, { 'x-forwarded-for': '198.51.100.7' })).status, 429);
    // …and an app instance reached directly believes it only from TRUST_PROXY.
    const direct = await request(`${b.url}/api/auth/login`, {
      method: 'POST',
      body: { email: address, password: PASSWORD },
      localAddress: '127.0.0.2',
      headers: { 'x-forwarded-for': '198.51.100.8' },
    });
    assert.equal(direct.status, 429);
    // The owner, from another address, still logs in.
    assert.equal((await attempt('127.0.0.3', PASSWORD)).status, 200);
  });

  it('a write through one instance is read through the other', async () => {
    const registered = await request(`${a.url}/api/auth/register`, {
      method: 'POST',
      body: { email: email('write'), password: PASSWORD },
    });
    assert.equal(registered.status, 201);
    const authorization = `Bearer ${registered.json().accessToken}`;
    const patched = await request(`${a.url}/api/users/me`, {
      method: 'PATCH',
      headers: { authorization },
      body: { name: 'Ольга Петрова', baseCurrency: 'USD' },
    });
    assert.equal(patched.status, 200, patched.body);
    const me = await request(`${b.url}/api/users/me`, { headers: { authorization } });
    assert.equal(me.status, 200);
    assert.equal(me.json().name, 'Ольга Петрова');
    assert.equal(me.json().baseCurrency, 'USD');
  });

  it('each instance reports its own metrics, with the PostgreSQL pool', async () => {
    const res = await request(`${a.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(
      res.body,
      /^http_requests_total\{method="POST",route="\/api\/auth\/login",status="\d+"\} \d+$/m,
    );
    assert.match(res.body, /^db_pool_connections\{state="total"\} [1-9]\d*$/m);
    assert.match(res.body, /^db_pool_connections\{state="waiting"\} 0$/m);
    assert.match(res.body, /^process_resident_memory_bytes \d+/m);
    assert.equal((await request(`${a.url}/metrics`)).status, 401);
  });

  it('the production site: HTTPS with HSTS, HTTP redirected, the ACME challenge answered', async () => {
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const dir = path.join(tmp, 'tls');
    await selfSignedCertificate(path.join(dir, 'certs'));
    mkdirSync(path.join(dir, 'acme/.well-known/acme-challenge'), { recursive: true });
    writeFileSync(path.join(dir, 'acme/.well-known/acme-challenge/token-1'), 'token-1.key');
    const files = localSiteFiles({
      upstreams: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`],
      webRoot: path.join(tmp, 'web'),
      httpPort,
      httpsPort,
      certDir: path.join(dir, 'certs'),
      acmeRoot: path.join(dir, 'acme'),
    });
    const https = `https://127.0.0.1:${httpsPort}`;
    const tls = await startNginx(
      writeNginxConfig(path.join(dir, 'nginx'), 'production.conf', files),
      `${https}/`,
    );
    started.push(tls);
    try {
      const redirect = await request(`http://127.0.0.1:${httpPort}/budget.html?month=2025-01`);
      assert.equal(redirect.status, 301);
      assert.equal(redirect.headers.location, 'https://127.0.0.1/budget.html?month=2025-01');
      const challenge = await request(`http://127.0.0.1:${httpPort}/.well-known/acme-challenge/token-1`);
      assert.equal(challenge.status, 200);
      assert.equal(challenge.body, 'token-1.key');

      const page = await request(`${https}/login.html`, { insecure: true });
      assert.equal(page.status, 200);
      assert.equal(page.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);

      // The app learns the scheme from nginx, so the refresh cookie is Secure.
      const registered = await request(`${https}/api/auth/register`, {
        method: 'POST',
        insecure: true,
        body: { email: email('tls'), password: PASSWORD },
      });
      assert.equal(registered.status, 201);
      assert.match(String(registered.headers['set-cookie']), /; Secure/);
    } finally {
      await stop(tls);
    }
  });

  it(
    'SIGTERM mid-load: in-flight requests finish, no acknowledged write is lost, clients retry on the other',
    { timeout: 90_000 },
    async () => {
      const total = 90;
      const clients = 6;
      const prefix = `load-${run}-`;
      const acknowledged = new Set<string>();
      let retries = 0;
      let next = 0;

      async function writeUntilAcknowledged(address: string): Promise<void> {
        for (let attempt = 0; ; attempt++) {
          const res = await request(`${site}/api/auth/register`, {
            method: 'POST',
            body: { email: address, password: PASSWORD },
          }).catch(() => undefined);
          // 409 on a retry: an earlier attempt was written but its answer was lost.
          if (res?.status === 201 || (attempt > 0 && res?.status === 409)) {
            acknowledged.add(address);
            return;
          }
          if (res !== undefined && ![502, 503, 504].includes(res.status))
            throw new Error(`unexpected ${res.status}: ${res.body}`);
          if (attempt >= 20) throw new Error(`no instance took ${address}`);
          retries++;
          await sleep(50);
        }
      }
      let loadFailure: unknown;
      let loadDone = false;
      const load = Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < total) await writeUntilAcknowledged(`${prefix}${next++}@example.test`);
        }),
      )
        .catch((err: unknown) => (loadFailure = err))
        .finally(() => (loadDone = true));

      while (acknowledged.size < total / 3 && !loadDone) await sleep(20);
      assert.equal(loadFailure, undefined);

      // A request in flight on A, on a keep-alive connection as nginx's: headers and part of the
      // body are sent when SIGTERM arrives.
      const body = JSON.stringify({ email: `${prefix}in-flight@example.test`, password: PASSWORD });
      const socket = net.connect(a.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write(
        `POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`,
      );
      await sleep(100);
      a.process.kill('SIGTERM');
      await sleep(300);

      // A accepts no new connection…
      const refused = await new Promise<boolean>((resolve) => {
        const probe = net.connect(a.port, '127.0.0.1');
        probe.once('connect', () => {
          probe.destroy();
          resolve(false);
        });
        probe.once('error', () => resolve(true));
      });
      assert.ok(refused, 'a stopping instance refuses new connections');
      // …but finishes the request it had started, and then closes that connection instead of
      // waiting for the client to close it.
      socket.write(body.slice(20));
      await closed;
      assert.match(answer, /^HTTP\/1\.1 201 /, answer);
      assert.match(answer, /\r\nconnection: close\r\n/i);

      const exit = await a.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, a.log());
      assert.match(a.log(), /"msg":"stopped"/, 'the pools were closed before the exit');

      await load;
      assert.equal(loadFailure, undefined);
      assert.equal(acknowledged.size, total);
      const rows = await adminQuery<{ email: string }>(
        db.url,
        'select email from users where email like $1',
        [`${prefix}%`],
      );
      const stored = new Set(rows.map((r) => r.email));
      assert.deepEqual(
        [...acknowledged].filter((e) => !stored.has(e)),
        [],
        'every acknowledged write is stored',
      );
      assert.equal(stored.size, total + 1, 'the load and the in-flight request, each written once');
      // The survivor took over everything after the stop.
      assert.equal((await request(`${site}/api/health/ready`)).status, 200);
      console.log(`# load: ${total} writes, ${retries} retried after ${a.name} stopped`);
    },
  );
});
