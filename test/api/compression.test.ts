import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { COMPRESS_THRESHOLD_BYTES } from '../../src/server/app.js';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';

// Large answers travel compressed in what the client accepts; small ones as they are.
describe('compressed API answers', () => {
  let t: TestApp;
  let s: Session;
  before(async () => {
    t = await buildTestApp();
    s = await register(t.app);
  });
  after(() => t.close());

  const get = (url: string, acceptEncoding?: string) =>
    t.app.inject({
      url,
      headers: { ...s.auth, ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }) },
    });

  it('sends a large answer in brotli or gzip, whichever the client accepts, with Vary', async () => {
    const plain = await get('/api/budget/categories');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.rawPayload.length > COMPRESS_THRESHOLD_BYTES, `${plain.rawPayload.length} bytes`);

    const br = await get('/api/budget/categories', 'gzip, deflate, br');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers.vary), /accept-encoding/i);
    assert.ok(br.rawPayload.length < plain.rawPayload.length / 3, `${br.rawPayload.length} bytes`);
    assert.deepEqual(JSON.parse(brotliDecompressSync(br.rawPayload).toString()), plain.json());

    const gzip = await get('/api/budget/categories', 'gzip');
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(JSON.parse(gunzipSync(gzip.rawPayload).toString()), plain.json());
  });

  it('sends a small answer uncompressed even when compression is accepted', async () => {
    const me = await get('/api/users/me', 'br, gzip');
    assert.equal(me.statusCode, 200);
    assert.ok(me.rawPayload.length < COMPRESS_THRESHOLD_BYTES);
    assert.equal(me.headers['content-encoding'], undefined);
    assert.equal(me.json().email, s.user.email);
  });
});
