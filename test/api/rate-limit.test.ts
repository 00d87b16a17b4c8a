import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, PASSWORD, register, uniqueEmail, type TestApp } from '../support/app.js';

describe('rate limits without lock-out', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({
      env: {
        LOGIN_RATE_LIMIT_PER_ACCOUNT: '5',
        AUTH_RATE_LIMIT_PER_IP: '40',
        REGISTER_RATE_LIMIT_PER_IP: '3',
      },
    });
  });
  after(() => t.close());

  const login = (email: string, password: string, ip: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip });

  it('limits failed logins for one address and account; the owner from another address still logs in', async () => {
    const email = uniqueEmail();
    await register(t.app, email);
    for (let i = 0; i < 5; i++)
      assert.equal((await login(email, 'guess-guess', '203.0.113.7')).statusCode, 401);
    const blocked = await login(email, PASSWORD, '203.0.113.7');
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.json().error.code, 'RATE_LIMITED');
    assert.ok(Number(blocked.headers['retry-after']) > 0);

    // The same attacker address can still reach other accounts, and the owner is not locked out.
    const owner = await login(email, PASSWORD, '198.51.100.20');
    assert.equal(owner.statusCode, 200);
    const other = await register(t.app);
    assert.equal((await login(other.user.email, PASSWORD, '203.0.113.7')).statusCode, 200);
  });

  it('limits all auth calls per address', async () => {
    const ip = '203.0.113.99';
    let last = 0;
    for (let i = 0; i < 41; i++) last = (await login(uniqueEmail(), 'whatever-1', ip)).statusCode;
    assert.equal(last, 429);
    assert.equal((await login(uniqueEmail(), 'whatever-1', '203.0.113.100')).statusCode, 401);
  });

  it('limits registrations per address, not for the whole site', async () => {
    const reg = (ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: uniqueEmail(), password: PASSWORD },
        remoteAddress: ip,
      });
    for (let i = 0; i < 3; i++) assert.equal((await reg('192.0.2.1')).statusCode, 201);
    assert.equal((await reg('192.0.2.1')).statusCode, 429);
    assert.equal((await reg('192.0.2.2')).statusCode, 201);
  });

  it('a global limit per address covers the API', async () => {
    const g = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const s = await register(g.app);
      const codes: number[] = [];
      for (let i = 0; i < 4; i++)
        codes.push(
          (await g.app.inject({ url: '/api/users/me', headers: s.auth, remoteAddress: '192.0.2.50' }))
            .statusCode,
        );
      assert.deepEqual(codes, [200, 200, 200, 429]);
      assert.equal(
        (await g.app.inject({ url: '/api/health/ping', remoteAddress: '192.0.2.50' })).statusCode,
        200,
        'health checks are not limited',
      );
    } finally {
      await g.close();
    }
  });
});
