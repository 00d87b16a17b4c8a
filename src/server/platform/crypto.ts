import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';

// Stored secrets (T-Invest tokens) are AES-256-GCM ciphertexts tagged with the id of the key that
// made them, so the key can be rotated: a new key encrypts, old keys still decrypt.
type KeyRing = Config['encryptionKeys'];

export function encryptSecret(keys: KeyRing, plaintext: string): string {
  const current = keys[0];
  if (!current) throw new Error('no encryption key configured');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    'v1',
    current.id,
    iv.toString('base64'),
    cipher.getAuthTag().toString('base64'),
    ct.toString('base64'),
  ].join(':');
}

export function decryptSecret(keys: KeyRing, stored: string): string {
  const [version, keyId, iv, tag, ct] = stored.split(':');
  const key = keys.find((k) => k.id === keyId);
  if (version !== 'v1' || !key || !iv || !tag || ct === undefined) {
    throw new Error(`stored secret uses an unknown key (${keyId ?? '?'})`);
  }
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
}

/** The stored secret under the ring's current key (the same text when it already is). */
export function reencryptSecret(keys: KeyRing, stored: string): string {
  if (stored.split(':')[1] === keys[0]?.id) return stored;
  return encryptSecret(keys, decryptSecret(keys, stored));
}

/** An opaque random token (256 bits) and its SHA-256 for storage. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256(token) };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
