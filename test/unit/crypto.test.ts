import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret, reencryptSecret } from '../../src/server/platform/crypto.js';

describe('stored secret encryption', () => {
  const oldKey = { id: 'k1', key: randomBytes(32) };
  const newKey = { id: 'k2', key: randomBytes(32) };

  it('round-trips and never stores the plaintext', () => {
    const stored = encryptSecret([oldKey], 't.secret-token');
    assert.ok(!stored.includes('secret-token'));
    assert.equal(decryptSecret([oldKey], stored), 't.secret-token');
  });

  it('reads secrets made with an older key after rotation, and moves them to the new key', () => {
    const stored = encryptSecret([oldKey], 't.rotated');
    const ring = [newKey, oldKey];
    assert.equal(decryptSecret(ring, stored), 't.rotated');
    const moved = reencryptSecret(ring, stored);
    assert.equal(moved.split(':')[1], 'k2');
    assert.equal(decryptSecret([newKey], moved), 't.rotated');
    assert.equal(reencryptSecret(ring, moved), moved, 'already under the current key: unchanged');
  });

  it('refuses a tampered ciphertext or an unknown key', () => {
    const stored = encryptSecret([oldKey], 't.value');
    const parts = stored.split(':');
    parts[4] = Buffer.from('tampered').toString('base64');
    assert.throws(() => decryptSecret([oldKey], parts.join(':')));
    assert.throws(() => decryptSecret([newKey], stored), /unknown key/);
  });
});
