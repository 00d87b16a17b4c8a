import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { memoryCache, redisCache } from './platform/cache.js';
import { openDatabase } from './platform/db.js';
import { migrate } from './platform/migrate.js';
import { reencryptTokens } from './modules/auth/auth.service.js';
import { MoexIssProvider } from './modules/market/moex/iss-provider.js';
import { TinvestProvider } from './modules/market/tinvest/tinvest-provider.js';

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
  const database = await openDatabase(config, logger);
  await migrate(database, logger);
  if (process.argv.includes('--migrate-only')) {
    await database.close();
    return;
  }
  const tokens = await reencryptTokens(database.db, config.encryptionKeys);
  if (tokens.reencrypted > 0 || tokens.unreadable > 0) {
    logger.info(tokens, 'stored T-Invest tokens moved to the current encryption key');
  }
  const cache = config.redisUrl ? redisCache(config.redisUrl, logger) : memoryCache();
  // Created without contacting T-Invest: start-up never waits on (or fails because of) the provider.
  // The one clock of the process: every module reads time through it (tests pass a fixed one).
  const now = () => new Date();
  const market = new TinvestProvider({
    now: () => now().getTime(),
    baseUrl: config.tinvest.apiUrl,
    token: config.tinvest.serverToken,
    appName: 'wealthtracker',
    timeoutMs: 8_000,
  });
  const moex =
    config.moexIss === undefined
      ? undefined
      : new MoexIssProvider({ baseUrl: config.moexIss.url, timeoutMs: config.moexIss.timeoutMs });
  const app = await buildApp({ config, database, cache, logger, now, market, moex });

  // Requests being answered; see shutdown.
  const inFlight = new Set<ServerResponse>();
  // One shared listener: once() would allocate a wrapper per request.
  function untrack(this: ServerResponse) {
    inFlight.delete(this);
  }
  app.server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    inFlight.add(response);
    response.on('close', untrack);
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // A keep-alive connection (nginx keeps a pool) would stay open after its answer and close()
    // would wait for it until the 20 s limit: the answers still to come end their connection.
    for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
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
  logger.info(
    {
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
