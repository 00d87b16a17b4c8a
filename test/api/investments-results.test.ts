import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { dec, type Decimal } from '../../src/common/decimal.js';
import {
  dailyCloseCoverage,
  dailyCloses,
  portfolioDailyValues,
  portfolioSeriesState,
} from '../../src/server/db/schema.js';
import { MoexIssProvider } from '../../src/server/modules/market/moex/iss-provider.js';
import { isRateDay, startFakeCbr, type FakeCbr } from '../fakes/cbr-server.js';
import { startFakeIss, type FakeIss } from '../fakes/moex-iss-server.js';
import type { IncomeDto, ResultsDto, TaxDto } from '../../src/server/modules/results/results.schemas.js';
import { buildTestApp, type Session, type TestApp } from '../support/app.js';
import { newUser, refreshCatalogue } from '../support/investments.js';

const SBER = 'moex:TQBR:SBER';
const IMOEX = 'moex:SNDX:IMOEX';

/** Roubles per dollar on `day`: the rate the Bank of Russia set for the last rate day on or before it. */
function usdOn(cbr: FakeCbr, day: string): Decimal {
  let d = day;
  while (!isRateDay(d)) d = new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return dec(cbr.valueOn('USD', d)!);
}
const kopecks = (v: Decimal) => v.round(2, 'half-up').toFixed(2);

/** Spreadsheet XIRR (Actual/365) by bisection: an independent reference. */
function referenceXirr(flows: { day: string; amount: number }[]): number {
  const t0 = Date.parse(flows[0]!.day);
  const npv = (r: number) =>
    flows.reduce((s, f) => s + f.amount / Math.pow(1 + r, (Date.parse(f.day) - t0) / 86_400_000 / 365), 0);
  let lo = -0.99;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (npv(lo) * npv(mid) <= 0) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

describe('investment results: value over time, returns, income, the tax estimate', () => {
  let iss: FakeIss;
  let cbr: FakeCbr;
  let t: TestApp;
  let s: Session;
  let portfolioId: string;
  let aapl: string;
  const ids: string[] = [];

  const get = (url: string, session = s) => t.app.inject({ url, headers: session.auth });
  async function op(body: Record<string, unknown>) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/portfolios/${portfolioId}/operations`,
      headers: s.auth,
      payload: body,
    });
    assert.equal(res.statusCode, 201, res.body);
    ids.push(res.json<{ id: string }>().id);
  }

  before(async () => {
    // The fake's price path moves with its clock: fixed, its candles are the same on every call.
    const clock = new Date();
    iss = await startFakeIss({ now: () => clock });
    cbr = await startFakeCbr();
    t = await buildTestApp({
      env: { CBR_URL: cbr.url, CBR_WAIT_MS: '5000' },
      deps: { moex: new MoexIssProvider({ baseUrl: iss.url, timeoutMs: 3000, now: () => new Date() }) },
    });
    ({ s, portfolioId } = await newUser(t));
    await refreshCatalogue(t, s);
    // SBER's closes as stored from day candles (kept fixed here so the figures can be worked by hand).
    const db = t.database.db;
    await db.insert(dailyCloses).values(
      [
        ['2025-01-10', '250'],
        ['2025-03-03', '130'],
        ['2025-09-02', '140'],
        ['2025-12-01', '150'],
      ].map(([day, close]) => ({ instrumentUid: SBER, day: day!, close: close!, source: 'moex' })),
    );
    await db
      .insert(dailyCloseCoverage)
      .values({ instrumentUid: SBER, fromDay: '2024-01-01', toDay: '2099-01-01' });

    const asset = await t.app.inject({
      method: 'POST',
      url: '/api/manual-assets',
      headers: s.auth,
      payload: { ticker: 'AAPL', name: 'Apple', kind: 'share', currency: 'USD' },
    });
    assert.equal(asset.statusCode, 201, asset.body);
    aapl = asset.json<{ id: string }>().id;
    for (const [date, price] of [
      ['2025-01-10', '180'],
      ['2025-12-01', '200'],
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/manual-assets/${aapl}/prices`,
        headers: s.auth,
        payload: { date, price },
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    await op({
      type: 'buy',
      instrumentId: SBER,
      date: '2025-01-10',
      quantity: '10',
      price: '250',
      commission: '1.25',
    });
    await op({
      type: 'buy',
      manualAssetId: aapl,
      date: '2025-01-10',
      quantity: '2',
      price: '180',
      commission: '1',
      currency: 'USD',
      fxRate: null,
    });
    await op({ type: 'split', instrumentId: SBER, date: '2025-03-03', quantity: '2' });
    await op({ type: 'dividend', instrumentId: SBER, date: '2025-07-15', amount: '330' });
    await op({ type: 'tax', instrumentId: SBER, date: '2025-07-15', amount: '43' });
    await op({
      type: 'sell',
      instrumentId: SBER,
      date: '2025-09-02',
      quantity: '5',
      price: '140',
      commission: '0.35',
    });
    await op({
      type: 'sell',
      manualAssetId: aapl,
      date: '2025-11-03',
      quantity: '1',
      price: '210',
      commission: '1',
      currency: 'USD',
      fxRate: null,
    });
  });
  after(async () => {
    await t.close();
    await iss.close();
    await cbr.close();
  });

  it('values each day from operations × closes × the day’s official rate, to the kopeck', async () => {
    const res = await get('/api/portfolio/results?from=2025-01-10&to=2025-12-01');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<ResultsDto>();
    assert.equal(body.from, '2025-01-10');
    assert.equal(body.to, '2025-12-01');
    const usd0 = usdOn(cbr, '2025-01-10');
    const first = body.points[0]!;
    // 10 × 250 + 2 × 180 $ at the day's rate; net invested 2501.25 + 361 $.
    assert.equal(first.value, kopecks(dec(2500).plus(kopecks(dec(360).times(usd0)))));
    assert.equal(first.netInvested, kopecks(dec('2501.25').plus(kopecks(dec(361).times(usd0)))));
    // The end: 15 × 150 + 1 × 200 $.
    const usdEnd = usdOn(cbr, '2025-12-01');
    assert.equal(body.totals!.endValue, kopecks(dec(2250).plus(kopecks(dec(200).times(usdEnd)))));
    // Flows: buys − sells − dividend + tax withheld, each at its day's rate.
    const sale = kopecks(dec(209).times(usdOn(cbr, '2025-11-03')));
    const flows = dec('2501.25')
      .plus(kopecks(dec(361).times(usd0)))
      .minus(330)
      .plus(43)
      .minus('699.65')
      .minus(sale);
    assert.equal(body.totals!.flows, kopecks(flows));
    assert.equal(body.totals!.startValue, '0.00');
    assert.equal(body.totals!.gain, kopecks(dec(body.totals!.endValue).minus(flows)));
    assert.equal(body.totals!.missing, 0);

    // XIRR against the same flows in a spreadsheet's formula.
    const cash = [
      {
        day: '2025-01-10',
        amount: -Number(kopecks(dec('2501.25').plus(kopecks(dec(361).times(usd0))))),
      },
      { day: '2025-07-15', amount: 287 },
      { day: '2025-09-02', amount: 699.65 },
      { day: '2025-11-03', amount: Number(sale) },
      { day: '2025-12-01', amount: Number(body.totals!.endValue) },
    ];
    assert.equal(body.returns!.xirr, (referenceXirr(cash) * 100).toFixed(2));
    assert.equal(body.returns!.twrAnnualised, null, 'not annualised under a year');
    assert.match(body.returns!.twr ?? '', /^-?\d+\.\d{2}$/);

    const sber = body.positions.find((p: { ticker: string }) => p.ticker === 'SBER')!;
    assert.equal(sber.value, '2250.00');
    // SBER alone: −2501.25, +287 (dividend net of tax), +699.65, end 2250.
    const own = referenceXirr([
      { day: '2025-01-10', amount: -2501.25 },
      { day: '2025-07-15', amount: 287 },
      { day: '2025-09-02', amount: 699.65 },
      { day: '2025-12-01', amount: 2250 },
    ]);
    assert.equal(sber.returns.xirr, (own * 100).toFixed(2));
  });

  it('starts a foreign position held before the period at its close and the rate of the day before', async () => {
    const res = await get('/api/portfolio/results?from=2025-06-04&to=2025-12-01');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<ResultsDto>();
    const a = body.positions.find((p: { ticker: string }) => p.ticker === 'AAPL')!;
    // Held since January: 2 × 180 $ on 3 June (a rate day) at that day's rate, not nothing.
    const start = kopecks(dec(360).times(usdOn(cbr, '2025-06-03')));
    const end = kopecks(dec(200).times(usdOn(cbr, '2025-12-01')));
    const sale = kopecks(dec(209).times(usdOn(cbr, '2025-11-03')));
    assert.equal(a.value, end);
    // Gain = end − start + what the sale brought in.
    assert.equal(a.gain, kopecks(dec(end).minus(start).plus(sale)));
    assert.notEqual(a.returns.xirr, null);
  });

  it('ends today where the positions table does: the live quote and today’s rate, to the kopeck', async () => {
    const table = (await get('/api/portfolio')).json<{
      totals: { value: string };
      portfolios: {
        id: string;
        totals: { value: string };
        positions: { ticker: string; valueBase: string | null; price: { price: string } | null }[];
      }[];
    }>();
    const mine = table.portfolios.find((p) => p.id === portfolioId)!;
    const sberLine = mine.positions.find((p) => p.ticker === 'SBER')!;
    // The quote (MOEX ISS's last price) is not the last stored close, 150.
    assert.notEqual(dec(sberLine.price!.price).toFixed(2), '150.00');
    const res = await get('/api/portfolio/results?range=1M');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<ResultsDto>();
    assert.equal(body.to, body.today);
    assert.equal(body.totals!.endValue, mine.totals.value);
    assert.equal(body.totals!.endValue, table.totals.value);
    assert.equal(body.points.at(-1)!.value, mine.totals.value);
    const sber = body.positions.find((p) => p.ticker === 'SBER')!;
    assert.equal(sber.value, sberLine.valueBase);
    // 15 pieces at the quote, not at the close.
    assert.equal(sber.value, kopecks(dec(sberLine.price!.price).times(15)));
    // The gain to today is counted from the same end value.
    assert.equal(
      body.totals!.gain,
      kopecks(dec(mine.totals.value).minus(body.totals!.startValue).minus(body.totals!.flows)),
    );
  });

  it('draws IMOEX from MOEX ISS candles, rebased to the value at the start', async () => {
    const res = await get('/api/portfolio/results?from=2025-01-10&to=2025-12-01');
    const body = res.json<ResultsDto>();
    const candles = await new MoexIssProvider({
      baseUrl: iss.url,
      timeoutMs: 3000,
      now: () => new Date(),
    }).getCandles(IMOEX, new Date('2025-01-01T00:00:00+03:00'), new Date('2025-12-02T00:00:00+03:00'), 'day');
    const closeOn = (day: string) =>
      dec(
        candles
          .filter((c) => new Date(c.time.getTime() + 3 * 3_600_000).toISOString().slice(0, 10) <= day)
          .at(-1)!.close,
      );
    assert.ok(body.benchmark !== null, 'the index is there');
    const end = closeOn('2025-12-01');
    const start = closeOn('2025-01-10');
    assert.equal(body.benchmark.change, kopecks(end.div(start).minus(1).times(100)));
    // The same money in the index: each flow buys it at that day's close.
    let units = dec(0);
    for (const [day, flow] of [
      ['2025-01-10', body.points[0]!.netInvested],
      ['2025-07-15', '-287'],
      ['2025-09-02', '-699.65'],
      ['2025-11-03', dec(209).times(usdOn(cbr, '2025-11-03')).round(2, 'half-up').neg().toFixed(2)],
    ] as [string, string][])
      units = units.plus(dec(flow).div(closeOn(day)));
    const expected = units.times(end);
    assert.ok(
      dec(body.benchmark.value).minus(expected).abs().lte('0.01'),
      `${body.benchmark.value} vs ${expected.toFixed(4)}`,
    );
    assert.equal(body.points.at(-1)!.benchmark, body.benchmark.value);
  });

  it('one new operation recomputes from its day only, and equals a recomputation from nothing', async () => {
    const db = t.database.db;
    await get('/api/portfolio/results');
    const before = await db
      .select()
      .from(portfolioSeriesState)
      .where(eq(portfolioSeriesState.portfolioId, portfolioId));
    await op({ type: 'buy', instrumentId: SBER, date: '2025-11-20', quantity: '1', price: '150' });
    const res = await get('/api/portfolio/results');
    assert.equal(res.statusCode, 200);
    const after1 = await db
      .select()
      .from(portfolioDailyValues)
      .where(eq(portfolioDailyValues.portfolioId, portfolioId));
    const state = await db
      .select()
      .from(portfolioSeriesState)
      .where(eq(portfolioSeriesState.portfolioId, portfolioId));
    assert.ok(state[0]!.computedAt > before[0]!.computedAt);
    // From nothing: the cache dropped, everything computed again.
    await db.delete(portfolioSeriesState).where(eq(portfolioSeriesState.portfolioId, portfolioId));
    await get('/api/portfolio/results');
    const fresh = await db
      .select()
      .from(portfolioDailyValues)
      .where(eq(portfolioDailyValues.portfolioId, portfolioId));
    const norm = (rows: typeof fresh) =>
      rows.map((r) => `${r.day} ${r.value} ${r.flow} ${r.netInvested} ${r.missing}`).sort();
    assert.deepEqual(norm(after1), norm(fresh));
    const day = fresh.find((r) => r.day === '2025-11-20')!;
    assert.equal(day.flow, '150.00');
    // Deleting it counts too.
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/operations/${ids.at(-1)}`,
      headers: s.auth,
    });
    assert.equal(del.statusCode, 204, del.body);
    const again = (await get('/api/portfolio/results?from=2025-11-20&to=2025-11-20')).json<ResultsDto>();
    assert.equal(again.totals!.flows, '0.00');
  });

  it('income per month and year: gross, tax withheld, net', async () => {
    const res = await get(`/api/portfolio/income?portfolioId=${portfolioId}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<IncomeDto>();
    assert.deepEqual(body.months, [
      {
        period: '2025-07',
        dividends: '330.00',
        coupons: '0.00',
        gross: '330.00',
        tax: '43.00',
        net: '287.00',
      },
    ]);
    assert.deepEqual(body.years, [
      { period: '2025', dividends: '330.00', coupons: '0.00', gross: '330.00', tax: '43.00', net: '287.00' },
    ]);
    assert.equal(body.missingRates, 0);
  });

  it('the tax estimate: FIFO per account in roubles at each trade’s official rate; an ИИС is left out', async () => {
    const res = await get('/api/portfolio/tax');
    assert.equal(res.statusCode, 200, res.body);
    const year = res.json<TaxDto>().years.find((y) => y.year === 2025)!;
    // SBER: 5 of the 20 pieces (10 bought, split ×2) cost 2501.25 × 5 / 20 = 625.3125; proceeds 699.65.
    const sber = year.slices.find((x: { ticker: string }) => x.ticker === 'SBER')!;
    assert.deepEqual(
      {
        quantity: sber.quantity,
        cost: sber.cost,
        proceeds: sber.proceeds,
        result: sber.result,
        ldv: sber.ldv,
      },
      { quantity: '5', cost: '625.31', proceeds: '699.65', result: '74.34', ldv: false },
    );
    // AAPL: half of 361 $ (2 × 180 + 1) at the buy day's rate against 209 $ at the sale day's.
    const cost = dec('180.5').times(usdOn(cbr, '2025-01-10'));
    const proceeds = dec(209).times(usdOn(cbr, '2025-11-03'));
    const a = year.slices.find((x: { ticker: string }) => x.ticker === 'AAPL')!;
    assert.equal(a.cost, kopecks(cost));
    assert.equal(a.proceeds, kopecks(proceeds));
    const total = proceeds.minus(cost).plus('74.3375');
    assert.equal(year.taxableResult, kopecks(total));
    assert.equal(year.tax, total.round(2, 'half-up').times('0.13').round(0, 'half-up').toFixed(0));
    assert.equal(year.threshold, '2400000');

    const mark = await t.app.inject({
      method: 'PUT',
      url: `/api/portfolios/${portfolioId}/iis`,
      headers: s.auth,
      payload: { iisType: 'B' },
    });
    assert.equal(mark.statusCode, 200, mark.body);
    const marked = (await get('/api/portfolio/tax'))
      .json<TaxDto>()
      .years.find((y: { year: number }) => y.year === 2025)!;
    assert.equal(marked.accounts[0]!.iisType, 'B');
    assert.equal(marked.taxableResult, '0.00');
    assert.equal(marked.tax, '0');
  });

  it('bad input is a 4xx naming the field; a stranger’s portfolio a 404; no operations no figures', async () => {
    const bad = await get('/api/portfolio/results?from=2025-05-01&to=2025-04-01');
    assert.equal(bad.statusCode, 422, bad.body);
    assert.equal(bad.json().error.details.fields[0].field, 'from');
    assert.equal((await get('/api/portfolio/results?range=2W')).statusCode, 422);
    const other = await newUser(t);
    assert.equal((await get(`/api/portfolio/results?portfolioId=${portfolioId}`, other.s)).statusCode, 404);
    const iis = await t.app.inject({
      method: 'PUT',
      url: `/api/portfolios/${portfolioId}/iis`,
      headers: other.s.auth,
      payload: { iisType: 'A' },
    });
    assert.equal(iis.statusCode, 404);
    const empty = (await get('/api/portfolio/results', other.s)).json<ResultsDto>();
    assert.equal(empty.from, null);
    assert.deepEqual(empty.points, []);
    assert.equal((await get('/api/portfolio/tax', other.s)).json<TaxDto>().years.length, 0);
  });
});
