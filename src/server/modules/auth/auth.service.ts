import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import type { Config } from '../../config.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import {
  decryptSecret,
  encryptSecret,
  newOpaqueToken,
  reencryptSecret,
  sha256,
} from '../../platform/crypto.js';
import * as q from './auth.queries.js';
import type { SessionDto, UpdateMeBody, UserDto } from './auth.schemas.js';

// OWASP minimum for argon2id; the library's own default memory (4 MiB) is below it.
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * One hash at a time: each holds 19 MiB while it runs and the libuv pool would run 4 at once
 * (10 concurrent logins took the process from ~150 to ~260 MiB RSS). The others wait in line.
 */
const ARGON2_SLOTS = 1;
let argon2Running = 0;
const argon2Waiting: (() => void)[] = [];
async function inArgon2Slot<T>(work: () => Promise<T>): Promise<T> {
  if (argon2Running >= ARGON2_SLOTS) await new Promise<void>((resolve) => argon2Waiting.push(resolve));
  else argon2Running++;
  try {
    return await work();
  } finally {
    const next = argon2Waiting.shift();
    if (next) next();
    else argon2Running--;
  }
}
const hash = (password: string, options: typeof ARGON2) => inArgon2Slot(() => argon2Hash(password, options));
const verify = (hashed: string, password: string) => inArgon2Slot(() => argon2Verify(hashed, password));

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  user: UserDto;
}

/** What requests need to know of their user besides the id. */
export interface UserProfile {
  timeZone: string;
  baseCurrency: string;
}

/** How many users' profiles `seenProfiles` keeps. */
const SEEN_PROFILES = 10_000;

/** Called inside the registration transaction so a new user starts with defaults (e.g. categories). */
/** Runs in the registration's transaction; `locale` is the language the user registered in. */
export type UserCreatedHook = (tx: Db, userId: string, locale: 'ru' | 'en') => Promise<void>;

/** Called inside the transaction that changes a user's base currency (e.g. to derive amounts again). */
export type BaseCurrencyChangedHook = (tx: Db, userId: string, baseCurrency: string) => Promise<void>;

export interface AuthServiceDeps {
  db: Db;
  config: Config;
  signAccessToken: (claims: { sub: string; sid: string }) => string;
  onUserCreated: UserCreatedHook[];
  onBaseCurrencyChanged: BaseCurrencyChangedHook[];
  /** The process clock: sessions expire by it. */
  now: () => Date;
}

export function toUserDto(row: q.UserRow): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    baseCurrency: row.baseCurrency,
    locale: row.locale === 'en' ? 'en' : 'ru',
    timeZone: row.timeZone,
    hasTinvestToken: row.tinvestTokenEnc !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

// A token rotated this recently and shown again is the same browser (another tab, or a page left
// before the answer with the new cookie arrived), not a thief: it is rotated once more.
const REFRESH_RACE_SECONDS = 10;

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong e-mail or password');
const invalidRefresh = () =>
  new AppError(401, 'INVALID_REFRESH_TOKEN', 'Session expired; please log in again');

export function createAuthService({
  db,
  config,
  signAccessToken,
  onUserCreated,
  onBaseCurrencyChanged,
  now,
}: AuthServiceDeps) {
  let dummyHash: Promise<string> | undefined;
  const refreshTtlMs = config.refreshTokenDays * 86_400_000;

  async function issue(tx: Db, user: q.UserRow, sessionId: string): Promise<IssuedTokens> {
    const { token, hash: tokenHash } = newOpaqueToken();
    await q.insertRefreshToken(tx, sessionId, tokenHash);
    return {
      accessToken: signAccessToken({ sub: user.id, sid: sessionId }),
      expiresIn: config.accessTokenMinutes * 60,
      refreshToken: token,
      user: toUserDto(user),
    };
  }

  async function startSession(tx: Db, user: q.UserRow, client: ClientInfo): Promise<IssuedTokens> {
    const sessionId = await q.insertSession(tx, {
      userId: user.id,
      userAgent: client.userAgent.slice(0, 300),
      ip: client.ip,
      expiresAt: new Date(now().getTime() + refreshTtlMs),
    });
    return issue(tx, user, sessionId);
  }

  /** Profiles read with the latest sessions checked, most recent last; bounded, oldest dropped first. */
  const seenProfiles = new Map<string, UserProfile>();

  async function getUser(userId: string): Promise<q.UserRow> {
    const user = await q.findUserById(db, userId);
    if (!user) throw new AppError(404, 'USER_NOT_FOUND', 'User not found');
    return user;
  }

  return {
    async register(
      input: { email: string; password: string; name?: string; locale?: 'ru' | 'en' },
      client: ClientInfo,
    ) {
      const locale = input.locale ?? 'ru';
      const passwordHash = await hash(input.password, ARGON2);
      return db.transaction(async (tx) => {
        const user = await q.insertUser(tx, {
          email: input.email.trim().toLowerCase(),
          name: input.name?.trim() ?? '',
          passwordHash,
          timeZone: config.timeZone,
          locale,
        });
        if (!user) throw new AppError(409, 'EMAIL_TAKEN', 'This e-mail is already registered');
        for (const hook of onUserCreated) await hook(tx, user.id, locale);
        return startSession(tx, user, client);
      });
    },

    async login(input: { email: string; password: string }, client: ClientInfo) {
      const user = await q.findUserByEmail(db, input.email.trim().toLowerCase());
      if (!user) {
        // Spend the same time as a real check so the answer does not reveal which e-mails exist.
        dummyHash ??= hash('not-a-real-password', ARGON2);
        await verify(await dummyHash, input.password).catch(() => false);
        throw invalidCredentials();
      }
      if (!(await verify(user.passwordHash, input.password).catch(() => false))) throw invalidCredentials();
      return db.transaction((tx) => startSession(tx, user, client));
    },

    /**
     * Rotates a refresh token. Presenting one used more than a few seconds ago revokes its whole
     * session (theft); within the grace period it is rotated again.
     */
    async refresh(refreshToken: string) {
      return db.transaction(async (tx) => {
        const found = await q.consumeRefreshToken(tx, sha256(refreshToken), REFRESH_RACE_SECONDS);
        if (!found) throw invalidRefresh();
        if (found.state === 'reused') {
          await q.revokeSession(tx, found.sessionId, 'refresh token reused');
          return { reused: true as const };
        }
        const userId = await q.activeSessionUser(tx, found.sessionId, now());
        const user = userId === undefined ? undefined : await q.findUserById(tx, userId);
        if (!user) throw invalidRefresh();
        await q.touchSession(tx, found.sessionId, new Date(now().getTime() + refreshTtlMs));
        return { reused: false as const, tokens: await issue(tx, user, found.sessionId) };
      });
    },

    async logout(refreshToken: string | undefined, sessionId: string | undefined) {
      let sid = sessionId;
      if (sid === undefined && refreshToken !== undefined) {
        sid = (await q.consumeRefreshToken(db, sha256(refreshToken), 0))?.sessionId;
      }
      if (sid !== undefined) await q.revokeSession(db, sid, 'logout');
    },

    /**
     * Whether the session is live and belongs to the user. Its read also brings the user's profile,
     * kept in `seenProfiles` for the rest of the request (see `profile`).
     */
    async sessionUser(sessionId: string, userId: string): Promise<boolean> {
      const session = await q.activeSession(db, sessionId, now());
      if (session?.userId !== userId) return false;
      seenProfiles.delete(userId);
      seenProfiles.set(userId, { timeZone: session.timeZone, baseCurrency: session.baseCurrency });
      if (seenProfiles.size > SEEN_PROFILES) {
        for (const oldest of seenProfiles.keys()) {
          seenProfiles.delete(oldest);
          break;
        }
      }
      return true;
    },

    /**
     * The time zone and base currency of the user of the request being served: read along with its
     * session a moment ago, so without a query of its own (and never older than that request).
     */
    async profile(userId: string): Promise<UserProfile> {
      const seen = seenProfiles.get(userId);
      if (seen !== undefined) return seen;
      const user = await getUser(userId);
      return { timeZone: user.timeZone, baseCurrency: user.baseCurrency };
    },

    /**
     * What market calls need to know about the user: the base currency, time zone and their own
     * T-Invest token, decrypted (only ever sent to T-Invest). A token no key of the ring opens any
     * more comes back as `tinvestTokenError`: the user has to enter it again.
     */
    async marketSettings(
      userId: string,
    ): Promise<UserProfile & { tinvestToken: string | undefined; tinvestTokenError: string | undefined }> {
      const settings = await q.findUserMarketSettings(db, userId);
      if (!settings) throw new AppError(404, 'USER_NOT_FOUND', 'User not found');
      let tinvestToken: string | undefined;
      let tinvestTokenError: string | undefined;
      if (settings.tinvestTokenEnc !== null) {
        try {
          tinvestToken = decryptSecret(config.encryptionKeys, settings.tinvestTokenEnc);
        } catch (err) {
          tinvestTokenError = err instanceof Error ? err.message : String(err);
        }
      }
      return {
        timeZone: settings.timeZone,
        baseCurrency: settings.baseCurrency,
        tinvestToken,
        tinvestTokenError,
      };
    },

    /** The base currencies of these users (those that exist). */
    async baseCurrencies(userIds: string[]): Promise<Map<string, string>> {
      return q.baseCurrencies(db, userIds);
    },

    async me(userId: string): Promise<UserDto> {
      return toUserDto(await getUser(userId));
    },

    async updateMe(userId: string, patch: UpdateMeBody): Promise<UserDto> {
      if (patch.timeZone !== undefined) {
        try {
          new Intl.DateTimeFormat('en', { timeZone: patch.timeZone });
        } catch {
          throw new AppError(422, 'VALIDATION_FAILED', 'timeZone: is not a known time zone', {
            fields: [{ field: 'timeZone', message: 'is not a known time zone' }],
          });
        }
      }
      const values = { ...patch, name: patch.name?.trim() };
      const row =
        patch.baseCurrency === undefined
          ? await q.updateUser(db, userId, values)
          : // What is kept in the base currency follows it in the same transaction.
            await db.transaction(async (tx) => {
              const updated = await q.updateUser(tx, userId, values);
              if (updated)
                for (const hook of onBaseCurrencyChanged) await hook(tx, userId, updated.baseCurrency);
              return updated;
            });
      if (!row) throw new AppError(404, 'USER_NOT_FOUND', 'User not found');
      seenProfiles.set(userId, { timeZone: row.timeZone, baseCurrency: row.baseCurrency });
      return toUserDto(row);
    },

    /** Changes the password and ends every other session of the user. */
    async changePassword(userId: string, sessionId: string, currentPassword: string, newPassword: string) {
      const user = await getUser(userId);
      if (!(await verify(user.passwordHash, currentPassword).catch(() => false))) {
        throw new AppError(403, 'WRONG_PASSWORD', 'The current password is wrong');
      }
      const passwordHash = await hash(newPassword, ARGON2);
      await db.transaction(async (tx) => {
        await q.updateUser(tx, userId, { passwordHash });
        await q.revokeUserSessions(tx, userId, 'password changed', sessionId);
      });
    },

    async listSessions(userId: string, currentSessionId: string): Promise<SessionDto[]> {
      const rows = await q.listActiveSessions(db, userId, now());
      return rows.map((s) => ({
        id: s.id,
        userAgent: s.userAgent,
        ip: s.ip,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        current: s.id === currentSessionId,
      }));
    },

    async revokeSession(userId: string, sessionId: string): Promise<void> {
      if (!(await q.revokeSession(db, sessionId, 'revoked by user', userId))) {
        throw new AppError(404, 'SESSION_NOT_FOUND', 'Session not found');
      }
    },

    /** Stores (or with null removes) the user's T-Invest token, encrypted; it is never returned. */
    async setTinvestToken(userId: string, token: string | null): Promise<UserDto> {
      const row = await q.updateUser(db, userId, {
        tinvestTokenEnc: token === null ? null : encryptSecret(config.encryptionKeys, token),
      });
      if (!row) throw new AppError(404, 'USER_NOT_FOUND', 'User not found');
      return toUserDto(row);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/**
 * After a key rotation (a new first key in TOKEN_ENCRYPTION_KEYS) every stored T-Invest token is
 * encrypted again with the new key, at start-up, so that the old key can then be removed. Tokens
 * no key of the ring can open are left as they are and counted.
 */
export async function reencryptTokens(
  db: Db,
  keys: Config['encryptionKeys'],
): Promise<{ reencrypted: number; unreadable: number }> {
  const current = keys[0]?.id;
  if (current === undefined) return { reencrypted: 0, unreadable: 0 };
  let reencrypted = 0;
  let unreadable = 0;
  for (const row of await q.tokensUnderOtherKeys(db, current)) {
    if (row.tinvestTokenEnc === null) continue;
    let after: string;
    try {
      after = reencryptSecret(keys, row.tinvestTokenEnc);
    } catch {
      unreadable++;
      continue;
    }
    await q.replaceToken(db, row.id, row.tinvestTokenEnc, after);
    reencrypted++;
  }
  return { reencrypted, unreadable };
}
