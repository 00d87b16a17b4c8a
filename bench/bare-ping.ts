import { createServer } from 'node:http';

/** The ceiling for any Node HTTP stack here: the same answer as /api/health/ping with nothing in between. */
const body = JSON.stringify({ status: 'ok' });
const port = Number(process.env.APP_PORT ?? 8090);

createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}).listen(port, '127.0.0.1');
