import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, register, type TestApp } from '../support/app.js';

// The pages ask once whether there is a session; "no" is an answer, not an error in the console.
describe('POST /api/auth/session', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const resume = (cookie?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/session',
      ...(cookie === undefined ? {} : { cookies: { wt_refresh: cookie } }),
    });

  it('answers 200 null to a visitor without a session', async () => {
    const res = await resume();
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, 'null');
    const unknown = await resume('not-a-refresh-token');
    assert.equal(unknown.statusCode, 200);
    assert.equal(unknown.body, 'null');
    const cleared = unknown.cookies.find((c) => c.name === 'wt_refresh');
    assert.equal(cleared?.value, '', 'a dead cookie is cleared');
  });

  it('resumes a live session with new tokens and a rotated cookie', async () => {
    const s = await register(t.app);
    const res = await resume(s.refreshCookie);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().user.email, s.user.email);
    assert.equal(res.json().refreshToken, undefined, 'the refresh token stays in the cookie');
    const rotated = res.cookies.find((c) => c.name === 'wt_refresh')?.value;
    assert.ok(rotated && rotated !== s.refreshCookie);
    const me = await t.app.inject({
      url: '/api/users/me',
      headers: { authorization: `Bearer ${res.json().accessToken}` },
    });
    assert.equal(me.statusCode, 200);
  });

  it('answers null after logout, and refuses foreign origins', async () => {
    const s = await register(t.app);
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', cookies: { wt_refresh: s.refreshCookie } });
    assert.equal((await resume(s.refreshCookie)).body, 'null');
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/auth/session',
      headers: { origin: 'https://evil.example' },
      cookies: { wt_refresh: s.refreshCookie },
    });
    assert.equal(foreign.statusCode, 403);
  });
});

describe('sessions expire by the app clock', () => {
  let t: TestApp;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  before(async () => {
    t = await buildTestApp({
      env: { REFRESH_TOKEN_EXPIRE_DAYS: '30' },
      deps: { now: () => new Date(clock) },
    });
  });
  after(() => t.close());

  it('keeps a session for 30 days, then neither its access token nor its cookie works', async () => {
    const s = await register(t.app);
    const me = () => t.app.inject({ url: '/api/users/me', headers: s.auth });
    clock += 30 * 86_400_000 - 60_000;
    assert.equal((await me()).statusCode, 200, 'a minute before the end');
    clock += 120_000;
    assert.equal((await me()).statusCode, 401, 'a minute after the end');
    const resumed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/session',
      cookies: { wt_refresh: s.refreshCookie },
    });
    assert.equal(resumed.body, 'null');
  });
});
