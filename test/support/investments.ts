import assert from 'node:assert/strict';
import { inArray, sql } from 'drizzle-orm';
import { lastPrices } from '../../src/server/db/schema.js';
import { TinvestProvider } from '../../src/server/modules/market/tinvest/tinvest-provider.js';
import { FAKE_DEMO_TOKEN, startFakeTinvest, type FakeTinvest } from '../fakes/tinvest-server.js';
import { buildTestApp, register, type Session, type TestApp } from './app.js';

export interface MarketTestApp extends TestApp {
  fake: FakeTinvest;
  provider: TinvestProvider;
}

/**
 * A provider that does not retry and never really sleeps, so fault tests stay quick. The fake
 * shares the event loop with the embedded database, hence a timeout with room for a busy machine.
 */
export function fakeProvider(fake: FakeTinvest, timeoutMs = 3000): TinvestProvider {
  return new TinvestProvider({
    now: () => new Date(),
    baseUrl: fake.url,
    token: FAKE_DEMO_TOKEN,
    timeoutMs,
    maxRetries: 0,
    sleep: async () => undefined,
  });
}

/** The app with a server token pointed at a fake T-Invest over real HTTP. */
export async function buildMarketApp(): Promise<MarketTestApp> {
  const fake = await startFakeTinvest();
  const provider = fakeProvider(fake);
  const t = await buildTestApp({
    env: { TINKOFF_API_TOKEN: FAKE_DEMO_TOKEN, TINVEST_API_URL: fake.url },
    deps: { market: provider },
  });
  return {
    ...t,
    fake,
    provider,
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

export async function refreshCatalogue(t: TestApp, s: Session): Promise<number> {
  const res = await t.app.inject({ method: 'POST', url: '/api/market/instruments/refresh', headers: s.auth });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().instruments as number;
}

/** The portfolio every new user starts with. */
export async function defaultPortfolio(t: TestApp, s: Session): Promise<string> {
  const res = await t.app.inject({ url: '/api/portfolios', headers: s.auth });
  assert.equal(res.statusCode, 200, res.body);
  return res.json()[0].id as string;
}

export async function newUser(t: TestApp): Promise<{ s: Session; portfolioId: string }> {
  const s = await register(t.app);
  return { s, portfolioId: await defaultPortfolio(t, s) };
}

/** A quantity-and-price buy through "add asset", checked to answer 201; read the body with `.json()`. */
export async function addAsset(t: TestApp, s: Session, portfolioId: string, body: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/portfolios/${portfolioId}/assets`,
    headers: s.auth,
    payload: body,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res;
}

/** As if more than a minute had passed since these quotes were fetched: the next view asks again. */
export async function ageQuotes(t: TestApp, uids: string[]): Promise<void> {
  await t.database.db
    .update(lastPrices)
    .set({ fetchedAt: sql`${lastPrices.fetchedAt} - interval '2 minutes'` })
    .where(inArray(lastPrices.instrumentUid, uids));
  await t.cache.del(...uids.map((uid) => `quote:${uid}`));
}

/** A new hand-kept portfolio of the user: tests share a user (registration is slow on purpose). */
export async function newPortfolio(t: TestApp, s: Session, cashTracking = false): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/portfolios',
    headers: s.auth,
    payload: { name: `Test ${Math.random().toString(36).slice(2, 8)}`, cashTracking },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

/** GET /api/portfolios/{id}, checked to answer 200; read the body with `.json()`. */
export async function valued(t: TestApp, s: Session, portfolioId: string) {
  const res = await t.app.inject({ url: `/api/portfolios/${portfolioId}`, headers: s.auth });
  assert.equal(res.statusCode, 200, res.body);
  return res;
}

/** GET /api/portfolio, checked to answer 200; read the body with `.json()`. */
export async function overview(t: TestApp, s: Session) {
  const res = await t.app.inject({ url: '/api/portfolio', headers: s.auth });
  assert.equal(res.statusCode, 200, res.body);
  return res;
}
