import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { users } from '../../src/server/db/schema.js';
import { reencryptTokens } from '../../src/server/modules/auth/auth.service.js';
import { decryptSecret, encryptSecret } from '../../src/server/platform/crypto.js';
import { buildTestApp, register, type TestApp } from '../support/app.js';

describe('key rotation of stored T-Invest tokens', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const oldKey = { id: 'old', key: randomBytes(32) };
  const newKey = { id: 'new', key: randomBytes(32) };
  const stored = async (userId: string) =>
    (await t.database.db.select({ enc: users.tinvestTokenEnc }).from(users).where(eq(users.id, userId)))[0]
      ?.enc;
  const store = (userId: string, enc: string) =>
    t.database.db.update(users).set({ tinvestTokenEnc: enc }).where(eq(users.id, userId));

  it('encrypts every stored token again under the new first key, so the old key can go', async () => {
    const s = await register(t.app);
    await store(s.user.id, encryptSecret([oldKey], 't.my-broker-token'));
    const broken = await register(t.app);
    const unreadable = encryptSecret([{ id: 'lost', key: randomBytes(32) }], 't.lost');
    await store(broken.user.id, unreadable);

    const first = await reencryptTokens(t.database.db, [newKey, oldKey]);
    assert.ok(first.reencrypted >= 1 && first.unreadable >= 1);
    const now = await stored(s.user.id);
    assert.equal(now?.split(':')[1], 'new');
    assert.equal(decryptSecret([newKey], now ?? ''), 't.my-broker-token', 'readable without the old key');
    assert.equal(await stored(broken.user.id), unreadable, 'a token no key opens is left as it was');

    await reencryptTokens(t.database.db, [newKey, oldKey]);
    assert.equal(await stored(s.user.id), now, 'a second run changes nothing');
  });
});
