import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CbrError, createCbrClient } from '../../src/server/modules/fx/cbr.js';
import { IssClient } from '../../src/server/modules/market/moex/iss-client.js';
import { MarketDataError } from '../../src/server/modules/market/provider.js';
import { BodyTooLargeError, readBodyCapped } from '../../src/server/platform/http-body.js';

/** A server whose every answer is an endless chunked stream with no Content-Length. */
describe('outside services: an answer is read only up to its size cap', () => {
  let server: Server;
  let url: string;
  let sent = 0;
  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        // Stops by itself at 64 MiB so that a client reading everything still finishes.
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.destroy());
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('the helper stops at the limit, or keeps the first bytes when asked to truncate', async () => {
    sent = 0;
    await assert.rejects(readBodyCapped(await fetch(url), 100_000), BodyTooLargeError);
    assert.ok(sent < 16 * 1024 * 1024, `read ${sent} bytes`);
    sent = 0;
    assert.equal((await readBodyCapped(await fetch(url), 1000, true)).length, 1000);
    const declared = new Response('x'.repeat(10), { headers: { 'content-length': '10' } });
    assert.equal((await readBodyCapped(declared, 10)).toString(), 'x'.repeat(10));
  });

  it('MOEX ISS: an endless answer is refused as too large, not read to the end', async () => {
    sent = 0;
    const client = new IssClient({ baseUrl: url, maxRetries: 0, maxBodyBytes: 1024 * 1024 });
    await assert.rejects(client.tables('/securities', ['securities']), (err: unknown) => {
      assert.ok(err instanceof MarketDataError);
      assert.equal(err.code, 'UPSTREAM_BAD_RESPONSE');
      assert.match(err.message, /too large/);
      return true;
    });
    assert.ok(sent < 16 * 1024 * 1024, `read ${sent} bytes`);
  });

  it('Bank of Russia: an endless answer is an error, not read to the end', async () => {
    sent = 0;
    const client = createCbrClient({ baseUrl: url, timeoutMs: 10_000, maxBodyBytes: 1024 * 1024 });
    await assert.rejects(client.daily('2026-03-08'), CbrError);
    assert.ok(sent < 16 * 1024 * 1024, `read ${sent} bytes`);
  });
});
