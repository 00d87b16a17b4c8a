import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { refreshTokens, sessions, users } from '../../db/schema.js';

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function insertUser(
  db: Db,
  values: { email: string; name: string; passwordHash: string; timeZone: string; locale: 'ru' | 'en' },
): Promise<UserRow | undefined> {
  const [row] = await db.insert(users).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateUser(
  db: Db,
  id: string,
  values: Partial<
    Pick<UserRow, 'name' | 'baseCurrency' | 'locale' | 'timeZone' | 'passwordHash' | 'tinvestTokenEnc'>
  >,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function insertSession(
  db: Db,
  values: { userId: string; userAgent: string; ip: string; expiresAt: Date },
): Promise<string> {
  const [row] = await db.insert(sessions).values(values).returning({ id: sessions.id });
  if (!row) throw new Error('session insert returned nothing');
  return row.id;
}

export async function insertRefreshToken(db: Db, sessionId: string, tokenHash: string): Promise<void> {
  await db.insert(refreshTokens).values({ sessionId, tokenHash });
}

/**
 * Marks a refresh token used. Says 'ok' when it was unused, 'race' when it was rotated a moment
 * ago (two tabs refreshing at once share one cookie jar), 'reused' when it is an old token.
 */
export async function consumeRefreshToken(
  db: Db,
  tokenHash: string,
  graceSeconds: number,
): Promise<{ state: 'ok' | 'reused' | 'race'; sessionId: string } | undefined> {
  const [fresh] = await db
    .update(refreshTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt)))
    .returning({ sessionId: refreshTokens.sessionId });
  if (fresh) return { state: 'ok', sessionId: fresh.sessionId };
  const [old] = await db
    .select({
      sessionId: refreshTokens.sessionId,
      recent: sql<boolean>`${refreshTokens.usedAt} > now() - make_interval(secs => ${graceSeconds})`,
    })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .limit(1);
  if (!old) return undefined;
  return { state: old.recent ? 'race' : 'reused', sessionId: old.sessionId };
}

/** The live session's user id at `now`, or undefined when it is revoked, expired or unknown. */
export async function activeSessionUser(db: Db, sessionId: string, now: Date): Promise<string | undefined> {
  return (await activeSession(db, sessionId, now))?.userId;
}

function prepareActiveSession(db: Db) {
  return db
    .select({ userId: users.id, timeZone: users.timeZone, baseCurrency: users.baseCurrency })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, sql.placeholder('sessionId')),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql.placeholder('now')),
      ),
    )
    .limit(1)
    .prepare('active_session');
}

/** Built once per database handle: every authenticated request runs it. */
const activeSessionQueries = new WeakMap<Db, ReturnType<typeof prepareActiveSession>>();

/** A session live at `now`: its user with the settings requests need (time zone, base currency), in one read. */
export async function activeSession(
  db: Db,
  sessionId: string,
  now: Date,
): Promise<{ userId: string; timeZone: string; baseCurrency: string } | undefined> {
  let query = activeSessionQueries.get(db);
  if (query === undefined) {
    query = prepareActiveSession(db);
    activeSessionQueries.set(db, query);
  }
  const [row] = await query.execute({ sessionId, now });
  return row;
}

export async function touchSession(db: Db, sessionId: string, expiresAt: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ lastUsedAt: sql`now()`, expiresAt })
    .where(eq(sessions.id, sessionId));
}

export async function revokeSession(
  db: Db,
  sessionId: string,
  reason: string,
  userId?: string,
): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(
      and(
        eq(sessions.id, sessionId),
        isNull(sessions.revokedAt),
        userId === undefined ? undefined : eq(sessions.userId, userId),
      ),
    )
    .returning({ id: sessions.id });
  return rows.length > 0;
}

export async function revokeUserSessions(
  db: Db,
  userId: string,
  reason: string,
  exceptId?: string,
): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        exceptId === undefined ? undefined : sql`${sessions.id} <> ${exceptId}`,
      ),
    );
}

export async function listActiveSessions(db: Db, userId: string, now: Date) {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastUsedAt));
}

/** Users whose stored T-Invest token was not encrypted with the key `currentKeyId`. */
export async function tokensUnderOtherKeys(db: Db, currentKeyId: string) {
  return db
    .select({ id: users.id, tinvestTokenEnc: users.tinvestTokenEnc })
    .from(users)
    .where(
      sql`${users.tinvestTokenEnc} is not null and split_part(${users.tinvestTokenEnc}, ':', 2) <> ${currentKeyId}`,
    );
}

/** Replaces a stored token only if it is still the one read (another instance may have done it). */
export async function replaceToken(db: Db, userId: string, before: string, after: string): Promise<void> {
  await db
    .update(users)
    .set({ tinvestTokenEnc: after })
    .where(and(eq(users.id, userId), eq(users.tinvestTokenEnc, before)));
}

/** What market calls need to know about a user: the base currency, time zone and own token. */
export async function findUserMarketSettings(
  db: Db,
  userId: string,
): Promise<{ baseCurrency: string; timeZone: string; tinvestTokenEnc: string | null } | undefined> {
  const [row] = await db
    .select({
      baseCurrency: users.baseCurrency,
      timeZone: users.timeZone,
      tinvestTokenEnc: users.tinvestTokenEnc,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}

/** The base currencies of these users. */
export async function baseCurrencies(db: Db, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, baseCurrency: users.baseCurrency })
    .from(users)
    .where(inArray(users.id, userIds));
  return new Map(rows.map((r) => [r.id, r.baseCurrency]));
}
