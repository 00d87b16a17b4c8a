import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { buildTestApp, type TestApp } from '../support/app.js';

// The built pages as the app serves them: compressed at build time, cached by name.
describe('built pages and assets', () => {
  const webDir = path.resolve('dist/web');
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ env: { WEB_DIR: webDir } });
  });
  after(() => t.close());

  const get = (url: string, acceptEncoding?: string) =>
    t.app.inject({ url, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

  it('serves scripts and styles precompressed, cached for good under their hashed names', async () => {
    const html = readFileSync(path.join(webDir, 'budget.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), html);
    for (const asset of assets) {
      const original = readFileSync(path.join(webDir, asset));
      const br = await get(asset, 'gzip, deflate, br');
      assert.equal(br.statusCode, 200, asset);
      assert.equal(br.headers['content-encoding'], 'br', asset);
      assert.match(String(br.headers['content-type']), asset.endsWith('.js') ? /javascript/ : /text\/css/);
      assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(String(br.headers.vary), /accept-encoding/i);
      assert.deepEqual(brotliDecompressSync(br.rawPayload), original);
      if (original.length > 2000) assert.ok(br.rawPayload.length < original.length / 2, asset);

      const gzip = await get(asset, 'gzip');
      assert.equal(gzip.headers['content-encoding'], 'gzip');
      assert.deepEqual(gunzipSync(gzip.rawPayload), original);

      const plain = await get(asset);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.deepEqual(plain.rawPayload, original);
    }
  });

  it('serves pages precompressed too, revalidated on every visit', async () => {
    for (const url of ['/', '/budget.html', '/login.html']) {
      const res = await get(url, 'br');
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['content-encoding'], 'br', url);
      assert.equal(res.headers['cache-control'], 'no-cache', url);
      assert.match(brotliDecompressSync(res.rawPayload).toString(), /<!doctype html>/i);
    }
  });
});
