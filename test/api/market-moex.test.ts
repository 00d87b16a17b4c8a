import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MoexIssProvider } from '../../src/server/modules/market/moex/iss-provider.js';
import { FAKE_ISS_SECURITIES, startFakeIss, type FakeIss } from '../fakes/moex-iss-server.js';
import { FAKE_DEMO_TOKEN, startFakeTinvest, type FakeTinvest } from '../fakes/tinvest-server.js';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';
import {
  addAsset,
  ageQuotes,
  fakeProvider,
  newUser,
  overview,
  refreshCatalogue,
} from '../support/investments.js';

interface Position {
  id: string;
  instrumentUid: string | null;
  ticker: string;
  kind: string;
  quantity: string;
  value: string | null;
  price: { price: string; source: string; provider: string | null; time: string | null } | null;
}

const positionsOf = (body: { portfolios: { positions: Position[] }[] }) =>
  body.portfolios.flatMap((p) => p.positions);

const SHARES = ['SBER', 'GAZP', 'LKOH', 'GMKN', 'NVTK', 'ROSN', 'YDEX', 'MGNT', 'MTSS', 'TATN'];
const BONDS = FAKE_ISS_SECURITIES.filter((s) => s.kind === 'bond');
const FUNDS = ['TMOS', 'LQDT'];
const uidOf = (secid: string) => {
  const s = FAKE_ISS_SECURITIES.find((x) => x.secid === secid)!;
  return `moex:${s.board}:${s.secid}`;
};

/** price % × face / 100 + НКД per bond, times the quantity, half-up to the kopeck. */
function bondValue(price: number, face: number, aci: number, quantity: number): string {
  const cents = Math.round(price * face * 100) / 100 / 100; // price % × face / 100, exact here
  return (Math.round((cents + aci) * quantity * 100) / 100).toFixed(2);
}

void describe('MOEX ISS: prices without any token', () => {
  let iss: FakeIss;
  let t: TestApp;
  let s: Session;
  let portfolioId: string;
  // One clock for the app, the provider and the fake exchange, to the second (ISS times have no more).
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const now = () => clock;
  before(async () => {
    iss = await startFakeIss({ now });
    // One retry, a short timeout: the fault tests stay well under the page's 4 s wait.
    t = await buildTestApp({
      deps: { now, moex: new MoexIssProvider({ baseUrl: iss.url, timeoutMs: 800, now }) },
    });
    ({ s, portfolioId } = await newUser(t));
    // The catalogue from ISS, as the daily refresh fills it (rows T-Invest described stay the same rows).
    await refreshCatalogue(t, s);
    for (const secid of [...SHARES, ...FUNDS])
      await addAsset(t, s, portfolioId, {
        instrumentId: uidOf(secid),
        quantity: '10',
        price: '100',
        date: '2025-01-15',
      });
    for (const bond of BONDS)
      await addAsset(t, s, portfolioId, {
        instrumentId: uidOf(bond.secid),
        quantity: '3',
        price: '950',
        date: '2025-01-15',
      });
  });
  after(async () => {
    await t.close();
    await iss.close();
  });

  const refreshQuotes = () =>
    t.app.inject({ method: 'POST', url: '/api/portfolio/quotes/refresh', headers: s.auth });

  void it('values ten shares, five bonds and two funds from ISS alone; bonds at price % × face / 100 + НКД', async () => {
    const body = (await overview(t, s)).json();
    assert.equal(body.marketData.source, 'moex');
    assert.equal(body.marketData.stale, false);
    const positions = positionsOf(body);
    assert.equal(positions.length, 17);
    for (const p of positions) {
      assert.equal(p.price?.source, 'market', `${p.ticker} is priced by the market`);
      assert.equal(p.price?.provider, 'moex', `${p.ticker} is priced by MOEX ISS`);
    }
    const sber = positions.find((p) => p.ticker === 'SBER')!;
    assert.equal(sber.price?.price, '287.5');
    assert.equal(sber.value, '2875.00');
    const lqdt = positions.find((p) => p.ticker === 'LQDT')!;
    assert.equal(lqdt.value, '18.23');
    for (const bond of BONDS) {
      const p = positions.find((x) => x.ticker === bond.secid)!;
      assert.equal(p.kind, 'bond');
      assert.equal(p.value, bondValue(bond.price, bond.face!, bond.aci!, 3), bond.secid);
    }
    // ЭнергоТехСервис: amortised to a 790 face: 100.5 % × 790 / 100 + 7.74 = 801.69 per bond.
    assert.equal(positions.find((x) => x.ticker === 'RU000A107D74')!.value, '2405.07');
    // The price is 15 minutes old, as anonymous ISS data is.
    assert.equal(clock.getTime() - Date.parse(sber.price.time!), 15 * 60_000);
  });

  void it('draws candles from ISS; an interval ISS lacks becomes the next coarser one', async () => {
    const year = await t.app.inject({
      url: `/api/market/candles?instrumentId=${uidOf('SBER')}&range=year`,
      headers: s.auth,
    });
    assert.equal(year.statusCode, 200, year.body);
    assert.equal(year.json().interval, 'day');
    assert.ok(year.json().candles.length > 200, `${year.json().candles.length} daily candles`);
    const bond = await t.app.inject({
      url: `/api/market/candles?instrumentId=${uidOf('SU26238RMFS4')}&range=month`,
      headers: s.auth,
    });
    assert.equal(bond.statusCode, 200, bond.body);
    assert.equal(bond.json().percentOfNominal, true);
    assert.equal(bond.json().interval, 'day', '4-hour candles do not exist on ISS');
    assert.ok(bond.json().candles.length >= 15);
    const week = await t.app.inject({
      url: `/api/market/candles?instrumentId=${uidOf('GAZP')}&range=week`,
      headers: s.auth,
    });
    assert.equal(week.json().interval, '1hour');
    assert.ok(week.json().candles.length > 20);
  });

  void it('puts the coupons and amortisations of ISS bondization and the dividends in the calendar', async () => {
    // 364 days hold exactly two coupons paid every 182 days.
    const from = clock.toISOString().slice(0, 10);
    const to = new Date(clock.getTime() + 363 * 86_400_000).toISOString().slice(0, 10);
    const res = await t.app.inject({ url: `/api/portfolio/calendar?from=${from}&to=${to}`, headers: s.auth });
    assert.equal(res.statusCode, 200, res.body);
    const events = res.json().events as {
      type: string;
      ticker: string;
      perPiece: string | null;
      expectedAmount: string | null;
    }[];
    const ofz = events.filter((e) => e.type === 'coupon' && e.ticker === 'SU26238RMFS4');
    assert.equal(ofz.length, 2, 'two OFZ 26238 coupons');
    assert.deepEqual(
      ofz.map((e) => e.expectedAmount),
      ['106.20', '106.20'],
    ); // 3 × 35.40
    const monthly = events.filter((e) => e.type === 'coupon' && e.ticker === 'RU000A107D74');
    assert.ok(monthly.length >= 12);
    // A floating coupon not fixed yet has no amount, and is still shown.
    assert.ok(
      events.some((e) => e.type === 'coupon' && e.ticker === 'RU000A105RH2' && e.expectedAmount === null),
    );
    // Amortisations from bondization: 70 of the face value per bond, twice; the maturity apart.
    const amortised = events.filter((e) => e.type === 'amortization');
    assert.deepEqual(
      amortised.map((e) => [e.ticker, e.perPiece, e.expectedAmount]),
      [
        ['RU000A107D74', '70', '210.00'],
        ['RU000A107D74', '70', '210.00'],
      ],
    );
    const lkoh = events.find((e) => e.type === 'dividend' && e.ticker === 'LKOH');
    assert.equal(lkoh?.expectedAmount, '5410.00');
  });

  for (const fault of ['5xx', 'timeout', 'malformed'] as const) {
    void it(`keeps the last known prices, marked stale, when ISS answers ${fault}`, async () => {
      // The catalogue may have known them from T-Invest first: the rows' own ids.
      const held = positionsOf((await overview(t, s)).json()).map((p) => p.instrumentUid!);
      await ageQuotes(t, held);
      iss.fault = fault;
      iss.setPrice('SBER', 300);
      try {
        const refresh = await refreshQuotes();
        assert.equal(refresh.statusCode, 200, refresh.body);
        assert.equal(refresh.json().marketData.stale, true);
        const body = (await overview(t, s)).json();
        assert.equal(body.marketData.stale, true);
        const sber = positionsOf(body).find((p) => p.ticker === 'SBER')!;
        assert.equal(sber.price?.price, '287.5', 'the last known price');
        assert.equal(sber.price?.source, 'stale');
        assert.equal(sber.value, '2875.00');
        const calendar = await t.app.inject({ url: '/api/portfolio/calendar', headers: s.auth });
        assert.equal(calendar.statusCode, 200);
        const quotes = await t.app.inject({
          url: `/api/market/quotes?instrumentIds=${uidOf('SBER')}`,
          headers: s.auth,
        });
        assert.equal(quotes.statusCode, 200);
        assert.equal(quotes.json().quotes[0].stale, true);
      } finally {
        iss.fault = null;
        iss.setPrice('SBER', 287.5);
      }
    });
  }

  void it('on a day without trades prices at the previous close, not stale', async () => {
    iss.fault = 'empty';
    try {
      const refresh = await refreshQuotes();
      assert.equal(refresh.statusCode, 200, refresh.body);
      const body = (await overview(t, s)).json();
      assert.equal(body.marketData.stale, false);
      const sber = positionsOf(body).find((p) => p.ticker === 'SBER')!;
      assert.equal(sber.price?.source, 'market');
      assert.notEqual(sber.price?.price, '287.5', 'the previous session close');
      assert.ok(clock.getTime() - Date.parse(sber.price.time!) > 3600_000, 'dated at the previous session');
    } finally {
      iss.fault = null;
      await refreshQuotes();
    }
  });

  void it('finds instruments on ISS by ticker and lists the IMOEX index', async () => {
    const res = await t.app.inject({ url: '/api/market/instruments?query=IMOEX', headers: s.auth });
    assert.equal(res.statusCode, 200, res.body);
    const imoex = (res.json().items as { uid: string; ticker: string }[]).find((i) => i.ticker === 'IMOEX');
    assert.equal(imoex?.uid, 'moex:SNDX:IMOEX');
    const quotes = await t.app.inject({
      url: '/api/market/quotes?instrumentIds=moex:TQBR:SBER',
      headers: s.auth,
    });
    assert.equal(quotes.json().quotes[0].price, '287.5');
    const candles = await t.app.inject({
      url: '/api/market/candles?instrumentId=moex:SNDX:IMOEX&range=month',
      headers: s.auth,
    });
    assert.equal(candles.statusCode, 200, candles.body);
    assert.ok(candles.json().candles.length > 10);
  });
});

void describe('one instrument across T-Invest and MOEX ISS', () => {
  let iss: FakeIss;
  let tinvest: FakeTinvest;
  let t: TestApp;
  before(async () => {
    iss = await startFakeIss();
    tinvest = await startFakeTinvest();
    t = await buildTestApp({
      env: { TINVEST_API_URL: tinvest.url },
      deps: {
        market: fakeProvider(tinvest),
        moex: new MoexIssProvider({ baseUrl: iss.url, timeoutMs: 800, now: () => new Date() }),
      },
    });
  });
  after(async () => {
    await t.close();
    await iss.close();
    await tinvest.close();
  });

  const setToken = (s: Session) =>
    t.app.inject({
      method: 'PUT',
      url: '/api/users/me/tinvest-token',
      headers: s.auth,
      payload: { token: FAKE_DEMO_TOKEN },
    });

  void it('a position bought while priced by ISS stays the same position when a token is added', async () => {
    const { s, portfolioId } = await newUser(t);
    await addAsset(t, s, portfolioId, { instrumentId: 'moex:TQBR:SBER', quantity: '10', price: '250' });
    const before = positionsOf((await overview(t, s)).json());
    assert.equal(before[0]?.price?.provider, 'moex');

    assert.equal((await setToken(s)).statusCode, 200);
    await ageQuotes(t, [before[0].instrumentUid!]);
    const afterToken = (await overview(t, s)).json();
    assert.equal(afterToken.marketData.source, 'user');
    const positions = positionsOf(afterToken);
    assert.equal(positions.length, 1);
    assert.equal(positions[0]!.id, before[0].id);
    assert.equal(positions[0]!.instrumentUid, before[0].instrumentUid);
    assert.equal(positions[0]!.quantity, '10');
    assert.equal(positions[0]!.price?.provider, 'tinvest');
    assert.equal(positions[0]!.price?.price, '285.5', 'the fake T-Invest price');

    // The T-Invest catalogue lands on the same row, and a buy by the T-Invest uid adds to it.
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/market/instruments/refresh',
      headers: s.auth,
    });
    assert.equal(refresh.statusCode, 200, refresh.body);
    await addAsset(t, s, portfolioId, {
      instrumentId: 'e6123145-9665-43e0-8413-cd61b8aa9b13',
      quantity: '5',
      price: '260',
    });
    const merged = positionsOf((await overview(t, s)).json());
    assert.equal(merged.length, 1);
    assert.equal(merged[0]!.quantity, '15');
    const search = await t.app.inject({ url: '/api/market/instruments?query=SBER', headers: s.auth });
    assert.equal(
      (search.json().items as { ticker: string; classCode: string }[]).filter(
        (i) => i.ticker === 'SBER' && i.classCode === 'TQBR',
      ).length,
      1,
    );
  });

  void it('a position bought through T-Invest stays the same position when the token is removed', async () => {
    const s = await register(t.app);
    assert.equal((await setToken(s)).statusCode, 200);
    const portfolioId = (await t.app.inject({ url: '/api/portfolios', headers: s.auth })).json()[0]
      .id as string;
    const gazp = (
      await t.app.inject({ url: '/api/market/instruments?query=GAZP&kind=share', headers: s.auth })
    ).json().items[0] as { uid: string };
    await addAsset(t, s, portfolioId, { instrumentId: gazp.uid, quantity: '20', price: '120' });
    const withToken = positionsOf((await overview(t, s)).json());
    assert.equal(withToken[0]?.price?.provider, 'tinvest');

    const del = await t.app.inject({ method: 'DELETE', url: '/api/users/me/tinvest-token', headers: s.auth });
    assert.equal(del.statusCode, 204);
    await ageQuotes(t, [gazp.uid]);
    const body = (await overview(t, s)).json();
    assert.equal(body.marketData.source, 'moex');
    const positions = positionsOf(body);
    assert.equal(positions.length, 1);
    assert.equal(positions[0]!.id, withToken[0].id);
    assert.equal(positions[0]!.instrumentUid, gazp.uid);
    assert.equal(positions[0]!.price?.provider, 'moex');
    assert.equal(positions[0]!.price?.price, '128.41', 'the fake ISS price');
  });
});
