import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './platform/open-database.js';
import { migrate } from './platform/migrate.js';

/** The rest of the server: loaded while the database starts (the embedded one is another process). */
async function loadServer() {
  const [{ buildApp }, cache, { reencryptTokens }, { MoexIssProvider }, { TinvestProvider }] =
    await Promise.all([
      import('./app.js'),
      import('./platform/cache.js'),
      import('./modules/auth/auth.service.js'),
      import('./modules/market/moex/iss-provider.js'),
      import('./modules/market/tinvest/tinvest-provider.js'),
    ]);
  return { buildApp, ...cache, reencryptTokens, MoexIssProvider, TinvestProvider };
}

/** Milliseconds since the process started, for the start-up line. */
const since = (() => {
  let last = 0;
  return () => {
    const now = performance.now();
    const step = Math.round(now - last);
    last = now;
    return step;
  };
})();

export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>) {
  return pino({
    level: config.logLevel,
    // Secrets never reach a log line, whatever a future log call passes in.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.refreshToken',
        '*.accessToken',
        '*.token',
      ],
      censor: '[redacted]',
    },
  });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config);
  const phases: Record<string, number> = { load: since() };
  // The database first (the embedded cluster starts as soon as its binaries are found), then the
  // rest of the server loads while it starts.
  const opening = openDatabase(config, logger);
  const server = process.argv.includes('--migrate-only') ? undefined : loadServer();
  // Not left unhandled while the database starts; awaited (and thrown) below.
  server?.catch(() => undefined);
  const database = await opening;
  phases.database = since();
  await migrate(database, logger);
  phases.migrations = since();
  if (server === undefined) {
    await database.close();
    return;
  }
  const { buildApp, memoryCache, redisCache, reencryptTokens, MoexIssProvider, TinvestProvider } =
    await server;
  phases.modules = since();
  const tokens = await reencryptTokens(database.db, config.encryptionKeys);
  if (tokens.reencrypted > 0 || tokens.unreadable > 0) {
    logger.info(tokens, 'stored T-Invest tokens moved to the current encryption key');
  }
  // The one clock of the process: every module reads time through it (tests pass a fixed one).
  const now = () => new Date();
  const cache = config.redisUrl ? await redisCache(config.redisUrl, logger, now) : memoryCache(now);
  // Created without contacting T-Invest: start-up never waits on (or fails because of) the provider.
  const market = new TinvestProvider({
    now,
    baseUrl: config.tinvest.apiUrl,
    token: config.tinvest.serverToken,
    appName: 'wealthtracker',
    timeoutMs: 8_000,
  });
  const moex =
    config.moexIss === undefined
      ? undefined
      : new MoexIssProvider({ baseUrl: config.moexIss.url, timeoutMs: config.moexIss.timeoutMs, now });
  const app = await buildApp({ config, database, cache, logger, now, market, moex });
  phases.app = since();

  // Open connections, tracked once per connection (not per request); see shutdown.
  const sockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // A keep-alive connection (nginx keeps a pool) would stay open after its answer and close()
    // would wait for it until the 20 s limit: the answers still to come end their connection.
    // A socket's response being answered is its _httpMessage (Node's http server sets it).
    for (const socket of sockets) {
      const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (response && !response.headersSent) response.setHeader('connection', 'close');
    }
    const force = setTimeout(() => {
      logger.error('shutdown took over 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    // close() stops accepting, waits for in-flight requests, then the pools close.
    app
      .close()
      .then(() => Promise.all([database.close(), cache.close()]))
      .then(() => logger.info('stopped'))
      .catch((err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exitCode = 1;
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  phases.listen = since();
  logger.info(
    {
      startMs: Math.round(performance.now()),
      phases,
      database: database.driver,
      cache: cache.driver,
      marketData: config.tinvest.serverToken ? 'server token' : config.moexIss ? 'MOEX ISS' : 'none',
    },
    `WealthTracker on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`,
  );
  if (config.nodeEnv !== 'production' && config.secretKey === 'change-me-in-production') {
    logger.warn('SECRET_KEY is not set: fine on a laptop, required in production (NODE_ENV=production)');
  }
}

await main();
