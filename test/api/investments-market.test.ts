import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { FAKE_DEMO_TOKEN, startFakeTinvest, type FakeTinvest } from '../fakes/tinvest-server.js';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';
import {
  addAsset,
  buildMarketApp,
  fakeProvider,
  newUser,
  overview,
  refreshCatalogue,
  type MarketTestApp,
} from '../support/investments.js';

void describe('market: catalogue search, candles, quotes', () => {
  let t: MarketTestApp;
  let s: Session;
  before(async () => {
    t = await buildMarketApp();
    s = await register(t.app);
    await refreshCatalogue(t, s);
  });
  after(() => t.close());

  const search = (query: string, extra = '') =>
    t.app.inject({
      url: `/api/market/instruments?query=${encodeURIComponent(query)}${extra}`,
      headers: s.auth,
    });

  void it('finds by ticker, by name in any case, by ISIN; % and _ match literally', async () => {
    const byTicker = await search('SBER');
    assert.equal(byTicker.statusCode, 200);
    assert.equal(byTicker.json().items[0].ticker, 'SBER');
    assert.equal(byTicker.json().items[0].inCatalogue, true);
    assert.equal(byTicker.json().marketData.configured, true);

    const byName = await search('сбер');
    assert.equal(byName.json().items[0].ticker, 'SBER');
    const bonds = await search('офз', '&kind=bond');
    const tickers = (bonds.json().items as { ticker: string; kind: string; nominal: string }[]).map(
      (i) => i.ticker,
    );
    assert.ok(tickers.includes('SU26238RMFS4'));
    assert.ok((bonds.json().items as { kind: string }[]).every((i) => i.kind === 'bond'));
    assert.equal((bonds.json().items as { nominal: string }[])[0]?.nominal, '1000');
    assert.equal((await search('RU0009029540')).json().items[0].ticker, 'SBER');

    for (const wildcard of ['%', 'S_ER', 'SB%R', '100%']) {
      const res = await search(wildcard);
      assert.equal(res.statusCode, 200);
      assert.ok(
        (res.json().items as { inCatalogue: boolean }[]).filter((i) => i.inCatalogue).length === 0,
        `"${wildcard}" is not a wildcard`,
      );
    }
    assert.equal((await search('')).statusCode, 422);
    assert.equal((await search('x', '&kind=stock')).statusCode, 422);
  });

  void it('asks FindInstrument for what the catalogue lacks; picking it stores it from the provider', async () => {
    // The matured OFZ 26222 is not tradable, so the daily list leaves it out (and on a database
    // kept between runs, what an earlier run stored is removed first).
    const matured = t.fake.uidOf('SU26222RMFS8');
    await t.database.db.execute(sql`delete from positions where instrument_uid = ${matured}`);
    await t.database.db.execute(sql`delete from operations where instrument_uid = ${matured}`);
    await t.database.db.execute(sql`delete from instruments where uid = ${matured}`);
    const res = await search('26222');
    const hit = (res.json().items as { ticker: string; inCatalogue: boolean; uid: string }[]).find(
      (i) => i.ticker === 'SU26222RMFS8',
    );
    assert.ok(hit);
    assert.equal(hit.inCatalogue, false);
    const { s: buyer, portfolioId } = await newUser(t);
    const op = await addAsset(t, buyer, portfolioId, {
      instrumentId: hit.uid,
      quantity: '1',
      price: '990',
      date: '2024-05-01',
    });
    assert.equal(op.json().ticker, 'SU26222RMFS8');
    assert.equal((await search('26222')).json().items[0].inCatalogue, true);
  });

  void it('candles for a chart range, cached a minute; explicit intervals are checked', async () => {
    const uid = t.fake.uidOf('SBER');
    t.fake.clearCalls();
    const week = await t.app.inject({
      url: `/api/market/candles?instrumentId=${uid}&range=week`,
      headers: s.auth,
    });
    assert.equal(week.statusCode, 200, week.body);
    assert.equal(week.json().interval, '1hour');
    assert.ok(week.json().candles.length > 0);
    const again = await t.app.inject({
      url: `/api/market/candles?instrumentId=${uid}&range=week`,
      headers: s.auth,
    });
    assert.deepEqual(again.json(), week.json());
    assert.equal(t.fake.callsTo('GetCandles').length, 1);

    const year = await t.app.inject({
      url: `/api/market/candles?instrumentId=${uid}&range=year`,
      headers: s.auth,
    });
    assert.equal(year.json().interval, 'day');
    assert.ok(year.json().candles.length > 200);
    const ofz = await t.app.inject({
      url: `/api/market/candles?instrumentId=${t.fake.uidOf('SU26238RMFS4')}&range=month`,
      headers: s.auth,
    });
    assert.equal(ofz.json().percentOfNominal, true);

    const explicit = await t.app.inject({
      url: `/api/market/candles?instrumentId=${uid}&interval=day&from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z`,
      headers: s.auth,
    });
    assert.equal(explicit.statusCode, 200);
    assert.match(explicit.json().candles[0].time as string, /^2025-01-01/);
    const tooLong = await t.app.inject({
      url: `/api/market/candles?instrumentId=${uid}&interval=1min&from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z`,
      headers: s.auth,
    });
    assert.equal(tooLong.statusCode, 422);
    assert.equal(tooLong.json().error.details.fields[0].field, 'from');
    const unknown = await t.app.inject({
      url: '/api/market/candles?instrumentId=nope&range=day',
      headers: s.auth,
    });
    assert.equal(unknown.statusCode, 404);

    t.fake.failNext('GetCandles', { status: 503 });
    const down = await t.app.inject({
      url: `/api/market/candles?instrumentId=${uid}&range=day`,
      headers: s.auth,
    });
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().error.code, 'MARKET_DATA_UNAVAILABLE');
  });

  void it('quotes of chosen instruments; bond prices in % of the nominal', async () => {
    const ids = [t.fake.uidOf('SBER'), t.fake.uidOf('SU26243RMFS4'), 'unknown-id'].join(',');
    const res = await t.app.inject({ url: `/api/market/quotes?instrumentIds=${ids}`, headers: s.auth });
    assert.equal(res.statusCode, 200);
    const quotes = res.json().quotes as {
      instrumentUid: string;
      percentOfNominal: boolean;
      stale: boolean;
    }[];
    assert.equal(quotes.length, 2);
    assert.ok(quotes.some((q) => q.percentOfNominal));
    assert.ok(quotes.every((q) => !q.stale));
  });
});

void describe('market: no server token', () => {
  let fake: FakeTinvest;
  let t: TestApp;
  let s: Session;
  let portfolioId: string;
  before(async () => {
    fake = await startFakeTinvest();
    // The provider exists (T-Invest is reachable) but the server has no token of its own.
    t = await buildTestApp({ env: { TINVEST_API_URL: fake.url }, deps: { market: fakeProvider(fake) } });
    ({ s, portfolioId } = await newUser(t));
  });
  after(async () => {
    await t.close();
    await fake.close();
  });

  void it('says so clearly and works on prices entered by hand', async () => {
    const body = (await overview(t, s)).json();
    assert.equal(body.marketData.configured, false);
    assert.equal(body.marketData.source, 'none');
    assert.match(body.marketData.message, /No market data source is configured/);

    const found = await t.app.inject({ url: '/api/market/instruments?query=SBER', headers: s.auth });
    assert.equal(found.statusCode, 200);
    assert.equal(found.json().marketData.configured, false);
    // Only the catalogue is searched (empty on a fresh install, as the provider filled it otherwise).
    assert.ok((found.json().items as { inCatalogue: boolean }[]).every((i) => i.inCatalogue));
    for (const [method, url] of [
      ['GET', '/api/market/candles?instrumentId=x&range=day'],
      ['POST', '/api/market/instruments/refresh'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: s.auth });
      assert.equal(res.statusCode, 503, url);
      assert.equal(res.json().error.code, 'MARKET_DATA_NOT_CONFIGURED');
    }

    await addAsset(t, s, portfolioId, {
      manualAsset: { ticker: 'SBER', name: 'Сбербанк', kind: 'share', currency: 'RUB', price: '290.10' },
      quantity: '20',
      price: '270',
      date: '2025-01-10',
    });
    await addAsset(t, s, portfolioId, {
      manualAsset: { ticker: 'VTBR', name: 'ВТБ', kind: 'share', currency: 'RUB' },
      quantity: '100',
      price: '80.5',
      date: '2025-01-10',
    });
    const valued = (await overview(t, s)).json();
    const lines = valued.portfolios[0].positions as {
      ticker: string;
      valueBase: string;
      price: { source: string };
    }[];
    assert.equal(lines.find((p) => p.ticker === 'SBER')?.valueBase, '5802.00');
    assert.equal(lines.find((p) => p.ticker === 'SBER')?.price.source, 'manual');
    // No price set: the last trade price stands in, and says so.
    assert.equal(lines.find((p) => p.ticker === 'VTBR')?.price.source, 'trade');
    assert.equal(valued.totals.value, '13852.00');
    assert.equal(valued.totals.byClass.shares, '13852.00');
  });

  void it('a foreign asset without any rate: its base value is unknown, never taken at 1', async () => {
    await addAsset(t, s, portfolioId, {
      // No instrument of the catalogue prices the franc, so there is no rate at all.
      manualAsset: { ticker: 'NESN', name: 'Nestlé', kind: 'share', currency: 'CHF', price: '410' },
      quantity: '2',
      price: '400',
      date: '2025-01-10',
    });
    const body = (await overview(t, s)).json();
    const nesn = (
      body.portfolios[0].positions as { ticker: string; value: string; valueBase: null; costBase: null }[]
    ).find((p) => p.ticker === 'NESN');
    assert.equal(nesn?.value, '820.00');
    assert.equal(nesn?.valueBase, null);
    assert.equal(nesn?.costBase, null);
    assert.deepEqual(body.missingRates, ['CHF']);
    assert.equal(body.totals.incomplete, 1);
    assert.equal(body.totals.value, '13852.00', 'the total leaves it out rather than guess');
  });
  void it('with the user’s own token, market data is fetched with it', async () => {
    const { s } = await newUser(t);
    assert.equal((await overview(t, s)).json().marketData.configured, false);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/users/me/tinvest-token',
      headers: s.auth,
      payload: { token: FAKE_DEMO_TOKEN },
    });
    assert.equal(put.statusCode, 200);
    const status = (await overview(t, s)).json().marketData;
    assert.equal(status.configured, true);
    assert.equal(status.source, 'user');
    await refreshCatalogue(t, s);
    const found = await t.app.inject({ url: '/api/market/instruments?query=LKOH', headers: s.auth });
    assert.equal(found.json().items[0].ticker, 'LKOH');
  });
});
