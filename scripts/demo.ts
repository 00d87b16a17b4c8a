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
 * Every new account also gets two years of budget (salary, rent, groceries, transfers to savings),
 * a mortgage and a consumer loan with early repayments and paid instalments, mandatory payments
 * and recurring schedules (scripts/demo-data.ts), so every page has something to show.
 *
 * Exchange rates come from the fake Bank of Russia server (test/fakes/cbr-server.ts) at CBR_URL.
 *
 * With `npm run demo -- --moex` there is no T-Invest token at all: prices, charts and coupons come
 * from the fake MOEX ISS (test/fakes/moex-iss-server.ts), and every new account starts with ten
 * shares, five bonds, two funds and a flat priced by hand (data in ./data/demo-moex).
 *
 * Ports: APP_PORT (default 8080) for the app, DEMO_TINVEST_PORT (default 9999), DEMO_ISS_PORT
 * (default 9998) and DEMO_CBR_PORT (default 9997) for the fakes.
 */
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../src/server/app.js';
import type { AppInstance } from '../src/server/platform/app-instance.js';
import { loadConfig, loadEnv } from '../src/server/config.js';
import { memoryCache } from '../src/server/platform/cache.js';
import { openDatabase } from '../src/server/platform/open-database.js';
import { migrate } from '../src/server/platform/migrate.js';
import { MoexIssProvider } from '../src/server/modules/market/moex/iss-provider.js';
import { TinvestProvider } from '../src/server/modules/market/tinvest/tinvest-provider.js';
import { FAKE_ISS_SECURITIES, startFakeIss } from '../test/fakes/moex-iss-server.js';
import { startFakeCbr } from '../test/fakes/cbr-server.js';
import { FAKE_DEMO_TOKEN, startFakeTinvest } from '../test/fakes/tinvest-server.js';
import { fillDemoBudget } from './demo-data.js';

const DEMO_EMAIL = 'demo@wealthtracker.local';
const DEMO_PASSWORD = 'demo-password';

const env = loadEnv();
/** Without any token: everything priced by the fake MOEX ISS. */
const moexOnly = process.argv.includes('--moex');
const fake = await startFakeTinvest({ port: Number(env.DEMO_TINVEST_PORT ?? 9999) });
const iss = await startFakeIss({ port: Number(env.DEMO_ISS_PORT ?? 9998) });
const cbr = await startFakeCbr({ port: Number(env.DEMO_CBR_PORT ?? 9997) });
const config = loadConfig({
  ...env,
  TINVEST_API_URL: fake.url,
  TINKOFF_API_TOKEN: moexOnly ? '' : FAKE_DEMO_TOKEN,
  MOEX_ISS_URL: iss.url,
  CBR_URL: cbr.url,
  DATA_DIR: env.DATA_DIR ?? path.join('data', moexOnly ? 'demo-moex' : 'demo'),
  LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
});
const logger = pino({ level: config.logLevel });
const database = await openDatabase(config, logger);
await migrate(database, logger);
const now = () => new Date();
const cache = memoryCache(now);
const market = new TinvestProvider({
  now,
  baseUrl: fake.url,
  token: moexOnly ? undefined : FAKE_DEMO_TOKEN,
  appName: 'wealthtracker.demo',
});
const moex = new MoexIssProvider({ baseUrl: iss.url, now });
const app = await buildApp({ config, database, cache, logger, now, market, moex });

/** Ten shares, five bonds and two funds priced by the fake ISS, and a flat priced by hand. */
async function fillFromIss(app: AppInstance, accessToken: string): Promise<void> {
  const headers = { authorization: `Bearer ${accessToken}` };
  const portfolios = await app.inject({ url: '/api/portfolios', headers });
  const portfolioId = portfolios.json<{ id: string }[]>()[0]!.id;
  const held = FAKE_ISS_SECURITIES.filter(
    (s) => ['share', 'bond', 'etf'].includes(s.kind) && s.status !== 'N',
  );
  for (const s of held) {
    const bond = s.kind === 'bond';
    const res = await app.inject({
      method: 'POST',
      url: `/api/portfolios/${portfolioId}/assets`,
      headers,
      payload: {
        instrumentId: `moex:${s.board}:${s.secid}`,
        quantity: bond ? '5' : s.lot === 1 ? '3' : String(s.lot * 2),
        // A bond's buy price is money per bond: its price % of the face value.
        price: (bond ? ((s.price * s.face!) / 100) * 0.97 : s.price * 0.9).toFixed(2),
        date: '2025-03-14',
      },
    });
    if (res.statusCode !== 201) throw new Error(`demo asset ${s.secid}: ${res.statusCode} ${res.body}`);
  }
  const flat = await app.inject({
    method: 'POST',
    url: `/api/portfolios/${portfolioId}/assets`,
    headers,
    payload: {
      manualAsset: { ticker: 'FLAT', name: 'Квартира', kind: 'other', currency: 'RUB', price: '9500000' },
      quantity: '1',
      price: '8200000',
      date: '2023-06-01',
    },
  });
  if (flat.statusCode !== 201) throw new Error(`demo flat: ${flat.statusCode} ${flat.body}`);
}

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
    const locale = (request.body as { locale?: 'ru' | 'en' } | undefined)?.locale ?? 'ru';
    (moexOnly ? fillFromIss(app, accessToken) : connectToDemoBroker(app, accessToken))
      .then(() => fillDemoBudget(app, accessToken, { today: new Date().toISOString().slice(0, 10), locale }))
      .catch((err: unknown) =>
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
  `  log in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}, or register: a new account gets ${
    moexOnly ? 'a portfolio priced by MOEX ISS' : 'the demo broker accounts'
  }`,
);
console.log(`  fake T-Invest REST API on ${fake.url} (token ${FAKE_DEMO_TOKEN}); data in ${config.dataDir}`);
console.log(`  fake MOEX ISS on ${iss.url}${moexOnly ? ' (no token: every price comes from it)' : ''}`);
console.log(`  fake Bank of Russia rates on ${cbr.url}`);

const stop = () => {
  void app
    .close()
    .then(() => Promise.all([database.close(), fake.close(), iss.close(), cbr.close()]))
    .then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
