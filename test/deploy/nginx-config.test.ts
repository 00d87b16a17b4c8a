import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localSiteFiles, NGINX_DIR, nginxTest, selfSignedCertificate, writeNginxConfig } from './support.js';

/** The two sites: the Compose one (plain HTTP) and the production one (TLS, certbot). */
const SITES = ['default.conf', 'production.conf'];

/** Files a config pulls in with `include wealthtracker/<name>`, followed through nested includes. */
function included(name: string, seen = new Set<string>()): Set<string> {
  seen.add(name);
  const text = readFileSync(path.join(NGINX_DIR, name), 'utf8');
  for (const [, file] of text.matchAll(/^\s*include\s+wealthtracker\/([\w.-]+);/gm)) {
    if (file && !seen.has(file)) included(file, seen);
  }
  return seen;
}

describe('nginx configs in deploy/nginx', () => {
  let tmp: string;
  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'wt-nginx-t-'));
    await selfSignedCertificate(path.join(tmp, 'certs'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('every file is part of a site, so the checks below cover all of them', () => {
    const covered = new Set(SITES.flatMap((site) => [...included(site)]));
    const files = readdirSync(NGINX_DIR).filter((f) => f.endsWith('.conf'));
    assert.deepEqual(
      files.filter((f) => !covered.has(f)),
      [],
    );
  });

  for (const site of SITES) {
    it(`nginx -t accepts ${site}`, async () => {
      const files = localSiteFiles({
        // Outside Docker the service name "app" does not resolve; everything else is as in the image.
        upstreams: ['127.0.0.1:8080'],
        webRoot: path.join(tmp, 'web'),
        certDir: path.join(tmp, 'certs'),
      });
      const conf = writeNginxConfig(path.join(tmp, site), site, files);
      const output = await nginxTest(conf);
      assert.match(output, /syntax is ok/);
      assert.match(output, /test is successful/);
      assert.doesNotMatch(output, /\[warn\]/, 'no warnings');
    });
  }
});
