/**
 * The app on demo data, offline and without any T-Invest token:
 *
 *   npm run demo            (builds the pages first)
 *
 * Starts the fake T-Invest server (test/fakes/tinvest-server.ts) and the app with TINVEST_API_URL
 * pointing at it and the fake's demo token as the server token, so search, quotes, charts and the
 * coupon calendar work. The embedded database lives in ./data/demo (DATA_DIR overrides it), apart
 * from real data. A demo account is ready (printed below), and every account registered in the
 * demo is connected to the fake broker's two accounts, so its investments page is filled at once.
 *
 * Ports: APP_PORT (default 8080) for the app, DEMO_TINVEST_PORT (default 9999) for the fake.
 */
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { buildApp, type AppInstance } from '../src/server/app.js';
import { loadConfig, loadEnv } from '../src/server/config.js';
import { memoryCache } from '../src/server/platform/cache.js';
import { openDatabase } from '../src/server/platform/db.js';
import { migrate } from '../src/server/platform/migrate.js';
import { TinvestProvider } from '../src/server/modules/market/tinvest/tinvest-provider.js';
import { FAKE_DEMO_TOKEN, startFakeTinvest } from '../test/fakes/tinvest-server.js';

const DEMO_EMAIL = 'demo@wealthtracker.local';
const DEMO_PASSWORD = 'demo-password';

const env = loadEnv();
const fake = await startFakeTinvest({ port: Number(env.DEMO_TINVEST_PORT ?? 9999) });
const config = loadConfig({
  ...env,
  TINVEST_API_URL: fake.url,
  TINKOFF_API_TOKEN: FAKE_DEMO_TOKEN,
  DATA_DIR: env.DATA_DIR ?? path.join('data', 'demo'),
  LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
});
const logger = pino({ level: config.logLevel });
const database = await openDatabase(config, logger);
await migrate(database, logger);
const cache = memoryCache();
const market = new TinvestProvider({
  baseUrl: fake.url,
  token: FAKE_DEMO_TOKEN,
  appName: 'wealthtracker.demo',
});
const app = await buildApp({ config, database, cache, logger, now: () => new Date(), market });

/** Stores the demo token as the user's own and imports both demo broker accounts. */
async function connectToDemoBroker(app: AppInstance, accessToken: string): Promise<void> {
  const headers = { authorization: `Bearer ${accessToken}` };
  const put = await app.inject({
    method: 'PUT',
    url: '/api/users/me/tinvest-token',
    headers,
    payload: { token: FAKE_DEMO_TOKEN },
  });
  if (put.statusCode !== 200) throw new Error(`token: ${put.statusCode} ${put.body}`);
  for (const account of put.json<{ accounts: { id: string }[] }>().accounts) {
    const sync = await app.inject({
      method: 'POST',
      url: '/api/portfolios/sync',
      headers,
      payload: { accountId: account.id },
    });
    if (sync.statusCode !== 200) throw new Error(`sync: ${sync.statusCode} ${sync.body}`);
  }
}

// Demo only: a fresh registration is connected to the demo broker in the background.
app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
  if (
    request.routeOptions.url === '/api/auth/register' &&
    reply.statusCode === 201 &&
    typeof payload === 'string'
  ) {
    const { accessToken } = JSON.parse(payload) as { accessToken: string };
    connectToDemoBroker(app, accessToken).catch((err: unknown) =>
      logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'demo: connecting a new account failed',
      ),
    );
  }
  return payload;
});

await app.listen({ port: config.port, host: config.host });

// The ready-made demo account: registered (and connected) once, then just logged into.
const login = await app.inject({
  method: 'POST',
  url: '/api/auth/login',
  payload: { email: DEMO_EMAIL, password: DEMO_PASSWORD },
});
if (login.statusCode !== 200) {
  const registered = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: 'Демо' },
  });
  // The hook above connects it, as any new account.
  if (registered.statusCode !== 201)
    throw new Error(`demo account: ${registered.statusCode} ${registered.body}`);
}

const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
console.log(`WealthTracker demo on ${url}`);
console.log(
  `  log in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}, or register: a new account gets the demo broker accounts`,
);
console.log(`  fake T-Invest REST API on ${fake.url} (token ${FAKE_DEMO_TOKEN}); data in ${config.dataDir}`);

const stop = () => {
  void app
    .close()
    .then(() => Promise.all([database.close(), fake.close()]))
    .then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
