import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DEFAULT_SECRET_KEY, loadConfig } from '../../src/server/config.js';

describe('configuration', () => {
  it('runs on embedded defaults with no variables', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.redisUrl, undefined);
    assert.equal(c.tinvest.serverToken, undefined);
    assert.equal(c.accessTokenMinutes, 15);
    assert.deepEqual(c.allowedOrigins, []);
  });

  it("accepts the original's postgresql+psycopg2 URL", () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql+psycopg2://bigs:bigs_pass@db:5432/bigsdb' });
    assert.equal(c.databaseUrl, 'postgresql://bigs:bigs_pass@db:5432/bigsdb');
  });

  it('takes the server token from TINKOFF_API_TOKEN or TINKOFF_TOKEN', () => {
    assert.equal(loadConfig({ TINKOFF_TOKEN: 't.abc' }).tinvest.serverToken, 't.abc');
    assert.equal(
      loadConfig({ TINKOFF_API_TOKEN: 't.one', TINKOFF_TOKEN: 't.two' }).tinvest.serverToken,
      't.one',
    );
  });

  it('uses MOEX ISS without a token unless MOEX_ISS_URL is off', () => {
    assert.deepEqual(loadConfig({}).moexIss, { url: 'https://iss.moex.com/iss', timeoutMs: 8000 });
    assert.deepEqual(
      loadConfig({ MOEX_ISS_URL: 'http://127.0.0.1:9998/iss/', MOEX_ISS_TIMEOUT_MS: '1500' }).moexIss,
      { url: 'http://127.0.0.1:9998/iss', timeoutMs: 1500 },
    );
    assert.equal(loadConfig({ MOEX_ISS_URL: 'off' }).moexIss, undefined);
    assert.throws(() => loadConfig({ MOEX_ISS_URL: 'ftp://x' }), /MOEX_ISS_URL/);
    assert.throws(() => loadConfig({ MOEX_ISS_TIMEOUT_MS: '10' }), /MOEX_ISS_TIMEOUT_MS/);
  });

  it('uses BACKEND_PORT when APP_PORT is not set', () => {
    assert.equal(loadConfig({ BACKEND_PORT: '8000' }).port, 8000);
    assert.equal(loadConfig({ BACKEND_PORT: '8000', APP_PORT: '9000' }).port, 9000);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['production without SECRET_KEY', { NODE_ENV: 'production' }, /SECRET_KEY/],
    [
      'production with the default SECRET_KEY',
      { NODE_ENV: 'production', SECRET_KEY: DEFAULT_SECRET_KEY },
      /SECRET_KEY/,
    ],
    [
      'production with a short SECRET_KEY',
      { NODE_ENV: 'production', SECRET_KEY: 'short-secret' },
      /SECRET_KEY/,
    ],
    ['a port that is not a number', { APP_PORT: 'eighty' }, /APP_PORT/],
    ['a port out of range', { APP_PORT: '70000' }, /APP_PORT/],
    ['another JWT algorithm', { ALGORITHM: 'none' }, /ALGORITHM/],
    ['access tokens over 15 minutes', { ACCESS_TOKEN_EXPIRE_MINUTES: '60' }, /ACCESS_TOKEN_EXPIRE_MINUTES/],
    ['a database URL of another kind', { DATABASE_URL: 'mysql://x@y/z' }, /DATABASE_URL/],
    ['a Redis URL of another kind', { REDIS_URL: 'http://127.0.0.1:6379' }, /REDIS_URL/],
    ['a wildcard origin', { ALLOWED_ORIGINS: '*' }, /ALLOWED_ORIGINS/],
    ['an unknown time zone', { TZ: 'Mars/Base' }, /TZ/],
    ['a bad log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    ['DEBUG that is not a boolean', { DEBUG: 'maybe' }, /DEBUG/],
    ['a malformed key ring', { TOKEN_ENCRYPTION_KEYS: 'k1:short' }, /TOKEN_ENCRYPTION_KEYS/],
  ];
  for (const [name, env, message] of bad) {
    it(`stops with a clear message for ${name}`, () => {
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => err instanceof ConfigError && message.test(err.message),
      );
    });
  }

  it('starts in production with a strong secret', () => {
    const c = loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(40) });
    assert.equal(c.host, '0.0.0.0');
  });
});
