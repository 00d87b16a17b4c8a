import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Session } from '../support/app.js';
import {
  addAsset,
  buildMarketApp,
  newPortfolio,
  newUser,
  overview,
  refreshCatalogue,
  valued,
  type MarketTestApp,
} from '../support/investments.js';

void describe('investments: operations and positions', () => {
  let t: MarketTestApp;
  let s: Session;
  let sber: string;
  let ofz: string;
  before(async () => {
    t = await buildMarketApp();
    ({ s } = await newUser(t));
    await refreshCatalogue(t, s);
    sber = t.fake.uidOf('SBER');
    ofz = t.fake.uidOf('SU26238RMFS4');
  });
  after(() => t.close());

  const post = (who: Session, portfolioId: string, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/portfolios/${portfolioId}/operations`,
      headers: who.auth,
      payload,
    });
  const position = async (portfolioId: string, ticker: string) => {
    const body = (await valued(t, s, portfolioId)).json();
    return (body.portfolio.positions as { ticker: string }[]).find((p) => p.ticker === ticker) as
      Record<string, string | boolean | null> | undefined;
  };
  const totalsOf = async (portfolioId: string) =>
    (await valued(t, s, portfolioId)).json().portfolio.totals as Record<string, string | null>;

  void it('buys, a partial sale with realised P/L, a split, income and charges', async () => {
    const portfolioId = await newPortfolio(t, s);
    const buy = await post(s, portfolioId, {
      type: 'buy',
      instrumentId: sber,
      date: '2025-01-10',
      quantity: '10',
      price: '270.15',
      commission: '1.35',
    });
    assert.equal(buy.statusCode, 201, buy.body);
    assert.equal(buy.json().amount, '2701.50');
    assert.equal(buy.json().cashFlow, '-2702.85');
    assert.equal(buy.json().fxRate, '1');
    assert.equal(buy.json().ticker, 'SBER');

    await post(s, portfolioId, {
      type: 'buy',
      instrumentId: sber,
      date: '2025-02-10',
      quantity: '10',
      price: '300',
    });
    // cost 2702.85 + 3000 = 5702.85 for 20; half out = 2851.425; proceeds 1600 − 0.80
    const sell = await post(s, portfolioId, {
      type: 'sell',
      instrumentId: sber,
      date: '2025-03-10',
      quantity: '5',
      price: '320',
      commission: '0.80',
    });
    assert.equal(sell.statusCode, 201);
    let p = await position(portfolioId, 'SBER');
    assert.equal(p?.quantity, '15');
    assert.equal(p?.costBase, '4277.14'); // 5702.85 × 15/20 = 4277.1375
    assert.equal(p?.realizedPnl, '173.49'); // 1599.20 − 1425.7125

    const split = await post(s, portfolioId, {
      type: 'split',
      instrumentId: sber,
      date: '2025-04-01',
      quantity: '2',
    });
    assert.equal(split.statusCode, 201, split.body);
    p = await position(portfolioId, 'SBER');
    assert.equal(p?.quantity, '30');
    assert.equal(p?.averagePrice, '142.57125');
    assert.equal(p?.costBase, '4277.14', 'a split keeps the cost');

    await post(s, portfolioId, {
      type: 'dividend',
      instrumentId: sber,
      date: '2025-07-21',
      amount: '1045.20',
    });
    await post(s, portfolioId, { type: 'tax', instrumentId: sber, date: '2025-07-21', amount: '135.88' });
    await post(s, portfolioId, { type: 'fee', date: '2025-08-01', amount: '99.00' });
    const totals = await totalsOf(portfolioId);
    assert.equal(totals.realizedPnl, '173.49');
    assert.equal(totals.income, '1045.20');
    assert.equal(totals.taxes, '135.88');
    assert.equal(totals.fees, '99.00');
  });

  void it('securities moved in and out without payment, and other income that may be negative', async () => {
    const portfolioId = await newPortfolio(t, s, true);
    const moved = await post(s, portfolioId, {
      type: 'transfer_in',
      instrumentId: sber,
      date: '2025-01-10',
      quantity: '20',
      amount: '5400',
    });
    assert.equal(moved.statusCode, 201, moved.body);
    assert.equal(moved.json().cashFlow, '0.00', 'no money changes hands');
    const out = await post(s, portfolioId, {
      type: 'transfer_out',
      instrumentId: sber,
      date: '2025-02-10',
      quantity: '5',
    });
    assert.equal(out.statusCode, 201, out.body);
    const p = await position(portfolioId, 'SBER');
    assert.equal(p?.quantity, '15');
    assert.equal(p?.costBase, '4050.00', 'they leave at the average cost of 270');
    assert.equal(p?.realizedPnl, '0.00');

    const tooMany = await post(s, portfolioId, {
      type: 'transfer_out',
      instrumentId: sber,
      date: '2025-03-10',
      quantity: '16',
    });
    assert.equal(tooMany.statusCode, 422, tooMany.body);
    assert.equal(tooMany.json().error.details.fields[0].field, 'quantity');
    const priced = await post(s, portfolioId, {
      type: 'transfer_out',
      instrumentId: sber,
      date: '2025-03-10',
      quantity: '1',
      amount: '300',
    });
    assert.equal(priced.statusCode, 422);
    assert.equal(priced.json().error.details.fields[0].field, 'amount');

    await post(s, portfolioId, { type: 'income', date: '2025-03-01', amount: '57.31', currency: 'RUB' });
    const margin = await post(s, portfolioId, {
      type: 'income',
      date: '2025-03-02',
      amount: '-20.00',
      currency: 'RUB',
    });
    assert.equal(margin.statusCode, 201, margin.body);
    assert.equal(margin.json().cashFlow, '-20.00');
    assert.equal((await totalsOf(portfolioId)).income, '37.31');
  });

  void it('a full sale keeps the realised result and shows no −100 %', async () => {
    const portfolioId = await newPortfolio(t, s);
    await post(s, portfolioId, {
      type: 'buy',
      instrumentId: sber,
      date: '2025-01-10',
      quantity: '10',
      price: '250',
    });
    await post(s, portfolioId, {
      type: 'sell',
      instrumentId: sber,
      date: '2025-02-10',
      quantity: '10',
      price: '280',
    });
    const p = await position(portfolioId, 'SBER');
    assert.equal(p?.closed, true);
    assert.equal(p?.quantity, '0');
    assert.equal(p?.valueBase, '0.00');
    assert.equal(p?.realizedPnl, '300.00');
    assert.equal(p?.unrealizedPnlPercent, null);
    const totals = await totalsOf(portfolioId);
    assert.equal(totals.value, '0.00');
    assert.equal(totals.unrealizedPnlPercent, null);
    assert.equal(totals.totalPnl, '300.00');
  });

  void it('refuses impossible or malformed operations with the field named, and stores nothing', async () => {
    const portfolioId = await newPortfolio(t, s);
    await post(s, portfolioId, {
      type: 'buy',
      instrumentId: sber,
      date: '2025-01-10',
      quantity: '5',
      price: '250',
    });
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { type: 'sell', instrumentId: sber, date: '2025-02-10', quantity: '6', price: '260' },
        422,
        'quantity',
      ],
      [
        { type: 'sell', instrumentId: sber, date: '2025-01-09', quantity: '1', price: '260' },
        422,
        'quantity',
      ],
      [{ type: 'buy', instrumentId: sber, date: '2025-01-10', quantity: '1', price: '1e3' }, 422, 'price'],
      [
        { type: 'buy', instrumentId: sber, date: '2025-01-10', quantity: '1', amount: '1.005' },
        422,
        'amount',
      ],
      [{ type: 'buy', instrumentId: sber, date: '2025-01-10', quantity: 1, price: '250' }, 422, 'quantity'],
      [
        { type: 'buy', instrumentId: sber, date: '2025-01-10', quantity: '-1', price: '250' },
        422,
        'quantity',
      ],
      [{ type: 'buy', instrumentId: sber, date: '2025-01-10', quantity: '1' }, 422, 'price'],
      [{ type: 'buy', date: '2025-01-10', quantity: '1', price: '1' }, 422, 'instrumentId'],
      [{ type: 'deposit', instrumentId: sber, date: '2025-01-10', amount: '1' }, 422, 'instrumentId'],
      [{ type: 'dividend', instrumentId: sber, date: '2025-01-10' }, 422, 'amount'],
      [
        { type: 'buy', instrumentId: sber, date: '2025-01-10', quantity: '1', price: '1', currency: 'USD' },
        422,
        'currency',
      ],
      [{ type: 'buy', instrumentId: sber, date: '2099-01-10', quantity: '1', price: '1' }, 422, 'date'],
      [{ type: 'buy', instrumentId: sber, date: '2025-02-30', quantity: '1', price: '1' }, 422, 'date'],
      [
        {
          type: 'buy',
          instrumentId: sber,
          date: '2025-01-10',
          quantity: '1',
          price: '1',
          userId: randomUUID(),
        },
        422,
        'userId',
      ],
      [{ type: 'swap', instrumentId: sber, date: '2025-01-10' }, 422, 'type'],
    ];
    for (const [payload, status, field] of cases) {
      const res = await post(s, portfolioId, payload);
      assert.equal(res.statusCode, status, `${JSON.stringify(payload)} → ${res.body}`);
      assert.equal(res.json().error.details.fields[0].field, field, JSON.stringify(payload));
    }
    const unknown = await post(s, portfolioId, {
      type: 'buy',
      instrumentId: 'no-such-instrument',
      date: '2025-01-10',
      quantity: '1',
      price: '1',
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'INSTRUMENT_NOT_FOUND');
    const ops = await t.app.inject({ url: `/api/portfolios/${portfolioId}/operations`, headers: s.auth });
    assert.equal(ops.json().total, 1, 'nothing was stored');
  });

  void it('edits and deletes keep the history consistent', async () => {
    const portfolioId = await newPortfolio(t, s);
    const buy = (
      await post(s, portfolioId, {
        type: 'buy',
        instrumentId: sber,
        date: '2025-01-10',
        quantity: '10',
        price: '250',
      })
    ).json();
    const sell = (
      await post(s, portfolioId, {
        type: 'sell',
        instrumentId: sber,
        date: '2025-02-10',
        quantity: '8',
        price: '260',
      })
    ).json();

    const tooSmall = await t.app.inject({
      method: 'PATCH',
      url: `/api/operations/${buy.id}`,
      headers: s.auth,
      payload: { quantity: '5' },
    });
    assert.equal(tooSmall.statusCode, 409);
    assert.equal(tooSmall.json().error.code, 'LEDGER_CONFLICT');

    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/operations/${buy.id}`,
      headers: s.auth,
      payload: { quantity: '12', note: 'докупил' },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().amount, '3000.00', 'the amount follows quantity × price');
    assert.equal(edited.json().note, 'докупил');
    assert.equal((await position(portfolioId, 'SBER'))?.quantity, '4');

    const del = await t.app.inject({ method: 'DELETE', url: `/api/operations/${buy.id}`, headers: s.auth });
    assert.equal(del.statusCode, 409, 'the sale would sell what was never bought');
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: `/api/operations/${sell.id}`, headers: s.auth }))
        .statusCode,
      204,
    );
    assert.equal((await position(portfolioId, 'SBER'))?.quantity, '12');

    const list = await t.app.inject({
      url: `/api/portfolios/${portfolioId}/operations?type=buy&from=2025-01-01&to=2025-01-10&limit=1`,
      headers: s.auth,
    });
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().total, 1);
    assert.equal(list.json().items[0].id, buy.id);

    const p = await position(portfolioId, 'SBER');
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/portfolios/${portfolioId}/positions/${String(p?.id)}`,
      headers: s.auth,
    });
    assert.equal(removed.statusCode, 204);
    assert.equal(await position(portfolioId, 'SBER'), undefined);
  });

  void it('adds an asset described by hand, priced by hand', async () => {
    const portfolioId = await newPortfolio(t, s);
    const op = (
      await addAsset(t, s, portfolioId, {
        manualAsset: {
          ticker: 'FLAT',
          name: 'Квартира <script>',
          kind: 'other',
          currency: 'RUB',
          price: '9500000',
        },
        quantity: '1',
        price: '8000000',
        date: '2024-05-01',
      })
    ).json();
    assert.equal(op.name, 'Квартира <script>');
    let p = await position(portfolioId, 'FLAT');
    assert.equal(p?.valueBase, '9500000.00');
    assert.equal((p?.price as unknown as { source: string }).source, 'manual');
    assert.equal(p?.assetClass, 'other');
    const repriced = await t.app.inject({
      method: 'PATCH',
      url: `/api/manual-assets/${String(op.manualAssetId)}`,
      headers: s.auth,
      payload: { price: '9800000' },
    });
    assert.equal(repriced.statusCode, 200);
    p = await position(portfolioId, 'FLAT');
    assert.equal(p?.unrealizedPnl, '1800000.00');
    const inUse = await t.app.inject({
      method: 'DELETE',
      url: `/api/manual-assets/${String(op.manualAssetId)}`,
      headers: s.auth,
    });
    assert.equal(inUse.statusCode, 409);
  });

  void it('the overview is reused only while nothing changed', async () => {
    const { s: own, portfolioId } = await newUser(t);
    const op = (
      await addAsset(t, own, portfolioId, {
        manualAsset: { ticker: 'ART', name: 'Картина', kind: 'other', currency: 'RUB', price: '100000' },
        quantity: '1',
        price: '90000',
      })
    ).json();
    const first = (await overview(t, own)).json();
    assert.equal(first.totals.value, '100000.00');
    assert.deepEqual((await overview(t, own)).json(), first, 'the same inputs give the same answer');

    await t.app.inject({
      method: 'PATCH',
      url: `/api/manual-assets/${String(op.manualAssetId)}`,
      headers: own.auth,
      payload: { price: '120000' },
    });
    assert.equal(
      (await overview(t, own)).json().totals.value,
      '120000.00',
      'a new manual price shows at once',
    );

    await post(own, portfolioId, {
      type: 'buy',
      manualAssetId: op.manualAssetId,
      date: '2025-03-01',
      quantity: '1',
      price: '95000',
    });
    assert.equal((await overview(t, own)).json().totals.value, '240000.00', 'a new operation shows at once');

    await t.app.inject({
      method: 'PATCH',
      url: `/api/portfolios/${portfolioId}`,
      headers: own.auth,
      payload: { name: 'Искусство' },
    });
    assert.equal((await overview(t, own)).json().portfolios[0].name, 'Искусство');
  });

  void it('a bond position: price in % of nominal plus НКД, and its coupon in the calendar', async () => {
    const portfolioId = await newPortfolio(t, s);
    await addAsset(t, s, portfolioId, { instrumentId: ofz, quantity: '3', price: '640', date: '2025-01-10' });
    const p = await position(portfolioId, 'SU26238RMFS4');
    assert.equal(p?.nominal, '1000');
    assert.equal(p?.kind, 'bond');
    const calendar = await t.app.inject({ url: '/api/portfolio/calendar', headers: s.auth });
    assert.equal(calendar.statusCode, 200);
    const events = calendar.json().events as {
      type: string;
      ticker: string;
      perPiece: string;
      expectedAmount: string;
    }[];
    const coupon = events.find((e) => e.type === 'coupon' && e.ticker === 'SU26238RMFS4');
    assert.ok(coupon, 'a coupon within a year');
    assert.equal(coupon.perPiece, '35.4');
    assert.equal(coupon.expectedAmount, '106.20');
  });

  void it('cash tracking: deposits, trades and income give the cash line', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/portfolios',
      headers: s.auth,
      payload: { name: 'ИИС', cashTracking: true },
    });
    assert.equal(created.statusCode, 201);
    const id = created.json().id as string;
    await post(s, id, { type: 'deposit', date: '2025-01-09', amount: '10000.00' });
    await post(s, id, {
      type: 'buy',
      instrumentId: sber,
      date: '2025-01-10',
      quantity: '10',
      price: '270',
      commission: '1.35',
    });
    await post(s, id, { type: 'dividend', instrumentId: sber, date: '2025-07-21', amount: '348.40' });
    const body = (await t.app.inject({ url: `/api/portfolios/${id}`, headers: s.auth })).json();
    const cash = (body.portfolio.positions as { kind: string; ticker: string; valueBase: string }[]).find(
      (p) => p.kind === 'cash',
    );
    assert.equal(cash?.ticker, 'RUB');
    assert.equal(cash?.valueBase, '7647.05'); // 10000 − 2701.35 + 348.40
    assert.equal(body.portfolio.totals.byClass.currencies, '7647.05');
    const list = (await t.app.inject({ url: '/api/portfolios', headers: s.auth })).json<
      { id: string; positions: number; operations: number }[]
    >();
    const listed = list.find((p) => p.id === id);
    assert.deepEqual([listed?.positions, listed?.operations], [1, 3], 'SBER held, three operations');
  });

  void describe('another user’s ids are 404, like ids that do not exist', () => {
    let a: { s: Session; portfolioId: string };
    let b: { s: Session; portfolioId: string };
    let opId: string;
    let assetId: string;
    let positionId: string;
    before(async () => {
      a = { s, portfolioId: await newPortfolio(t, s) };
      b = await newUser(t);
      opId = (
        await addAsset(t, a.s, a.portfolioId, {
          instrumentId: sber,
          quantity: '2',
          price: '250',
          date: '2025-01-10',
        })
      ).json().id;
      assetId = (
        await addAsset(t, a.s, a.portfolioId, {
          manualAsset: { ticker: 'GOLD', name: 'Слиток', kind: 'other', currency: 'RUB', price: '7000000' },
          quantity: '1',
          price: '6500000',
        })
      ).json().manualAssetId;
      positionId = String((await position(a.portfolioId, 'SBER'))?.id);
    });

    void it('on every verb and in every body reference', async () => {
      const missing = randomUUID();
      const requests: [string, string, Record<string, unknown>?][] = [
        ['GET', `/api/portfolios/{p}`],
        ['PATCH', `/api/portfolios/{p}`, { name: 'mine now' }],
        ['DELETE', `/api/portfolios/{p}`],
        ['GET', `/api/portfolios/{p}/operations`],
        ['POST', `/api/portfolios/{p}/operations`, { type: 'deposit', date: '2025-01-10', amount: '1.00' }],
        ['POST', `/api/portfolios/{p}/assets`, { instrumentId: sber, quantity: '1', price: '1' }],
        ['DELETE', `/api/portfolios/{p}/positions/{pos}`],
        ['GET', `/api/operations/{o}`],
        ['PATCH', `/api/operations/{o}`, { note: 'x' }],
        ['DELETE', `/api/operations/{o}`],
        ['PATCH', `/api/manual-assets/{m}`, { price: '1' }],
        ['DELETE', `/api/manual-assets/{m}`],
      ];
      for (const [method, template, payload] of requests) {
        const url = (ids: Record<string, string>) =>
          template.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? missing);
        const foreign = await t.app.inject({
          method: method as 'GET',
          url: url({ p: a.portfolioId, o: opId, m: assetId, pos: positionId }),
          headers: b.s.auth,
          payload,
        });
        const absent = await t.app.inject({
          method: method as 'GET',
          url: url({ p: missing, o: missing, m: missing, pos: missing }),
          headers: b.s.auth,
          payload,
        });
        assert.equal(foreign.statusCode, 404, `${method} ${template}: ${foreign.body}`);
        assert.deepEqual(foreign.json(), absent.json(), `${method} ${template}: same body as a missing id`);
      }
      // B's own operation pointing at A's portfolio or A's manual asset.
      const own = (
        await addAsset(t, b.s, b.portfolioId, {
          instrumentId: sber,
          quantity: '1',
          price: '250',
          date: '2025-01-10',
        })
      ).json();
      const move = await t.app.inject({
        method: 'PATCH',
        url: `/api/operations/${String(own.id)}`,
        headers: b.s.auth,
        payload: { portfolioId: a.portfolioId },
      });
      assert.equal(move.statusCode, 404);
      assert.equal(move.json().error.code, 'PORTFOLIO_NOT_FOUND');
      const borrowed = await t.app.inject({
        method: 'POST',
        url: `/api/portfolios/${b.portfolioId}/assets`,
        headers: b.s.auth,
        payload: { manualAssetId: assetId, quantity: '1', price: '1' },
      });
      assert.equal(borrowed.statusCode, 404);
      assert.equal(borrowed.json().error.code, 'MANUAL_ASSET_NOT_FOUND');

      // A's data is untouched and B sees none of it.
      const mine = (await valued(t, a.s, a.portfolioId)).json();
      assert.equal(mine.portfolio.positions.length, 2);
      const theirs = (await overview(t, b.s)).json();
      assert.ok(!JSON.stringify(theirs).includes(a.portfolioId));
      assert.ok(!JSON.stringify(theirs).includes('GOLD'));
    });
  });
});
