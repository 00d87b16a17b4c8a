import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { sha256 } from '../../src/server/platform/crypto.js';
import { buildTestApp, PASSWORD, register, sessionOf, uniqueEmail, type TestApp } from '../support/app.js';

describe('auth flows', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('register → me → refresh → reuse of the old refresh token revokes the family → logout', async () => {
    const email = uniqueEmail();
    const s = await register(t.app, email);
    assert.equal(s.user.email, email);
    assert.ok(s.refreshCookie.length >= 43, 'refresh token carries at least 256 bits');

    const me = await t.app.inject({ url: '/api/users/me', headers: s.auth });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(
      {
        email: me.json().email,
        locale: me.json().locale,
        baseCurrency: me.json().baseCurrency,
        hasTinvestToken: me.json().hasTinvestToken,
      },
      { email, locale: 'ru', baseCurrency: 'RUB', hasTinvestToken: false },
    );
    assert.equal(me.json().passwordHash, undefined);

    const r1 = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      cookies: { wt_refresh: s.refreshCookie },
    });
    assert.equal(r1.statusCode, 200);
    const s2 = sessionOf(r1);
    assert.notEqual(s2.refreshCookie, s.refreshCookie, 'the refresh token rotates');
    assert.equal(r1.json().refreshToken, undefined, 'browser flow keeps the refresh token out of the body');

    // The same browser presenting the just-rotated token (another tab, or a page left before the
    // answer arrived) is given a fresh rotation; nothing is revoked.
    const race = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      cookies: { wt_refresh: s.refreshCookie },
    });
    assert.equal(race.statusCode, 200);
    assert.notEqual(sessionOf(race).refreshCookie, s2.refreshCookie);
    assert.equal((await t.app.inject({ url: '/api/users/me', headers: s2.auth })).statusCode, 200);

    // Later, someone replays the first refresh token: the whole session dies.
    await t.database.db.execute(
      sql`update refresh_tokens set used_at = now() - interval '1 minute' where token_hash = ${sha256(s.refreshCookie)}`,
    );
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      cookies: { wt_refresh: s.refreshCookie },
    });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json().error.code, 'REFRESH_TOKEN_REUSED');
    const afterReplay = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      cookies: { wt_refresh: s2.refreshCookie },
    });
    assert.equal(afterReplay.statusCode, 401, 'the newer token of the same family is revoked too');
    const meAfter = await t.app.inject({ url: '/api/users/me', headers: s2.auth });
    assert.equal(meAfter.statusCode, 401, 'access tokens of a revoked session stop working');

    // A fresh login, then logout ends it.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: PASSWORD },
    });
    assert.equal(login.statusCode, 200);
    const s3 = sessionOf(login);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { wt_refresh: s3.refreshCookie },
      headers: s3.auth,
    });
    assert.equal(out.statusCode, 204);
    const dead = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      cookies: { wt_refresh: s3.refreshCookie },
    });
    assert.equal(dead.statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/users/me', headers: s3.auth })).statusCode, 401);
  });

  it('wrong password and unknown e-mail give the same 401', async () => {
    const s = await register(t.app);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: s.user.email, password: 'nope-nope' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: uniqueEmail(), password: 'nope-nope' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
  });

  it('e-mail is case-insensitive and unique', async () => {
    const email = uniqueEmail();
    await register(t.app, email);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: email.toUpperCase(), password: PASSWORD },
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'EMAIL_TAKEN');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: email.toUpperCase(), password: PASSWORD },
    });
    assert.equal(login.statusCode, 200);
  });

  it('sets the refresh cookie HttpOnly, SameSite=Strict, scoped to /api/auth', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: uniqueEmail(), password: PASSWORD },
    });
    const cookie = res.cookies.find((c) => c.name === 'wt_refresh');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.path, '/api/auth');
  });

  it('non-browser clients can take the refresh token in the body and refresh with it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: uniqueEmail(), password: PASSWORD, refreshTokenInBody: true },
    });
    const refreshToken = res.json().refreshToken as string;
    assert.ok(refreshToken);
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().tokenType, 'bearer');
    assert.equal(r.json().expiresIn, 900);
  });

  it('refuses the refresh cookie from a foreign origin', async () => {
    const s = await register(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      cookies: { wt_refresh: s.refreshCookie },
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'ORIGIN_NOT_ALLOWED');
  });

  it('updates the profile and rejects unknown fields and time zones', async () => {
    const s = await register(t.app);
    const ok = await t.app.inject({
      method: 'PATCH',
      url: '/api/users/me',
      headers: s.auth,
      payload: { name: 'Анна', locale: 'en', baseCurrency: 'USD', timeZone: 'Asia/Yekaterinburg' },
    });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().name, 'Анна');
    assert.equal(ok.json().timeZone, 'Asia/Yekaterinburg');
    const mass = await t.app.inject({
      method: 'PATCH',
      url: '/api/users/me',
      headers: s.auth,
      payload: { id: 'x', email: 'a@b.c' },
    });
    assert.equal(mass.statusCode, 422);
    const tz = await t.app.inject({
      method: 'PATCH',
      url: '/api/users/me',
      headers: s.auth,
      payload: { timeZone: 'Mars/Olympus' },
    });
    assert.equal(tz.statusCode, 422);
    assert.match(tz.json().error.message, /timeZone/);
  });

  it('password change ends the other sessions and keeps this one', async () => {
    const email = uniqueEmail();
    const a = await register(t.app, email);
    const b = sessionOf(
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } }),
    );
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/users/me/password',
      headers: a.auth,
      payload: { currentPassword: 'not it', newPassword: 'a new password' },
    });
    assert.equal(wrong.statusCode, 403);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users/me/password',
      headers: a.auth,
      payload: { currentPassword: PASSWORD, newPassword: 'a new password' },
    });
    assert.equal(res.statusCode, 204);
    assert.equal((await t.app.inject({ url: '/api/users/me', headers: a.auth })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/users/me', headers: b.auth })).statusCode, 401);
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: PASSWORD },
    });
    assert.equal(old.statusCode, 401);
  });

  it("lists sessions and revokes one; another user's session id is a 404", async () => {
    const email = uniqueEmail();
    const a = await register(t.app, email);
    const b = sessionOf(
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } }),
    );
    const list = await t.app.inject({ url: '/api/users/me/sessions', headers: a.auth });
    assert.equal(list.statusCode, 200);
    const sessions = list.json<{ id: string; current: boolean }[]>();
    assert.equal(sessions.length, 2);
    assert.equal(sessions.filter((x) => x.current).length, 1);
    const other = sessions.find((x) => !x.current);
    assert.ok(other);

    const stranger = await register(t.app);
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/users/me/sessions/${other.id}`,
      headers: stranger.auth,
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal((await t.app.inject({ url: '/api/users/me', headers: b.auth })).statusCode, 200);

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/users/me/sessions/${other.id}`,
      headers: a.auth,
    });
    assert.equal(del.statusCode, 204);
    assert.equal((await t.app.inject({ url: '/api/users/me', headers: b.auth })).statusCode, 401);
  });

  it('rejects tokens signed with another algorithm, another key, or without exp', async () => {
    const s = await register(t.app);
    const [h, p] = s.accessToken.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: payload.sub, sid: payload.sid })}`;
    const noExp = `${unsigned}.${createHmac('sha256', t.config.secretKey).update(unsigned).digest('base64url')}`;
    const forged = `${h}.${p}.${Buffer.from('x'.repeat(32)).toString('base64url')}`;
    for (const token of [none, noExp, forged]) {
      const res = await t.app.inject({ url: '/api/users/me', headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.statusCode, 401, token);
    }
  });
});
