import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

/** The one reader of the environment: everything else receives a Config. */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  /** Port that serves the API and the web pages (APP_PORT, falling back to BACKEND_PORT). */
  port: number;
  host: string;
  /** postgres://… when a server is used; undefined means the embedded database in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  secretKey: string;
  /** Key ring for encrypting stored third-party tokens: id → 32-byte key; the first one encrypts. */
  encryptionKeys: { id: string; key: Buffer }[];
  accessTokenMinutes: number;
  refreshTokenDays: number;
  allowedOrigins: string[];
  trustProxy: string[];
  timeZone: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  sqlPool: { size: number; maxOverflow: number; recycleSeconds: number; timeoutSeconds: number };
  tinvest: { apiUrl: string; serverToken: string | undefined };
  /** MOEX ISS, the token-less market data source; undefined when switched off (MOEX_ISS_URL=off). */
  moexIss: { url: string; timeoutMs: number } | undefined;
  /** Bank of Russia rates: base of XML_daily.asp / XML_dynamic.asp, per-call timeout, a page's wait. */
  cbr: { url: string; timeoutMs: number; waitMs: number };
  rateLimit: {
    globalPerMinute: number;
    authPerIpPer15Min: number;
    loginPerAccountPer15Min: number;
    registerPerIpPerHour: number;
  };
  /** Directory with the built web pages; served when it exists. */
  webDir: string;
  metricsToken: string | undefined;
  /** Runs the job that posts scheduled transactions on their day (SCHEDULE_POSTING, default on). */
  schedulePosting: boolean;
}

export const DEFAULT_SECRET_KEY = 'change-me-in-production';
const KNOWN_WEAK_SECRETS = new Set([
  DEFAULT_SECRET_KEY,
  'secret',
  'changeme',
  'your-secret-key',
  'supersecret',
]);
const TINVEST_PRODUCTION_URL = 'https://invest-public-api.tbank.ru/rest';
const MOEX_ISS_PRODUCTION_URL = 'https://iss.moex.com/iss';
const CBR_URL = 'https://www.cbr.ru/scripts/';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Reads `.env` from cwd (if present) under the real environment, which wins. */
export function loadEnv(env: Env = process.env, cwd = process.cwd()): Env {
  const file = path.join(cwd, '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...env };
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0' || raw === 'no') return false;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Accepts the original's `postgresql+psycopg2://` form and plain postgres URLs. */
export function normalizeDatabaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const url = raw.trim().replace(/^postgres(ql)?\+[a-z0-9]+:\/\//i, 'postgresql://');
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new ConfigError('DATABASE_URL must start with postgresql:// (or postgresql+psycopg2://)');
  }
  try {
    new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL');
  }
  return url;
}

function url(env: Env, name: string, schemes: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!schemes.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${schemes.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw.replace(/\/+$/, '');
}

function encryptionKeys(env: Env, secretKey: string): Config['encryptionKeys'] {
  // TOKEN_ENCRYPTION_KEYS="id1:base64key,id0:base64key" — the first encrypts, all decrypt (rotation).
  const raw = list(env.TOKEN_ENCRYPTION_KEYS);
  if (raw.length === 0) return [{ id: 'sk', key: deriveKey(secretKey) }];
  return raw.map((entry) => {
    const [id, b64] = entry.split(':');
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!id || key.length !== 32) {
      throw new ConfigError('TOKEN_ENCRYPTION_KEYS entries must be "id:<32 bytes in base64>"');
    }
    return { id, key };
  });
}

function deriveKey(secret: string): Buffer {
  // A fixed derivation so the default key ring follows SECRET_KEY.
  return createHash('sha256').update(`wealthtracker-token-key:${secret}`).digest();
}

export function loadConfig(env: Env = loadEnv()): Config {
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as Config['nodeEnv'];
  const production = nodeEnv === 'production';

  const secretKey = env.SECRET_KEY ?? '';
  if (production) {
    if (secretKey === '' || KNOWN_WEAK_SECRETS.has(secretKey)) {
      throw new ConfigError('SECRET_KEY is missing or a known default: set a random value of 32+ characters');
    }
    if (secretKey.length < 32)
      throw new ConfigError('SECRET_KEY must be at least 32 characters in production');
  }
  const algorithm = env.ALGORITHM ?? 'HS256';
  if (algorithm !== 'HS256')
    throw new ConfigError(`ALGORITHM must be HS256 (the only one accepted), got "${algorithm}"`);

  const debug = bool(env, 'DEBUG');
  const logLevel = (env.LOG_LEVEL ?? (debug ? 'debug' : 'info')).toLowerCase();
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`,
    );
  }

  const timeZone = env.TZ?.trim() || 'Europe/Moscow';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(`TZ is not a known time zone: "${timeZone}"`);
  }

  const allowedOrigins = list(env.ALLOWED_ORIGINS);
  for (const origin of allowedOrigins) {
    if (origin === '*') throw new ConfigError('ALLOWED_ORIGINS must list origins; "*" is not allowed');
    if (!/^https?:\/\/[^/]+$/.test(origin))
      throw new ConfigError(`ALLOWED_ORIGINS entry is not an origin: "${origin}"`);
  }

  const port = int(env, 'APP_PORT', int(env, 'BACKEND_PORT', 8080, 0, 65535), 0, 65535);
  const effectiveSecret = secretKey || DEFAULT_SECRET_KEY;

  return {
    nodeEnv,
    port,
    host: env.HOST?.trim() || (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: normalizeDatabaseUrl(env.DATABASE_URL),
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    secretKey: effectiveSecret,
    encryptionKeys: encryptionKeys(env, effectiveSecret),
    accessTokenMinutes: int(env, 'ACCESS_TOKEN_EXPIRE_MINUTES', 15, 1, 15),
    refreshTokenDays: int(env, 'REFRESH_TOKEN_EXPIRE_DAYS', 30, 1, 365),
    allowedOrigins,
    trustProxy: list(env.TRUST_PROXY),
    timeZone,
    logLevel: logLevel as Config['logLevel'],
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    sqlPool: {
      size: int(env, 'SQL_POOL_SIZE', 10, 1, 1000),
      maxOverflow: int(env, 'SQL_MAX_OVERFLOW', 10, 0, 1000),
      recycleSeconds: int(env, 'SQL_POOL_RECYCLE', 1800, 0, 86_400),
      timeoutSeconds: int(env, 'SQL_POOL_TIMEOUT', 30, 1, 3600),
    },
    tinvest: {
      apiUrl: url(env, 'TINVEST_API_URL', ['https:', 'http:']) ?? TINVEST_PRODUCTION_URL,
      serverToken: env.TINKOFF_API_TOKEN?.trim() || env.TINKOFF_TOKEN?.trim() || undefined,
    },
    moexIss:
      env.MOEX_ISS_URL?.trim().toLowerCase() === 'off'
        ? undefined
        : {
            url: url(env, 'MOEX_ISS_URL', ['https:', 'http:']) ?? MOEX_ISS_PRODUCTION_URL,
            timeoutMs: int(env, 'MOEX_ISS_TIMEOUT_MS', 8_000, 500, 60_000),
          },
    cbr: {
      url: url(env, 'CBR_URL', ['https:', 'http:']) ?? CBR_URL,
      timeoutMs: int(env, 'CBR_TIMEOUT_MS', 10_000, 100, 120_000),
      waitMs: int(env, 'CBR_WAIT_MS', 2_500, 0, 10_000),
    },
    rateLimit: {
      globalPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
      authPerIpPer15Min: int(env, 'AUTH_RATE_LIMIT_PER_IP', 100, 1, 1_000_000),
      loginPerAccountPer15Min: int(env, 'LOGIN_RATE_LIMIT_PER_ACCOUNT', 10, 1, 1_000_000),
      registerPerIpPerHour: int(env, 'REGISTER_RATE_LIMIT_PER_IP', 20, 1, 1_000_000),
    },
    webDir: path.resolve(env.WEB_DIR?.trim() || './dist/web'),
    metricsToken: env.METRICS_TOKEN?.trim() || undefined,
    schedulePosting: (env.SCHEDULE_POSTING ?? '').trim() === '' || bool(env, 'SCHEDULE_POSTING'),
  };
}
