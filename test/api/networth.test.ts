import { dec } from '../../src/common/decimal.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toFixed } from '../../src/common/money.js';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';
import { consumerCredit, CREDITS } from '../support/credits.js';
import {
  addAsset,
  buildMarketApp,
  defaultPortfolio,
  refreshCatalogue,
  type MarketTestApp,
} from '../support/investments.js';

async function post(t: TestApp, s: Session, url: string, payload: Record<string, unknown>): Promise<unknown> {
  const res = await t.app.inject({ method: 'POST', url, headers: s.auth, payload });
  assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
  return res.json();
}

const account = (name: string, currency: string, openingBalance: string) => ({
  name,
  kind: 'card',
  currency,
  openingBalance,
});
const credit = consumerCredit();

describe('net worth without a market data source', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('is account balances minus credit principal, to the kopeck, and ends the history', async () => {
    const s = await register(t.app);
    await post(t, s, '/api/budget/accounts', account('Карта', 'RUB', '100000.50'));
    await post(t, s, '/api/budget/accounts', account('Наличные', 'RUB', '0.01'));
    await post(t, s, CREDITS, credit);
    const res = await t.app.inject({ url: '/api/networth', headers: s.auth });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.assets, '100000.51');
    assert.equal(body.liabilities, '300000.00');
    assert.equal(body.netWorth, '-199999.49');
    assert.equal(body.portfolio.total, '0.00');
    assert.deepEqual(body.missingRates, []);
    assert.equal(body.marketData.configured, false);
    const history = (await t.app.inject({ url: '/api/networth/history?range=1M', headers: s.auth })).json<{
      points: { day: string; netWorth: string | null }[];
    }>();
    // The credit was issued before today: the history starts then, and today's point is the figure above.
    assert.deepEqual(
      { day: history.points.at(-1)?.day, netWorth: history.points.at(-1)?.netWorth },
      { day: body.day, netWorth: '-199999.49' },
    );
  });

  // Tenge: no currency instrument for it exists, so no rate can be known, whatever other tests stored.
  it('never takes a missing rate as 1: totals and the history are null and the currency is named', async () => {
    const s = await register(t.app);
    await post(t, s, '/api/budget/accounts', account('Тенге', 'KZT', '1000.00'));
    const body = (await t.app.inject({ url: '/api/networth', headers: s.auth })).json();
    assert.equal(body.netWorth, null);
    assert.equal(body.assets, null);
    assert.deepEqual(body.missingRates, ['KZT']);
    assert.deepEqual(body.accounts.byCurrency, [
      { currency: 'KZT', amount: '1000.00', rate: null, converted: null },
    ]);
    const history = (await t.app.inject({ url: '/api/networth/history', headers: s.auth })).json();
    assert.deepEqual(history.points, [{ day: body.day, assets: null, liabilities: '0.00', netWorth: null }]);
    assert.deepEqual(history.missingRates, ['KZT']);
  });

  it('lists the portfolios by currency: a USD position beside RUB accounts, to the kopeck', async () => {
    const s = await register(t.app);
    const day = (await t.app.inject({ url: '/api/networth', headers: s.auth })).json<{ day: string }>().day;
    await post(t, s, '/api/budget/accounts', account('Карта', 'RUB', '10000.00'));
    await post(t, s, '/api/fx/manual-rates', { currency: 'USD', day, rate: '92.3456' });
    const portfolioId = await defaultPortfolio(t, s);
    const buy = (ticker: string, quantity: string, price: string) =>
      addAsset(t, s, portfolioId, {
        manualAsset: { ticker, name: ticker, kind: 'share', currency: 'USD', price },
        quantity,
        price: '100',
        date: day,
      });
    await buy('AAPL', '3', '187.33');
    await buy('MSFT', '0.5', '410.10');
    const body = (await t.app.inject({ url: '/api/networth', headers: s.auth })).json();
    assert.deepEqual(body.missingRates, []);
    assert.deepEqual(
      (body.accounts.byCurrency as { currency: string }[]).map((l) => l.currency),
      ['RUB'],
    );
    // 3 × 187.33 + 0.5 × 410.10 = 767.04 USD; 561.99 × 92.3456 = 51 897.30 and 205.05 × 92.3456 = 18 935.47.
    assert.deepEqual(body.portfolio.byCurrency, [
      {
        currency: 'USD',
        amount: '767.04',
        rate: { rate: '92.3456', day, source: 'manual', stale: false },
        converted: '70832.77',
      },
    ]);
    assert.equal(body.portfolio.total, '70832.77');
    assert.equal(body.assets, '80832.77');
  });

  it('needs a login and shows each user only their own figures', async () => {
    assert.equal((await t.app.inject({ url: '/api/networth' })).statusCode, 401);
    const a = await register(t.app);
    await post(t, a, '/api/budget/accounts', account('A', 'RUB', '555.55'));
    const b = await register(t.app);
    assert.equal((await t.app.inject({ url: '/api/networth', headers: b.auth })).json().assets, '0.00');
  });
});

describe('net worth with market data', () => {
  let t: MarketTestApp;
  before(async () => {
    t = await buildMarketApp();
  });
  after(() => t.close());

  it('converts foreign-currency accounts at the exchange rate of today', async () => {
    const s = await register(t.app);
    await refreshCatalogue(t, s);
    await post(t, s, '/api/budget/accounts', account('Рубли', 'RUB', '5000.00'));
    await post(t, s, '/api/budget/accounts', account('Доллары', 'USD', '1234.56'));
    const body = (await t.app.inject({ url: '/api/networth', headers: s.auth })).json();
    assert.deepEqual(body.missingRates, []);
    const [rub, usd] = body.accounts.byCurrency as {
      currency: string;
      amount: string;
      rate: { rate: string; day: string; source: string; stale: boolean };
      converted: string;
    }[];
    assert.deepEqual(rub, {
      currency: 'RUB',
      amount: '5000.00',
      rate: { rate: '1', day: body.day, source: 'official', stale: false },
      converted: '5000.00',
    });
    assert.equal(usd?.currency, 'USD');
    // No Bank of Russia here (the test config points nowhere): the market's rate of today, so marked.
    assert.equal(usd?.rate.source, 'market');
    assert.equal(usd?.rate.day, body.day);
    const usdInRub = toFixed(dec('1234.56').times(usd?.rate.rate ?? 'NaN'));
    assert.equal(usd?.converted, usdInRub);
    if (!process.env.DATABASE_URL) {
      // On a database of its own the rate is the fake exchange's price; a shared PostgreSQL also
      // holds prices other test files set on their fakes.
      const [quote] = await t.provider.getLastPrices([t.fake.uidOf('USD000UTSTOM')]);
      assert.equal(usd?.rate.rate, dec(quote?.price ?? 'NaN').toString());
    }
    assert.equal(body.netWorth, toFixed(dec(usdInRub).plus('5000.00')));
  });
});
