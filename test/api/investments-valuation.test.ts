import type { Decimal } from '../../src/common/decimal.js';
import { dec } from '../../src/common/decimal.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../../src/server/app.js';
import { eq } from 'drizzle-orm';
import { addDays, dayInZone } from '../../src/common/dates.js';
import { instruments, lastPrices } from '../../src/server/db/schema.js';
import { memoryCache } from '../../src/server/platform/cache.js';
import type { FakeFault } from '../fakes/tinvest-server.js';
import {
  addAsset,
  ageQuotes,
  buildMarketApp,
  fakeProvider,
  newPortfolio,
  newUser,
  overview,
  refreshCatalogue,
  valued,
  type MarketTestApp,
} from '../support/investments.js';
import type { Session } from '../support/app.js';

const round2 = (v: Decimal) => v.round(2, 'half-up');
const money = (v: Decimal) => round2(v).toFixed(2);

void describe('investments: valuation against the fake T-Invest', () => {
  let t: MarketTestApp;
  /** A user for the tests that look at one portfolio of their own. */
  let owner: Session;
  before(async () => {
    t = await buildMarketApp();
    ({ s: owner } = await newUser(t));
    assert.ok((await refreshCatalogue(t, owner)) >= 16);
  });
  after(() => t.close());

  void it('values a share, an OFZ with НКД and a USD fund to the kopeck', async () => {
    const { s, portfolioId } = await newUser(t);
    const sber = t.fake.uidOf('SBER');
    const ofz = t.fake.uidOf('SU26238RMFS4');
    const fxus = t.fake.uidOf('FXUS');
    // Prices with more places than kopecks, so every rounding point shows.
    t.fake.setPrice('SBER', '285.47');
    t.fake.setPrice('SU26238RMFS4', '58.123');
    t.fake.setPrice('FXUS', '0.7419');
    t.fake.setPrice('USD000UTSTOM', '81.2375');
    // Prices other tests (or other files on a shared database) fetched within the minute would be reused.
    await ageQuotes(t, [sber, ofz, fxus, t.fake.uidOf('USD000UTSTOM')]);

    await addAsset(t, s, portfolioId, {
      instrumentId: sber,
      quantity: '10',
      price: '280',
      date: '2025-01-10',
    });
    await addAsset(t, s, portfolioId, {
      instrumentId: ofz,
      quantity: '5',
      price: '600',
      accruedInterest: '10.50',
      commission: '1.50',
      date: '2025-01-10',
    });
    const usdBuy = (
      await addAsset(t, s, portfolioId, {
        instrumentId: fxus,
        quantity: '100',
        price: '0.78',
        fxRate: '103.5',
        date: '2024-12-03',
      })
    ).json();
    assert.equal(usdBuy.currency, 'USD');
    assert.equal(usdBuy.amount, '78.00');
    assert.equal(usdBuy.fxRate, '103.5');

    // Expected figures from the fake's own data: the bond's nominal and НКД per bond today.
    const bond = await t.provider.getInstrument(ofz);
    const aci = dec(bond.aciValue?.amount ?? '0');
    assert.ok(aci.gt(0), 'the OFZ has accrued interest today');
    const nominal = dec(bond.nominal?.amount ?? '0');
    const usd = await t.provider.getInstrument(t.fake.uidOf('USD000UTSTOM'));
    const rate = dec('81.2375').div(usd.nominal?.amount ?? '1');

    const sberValue = round2(dec('285.47').times(10));
    const bondPiece = dec('58.123').times(nominal).div(100);
    const bondValue = round2(bondPiece.plus(aci).times(5));
    const fxusValueUsd = round2(dec('0.7419').times(100));
    const fxusValue = round2(fxusValueUsd.times(rate));

    const body = (await overview(t, s)).json();
    assert.equal(body.baseCurrency, 'RUB');
    assert.equal(body.marketData.configured, true);
    assert.equal(body.marketData.stale, false);
    type Line = Record<string, unknown> & { ticker: string; price: Record<string, unknown> };
    const byTicker = new Map((body.portfolios[0].positions as Line[]).map((p) => [p.ticker, p]));
    const share = byTicker.get('SBER')!;
    assert.equal(share.value, money(sberValue));
    assert.equal(share.valueBase, '2854.70');
    assert.equal(share.unrealizedPnl, '54.70');
    assert.equal(share.assetClass, 'shares');
    assert.equal(share.price.source, 'market');

    const ofzLine = byTicker.get('SU26238RMFS4')!;
    assert.equal(ofzLine.price.price, '58.123');
    assert.equal(ofzLine.price.percentOfNominal, true);
    assert.equal(ofzLine.piecePrice, bondPiece.toFixed());
    assert.equal(ofzLine.aci, aci.toFixed());
    assert.equal(ofzLine.valueBase, money(bondValue));
    // cost 3000 + 10.50 НКД + 1.50 commission
    assert.equal(ofzLine.costBase, '3012.00');
    assert.equal(ofzLine.unrealizedPnl, money(bondValue.minus('3012')));
    assert.equal(ofzLine.assetClass, 'bonds');

    const fund = byTicker.get('FXUS')!;
    assert.equal(fund.currency, 'USD');
    assert.equal(fund.value, money(fxusValueUsd));
    assert.equal(fund.rate, rate.toFixed());
    assert.equal(fund.valueBase, money(fxusValue));
    // cost at the rate of its day: 78.00 × 103.5
    assert.equal(fund.costBase, '8073.00');
    assert.equal(fund.assetClass, 'funds');

    const total = sberValue.plus(bondValue).plus(fxusValue);
    assert.equal(body.totals.value, money(total));
    assert.equal(body.totals.byClass.shares, money(sberValue));
    assert.equal(body.totals.byClass.bonds, money(bondValue));
    assert.equal(body.totals.byClass.funds, money(fxusValue));
    assert.equal(body.totals.byClass.currencies, '0.00');
    assert.equal(body.totals.cost, '13885.00');
    assert.equal(body.totals.unrealizedPnl, money(total.minus('13885')));
    assert.equal(body.totals.incomplete, 0);
    assert.deepEqual((body.allocation.byClass as { key: string }[]).map((c) => c.key).sort(), [
      'bonds',
      'funds',
      'shares',
    ]);
    assert.equal(body.allocation.byTicker[0].label, 'FXUS');
    assert.deepEqual((body.allocation.byCurrency as { key: string }[]).map((c) => c.key).sort(), [
      'RUB',
      'USD',
    ]);
    // The single-portfolio view agrees with the overview.
    const one = await t.app.inject({ url: `/api/portfolios/${portfolioId}`, headers: s.auth });
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().portfolio.totals.value, money(total));
  });

  void it('the first view of a new instrument already has the day change since the previous close', async () => {
    const portfolioId = await newPortfolio(t, owner);
    const uid = t.fake.uidOf('TCSG');
    t.fake.setPrice('TCSG', '3123.47');
    // Never priced before: no stored price, so no previous close either.
    await t.database.db.delete(lastPrices).where(eq(lastPrices.instrumentUid, uid));
    await t.cache.del(`quote:${uid}`);
    await addAsset(t, owner, portfolioId, {
      instrumentId: uid,
      quantity: '7',
      price: '3000',
      date: '2025-01-10',
    });

    // The previous close: the last daily candle before today's session, as the exchange gives it.
    const today = dayInZone(new Date(), 'Europe/Moscow');
    const candles = await t.provider.getCandles(
      uid,
      new Date(`${addDays(today, -10)}T00:00:00Z`),
      new Date(`${today}T00:00:00+03:00`),
      'day',
    );
    const prevClose = dec(candles.at(-1)!.close);
    const change = round2(dec('3123.47').times(7)).minus(round2(prevClose.times(7)));
    assert.ok(!change.isZero(), 'the fake moved since the previous close');

    const body = (await valued(t, owner, portfolioId)).json();
    const line = body.portfolio.positions[0];
    assert.equal(line.ticker, 'TCSG');
    assert.equal(line.valueBase, '21864.29');
    assert.equal(line.dayChange, change.toFixed(2));
    assert.equal(body.portfolio.totals.dayChange, change.toFixed(2));
  });

  void it('fetches quotes for 200 positions in one GetLastPrices call per 100 ids, then none within a minute', async () => {
    const s = owner;
    const portfolioId = await newPortfolio(t, s);
    const real = [
      'SBER',
      'GAZP',
      'LKOH',
      'YDEX',
      'TCSG',
      'SU26238RMFS4',
      'SU26243RMFS4',
      'RU000A107RM8',
      'RU000A106375',
      'TMOS',
      'TGLD',
    ].map((ticker) => t.fake.uidOf(ticker));
    // A larger catalogue than the fake's, as the real one is: rows the provider would have listed.
    const extra = Array.from({ length: 200 - real.length }, (_, i) => ({
      uid: randomUUID(),
      ticker: `X${String(i).padStart(3, '0')}`,
      name: `Fixture ${i}`,
      kind: 'share',
      currency: 'RUB',
      tradable: true,
    }));
    await t.database.db.insert(instruments).values(extra);
    const uids = [...real, ...extra.map((e) => e.uid)];
    for (const uid of uids) {
      await addAsset(t, s, portfolioId, {
        instrumentId: uid,
        quantity: '1',
        price: '100',
        date: '2025-02-03',
      });
    }
    // Nothing fetched by other tests may hide a request.
    await ageQuotes(t, uids);

    t.fake.clearCalls();
    const first = (await valued(t, s, portfolioId)).json();
    const calls = t.fake.callsTo('GetLastPrices');
    assert.equal(calls.length, 2, 'two calls of at most 100 ids for 200 instruments');
    const asked = calls.flatMap((c) => (c.body as { instrumentId: string[] }).instrumentId);
    assert.ok(calls.every((c) => (c.body as { instrumentId: string[] }).instrumentId.length <= 100));
    assert.deepEqual(new Set(asked), new Set(uids));
    assert.equal(first.portfolio.positions.length, 200);

    t.fake.clearCalls();
    await valued(t, s, portfolioId);
    assert.equal(t.fake.callsTo('GetLastPrices').length, 0, 'a second valuation within 60 s asks nobody');

    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/portfolio/quotes/refresh',
      headers: s.auth,
    });
    assert.equal(refresh.statusCode, 200);
    assert.ok(refresh.json().instruments >= 200, 'all held instruments of the user');
    assert.equal(t.fake.callsTo('GetLastPrices').length, 2, 'an explicit refresh asks again, batched');
  });

  void describe('when T-Invest fails, the last known prices are shown, flagged stale', () => {
    const faults: [string, FakeFault, string][] = [
      ['429', { status: 429 }, 'MARKET_DATA_RATE_LIMITED'],
      ['500', { status: 500 }, 'MARKET_DATA_UNAVAILABLE'],
      ['a timeout', 'timeout', 'MARKET_DATA_UNAVAILABLE'],
      ['a dead token (40003)', { status: 401, code: '40003' }, 'MARKET_DATA_TOKEN_INVALID'],
    ];
    let portfolioId: string;
    let sber: string;
    before(async () => {
      portfolioId = await newPortfolio(t, owner);
      sber = t.fake.uidOf('LKOH');
      t.fake.setPrice('LKOH', '6850.5');
      await addAsset(t, owner, portfolioId, {
        instrumentId: sber,
        quantity: '3',
        price: '7000',
        date: '2025-01-10',
      });
      const fresh = (await valued(t, owner, portfolioId)).json();
      assert.equal(fresh.portfolio.positions[0].valueBase, '20551.50');
    });

    for (const [name, fault, code] of faults) {
      void it(`${name}: 200, stale flag, last known price and its time`, async () => {
        t.fake.setPrice('LKOH', '7000.5'); // the market moved, but we cannot see it
        await ageQuotes(t, [sber]);
        t.fake.failNext('GetLastPrices', fault);
        const body = (await valued(t, owner, portfolioId)).json();
        assert.equal(body.marketData.stale, true);
        assert.equal(body.marketData.error.code, code);
        assert.match(body.marketData.message, /last known prices/);
        const p = body.portfolio.positions[0];
        assert.equal(p.price.source, 'stale');
        assert.equal(p.price.price, '6850.5');
        assert.ok(p.price.time !== null);
        assert.equal(p.valueBase, '20551.50');
        t.fake.setPrice('LKOH', '6850.5');
      });
    }

    void it('the last known price survives a restart with the provider down', async () => {
      const { config, database } = t;
      const failing = fakeProvider(t.fake);
      t.fake.failNext('GetLastPrices', { status: 503 }, 5);
      const restarted = await buildApp({
        config,
        database,
        cache: memoryCache(() => new Date(), `restart-${randomUUID()}:`),
        logger: pino({ level: 'silent' }),
        now: () => new Date(),
        market: failing,
      });
      try {
        const res = await restarted.inject({ url: `/api/portfolios/${portfolioId}`, headers: owner.auth });
        assert.equal(res.statusCode, 200);
        const p = res.json().portfolio.positions[0];
        assert.equal(res.json().marketData.stale, true);
        assert.equal(p.price.price, '6850.5');
        assert.equal(p.valueBase, '20551.50');
      } finally {
        await restarted.close();
      }
    });
  });
});
