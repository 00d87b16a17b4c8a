import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Session } from '../support/app.js';
import { register } from '../support/app.js';
import {
  buildMarketApp,
  newPortfolio,
  newUser,
  refreshCatalogue,
  valued,
  type MarketTestApp,
} from '../support/investments.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/activities/${name}`, import.meta.url));

void describe('imports: investment activities', () => {
  let t: MarketTestApp;
  let s: Session;
  before(async () => {
    t = await buildMarketApp();
    ({ s } = await newUser(t));
    await refreshCatalogue(t, s);
  });
  after(() => t.close());

  const upload = (portfolioId: string, body: Buffer | string, query: Record<string, string> = {}, who = s) =>
    t.app.inject({
      method: 'POST',
      url: `/api/imports/activities?${new URLSearchParams({ portfolioId, ...query })}`,
      headers: { ...who.auth, 'content-type': 'application/octet-stream' },
      payload: body,
    });
  const uploaded = async (portfolioId: string, body: Buffer | string, query: Record<string, string> = {}) => {
    const res = await upload(portfolioId, body, query);
    assert.equal(res.statusCode, 201, res.body);
    return res.json<{ id: string; preset: string | null; counts: Record<string, number> }>();
  };
  const commit = async (id: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/imports/activities/${id}/commit`,
      headers: s.auth,
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().created as number;
  };
  const rows = async (id: string) => {
    const res = await t.app.inject({ url: `/api/imports/activities/${id}/rows`, headers: s.auth });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().items as Record<string, string | boolean | number | null>[];
  };
  const positions = async (portfolioId: string) => {
    const list = (await valued(t, s, portfolioId)).json<{
      portfolio: { positions: Record<string, string>[] };
    }>().portfolio.positions;
    return Object.fromEntries(
      list.filter((p) => p.ticker).map((p) => [p.ticker!, { quantity: p.quantity, costBase: p.costBase }]),
    );
  };
  const operations = async (portfolioId: string) => {
    const res = await t.app.inject({ url: `/api/portfolios/${portfolioId}/operations`, headers: s.auth });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ items: Record<string, string>[]; total: number }>();
  };

  void it('Ghostfolio JSON: preview, commit, positions; the same file again adds 0; undo removes all', async () => {
    const portfolioId = await newPortfolio(t, s);
    const preview = await uploaded(portfolioId, fixture('ghostfolio.json'), { fileName: 'ghostfolio.json' });
    assert.equal(preview.preset, 'ghostfolio');
    assert.deepEqual(preview.counts, { new: 6, duplicate: 0, skipped: 0, newAssets: 1 });
    const list = await rows(preview.id);
    assert.deepEqual(
      list.map((r) => [r.line, r.type, r.symbol, r.quantity, r.amount, r.commission, r.newAsset]),
      [
        [1, 'buy', 'SBER', '10', '2701.50', '1.35', false],
        [2, 'buy', 'GAZP', '20', '2610.00', '0.65', false],
        [3, 'fee', '', '0', '99.00', '0.00', false],
        [4, 'sell', 'SBER', '4', '1200.00', '0.60', false],
        [5, 'buy', 'ACME', '5', '61.70', '0.00', true],
        [6, 'dividend', 'SBER', '6', '199.80', '0.00', false],
      ],
    );
    assert.equal((await operations(portfolioId)).total, 0, 'a preview writes nothing');

    assert.equal(await commit(preview.id), 6);
    // 10 × 270.15 + 1.35 = 2702.85 for 10; 4 sold leave 6 × 270.285 = 1621.71
    assert.deepEqual(await positions(portfolioId), {
      SBER: { quantity: '6', costBase: '1621.71' },
      GAZP: { quantity: '20', costBase: '2610.65' },
      ACME: { quantity: '5', costBase: '61.70' },
    });

    const again = await uploaded(portfolioId, fixture('ghostfolio.json'));
    assert.deepEqual(again.counts, { new: 0, duplicate: 6, skipped: 0, newAssets: 0 });
    assert.equal(await commit(again.id), 0);
    assert.equal((await operations(portfolioId)).total, 6);

    const undo = await t.app.inject({
      method: 'DELETE',
      url: `/api/imports/activities/${preview.id}`,
      headers: s.auth,
    });
    assert.equal(undo.statusCode, 204, undo.body);
    assert.equal((await operations(portfolioId)).total, 0);
    assert.deepEqual(await positions(portfolioId), {});
    const assets = await t.app.inject({ url: '/api/manual-assets', headers: s.auth });
    assert.ok(
      !assets.json<{ ticker: string }[]>().some((a) => a.ticker === 'ACME'),
      'the asset it made goes',
    );
  });

  void it('Ghostfolio CSV gives the same operations as its JSON', async () => {
    const portfolioId = await newPortfolio(t, s);
    const preview = await uploaded(portfolioId, fixture('ghostfolio.csv'));
    assert.equal(preview.preset, 'ghostfolio');
    assert.equal(await commit(preview.id), 6);
    assert.deepEqual((await positions(portfolioId)).SBER, { quantity: '6', costBase: '1621.71' });
    const fee = (await operations(portfolioId)).items.find((o) => o.type === 'fee');
    assert.equal(fee?.amount, '99.00');
  });

  void it('Intelinvest: bond prices in % of nominal, НКД per bond, coupons, dividends, deposits', async () => {
    const portfolioId = await newPortfolio(t, s);
    const preview = await uploaded(portfolioId, fixture('intelinvest.csv'));
    assert.equal(preview.preset, 'intelinvest');
    assert.equal(await commit(preview.id), 5);
    const ops = (await operations(portfolioId)).items;
    const of = (type: string) => ops.find((o) => o.type === type)!;
    assert.equal(of('deposit').amount, '100000.00');
    assert.equal(of('deposit').note, 'Пополнение');
    const bond = ops.find((o) => o.ticker === 'SU26238RMFS4' && o.type === 'buy')!;
    // 60.5 % of 1000 = 605 a bond; НКД 12.34 a bond × 5
    assert.equal(bond.price, '605');
    assert.equal(bond.amount, '3025.00');
    assert.equal(bond.accruedInterest, '61.70');
    assert.equal(bond.commission, '1.50');
    assert.equal(of('coupon').amount, '177.00');
    assert.equal(of('dividend').amount, '310.00');
    const held = await positions(portfolioId);
    assert.equal(held.GAZP?.quantity, '20');
    assert.equal(held.SU26238RMFS4?.quantity, '5');
  });

  void it('Snowball Income: cash in, trades and a dividend of price × quantity', async () => {
    const portfolioId = await newPortfolio(t, s);
    const preview = await uploaded(portfolioId, fixture('snowball.csv'));
    assert.equal(preview.preset, 'snowball');
    assert.equal(await commit(preview.id), 4);
    const ops = (await operations(portfolioId)).items;
    assert.equal(ops.find((o) => o.type === 'deposit')?.amount, '50000.00');
    assert.equal(ops.find((o) => o.type === 'dividend')?.amount, '199.80');
    assert.deepEqual((await positions(portfolioId)).SBER, { quantity: '6', costBase: '1621.71' });
  });

  void it('a mapping saved as a preset: ISIN or ticker, identical rows of a day counted', async () => {
    const portfolioId = await newPortfolio(t, s);
    const file = fixture('generic.csv');
    const asked = await upload(portfolioId, file);
    assert.equal(asked.statusCode, 422, asked.body);
    assert.equal(asked.json().error.code, 'IMPORT_MAPPING_REQUIRED');
    assert.equal(asked.json().error.details.header[2], 'Бумага');
    const mapping = {
      columns: {
        date: 'Дата',
        type: 'Операция',
        symbol: 'Бумага',
        quantity: 'Количество',
        price: 'Цена',
        fee: 'Комиссия',
        currency: 'Валюта',
        note: 'Комментарий',
      },
      dateFormat: 'dd.mm.yyyy',
      decimal: 'comma',
    };
    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/imports/activity-presets',
      headers: s.auth,
      payload: { name: 'Мой брокер', mapping },
    });
    assert.equal(saved.statusCode, 201, saved.body);
    const budgetPresets = await t.app.inject({ url: '/api/imports/presets', headers: s.auth });
    assert.ok(!budgetPresets.json<{ name: string }[]>().some((p) => p.name === 'Мой брокер'));

    const preview = await uploaded(portfolioId, file, { presetId: saved.json().id });
    assert.deepEqual(preview.counts, { new: 3, duplicate: 0, skipped: 0, newAssets: 0 });
    assert.equal(await commit(preview.id), 3);
    assert.deepEqual((await positions(portfolioId)).SBER, { quantity: '16', costBase: '4324.56' });
    const again = await uploaded(portfolioId, file, { mapping: JSON.stringify(mapping) });
    assert.deepEqual(again.counts, { new: 0, duplicate: 3, skipped: 0, newAssets: 0 });
  });

  void it('bad lines are named with their line and column, and nothing is staged', async () => {
    const portfolioId = await newPortfolio(t, s);
    const file = [
      'date,symbol,type,quantity,unitPrice,fee,currency',
      '2025-01-10,SBER,BUY,10,270.15,0,RUB',
      '2025-13-40,SBER,BUY,1,270,0,RUB',
      '2025-01-12,SBER,GIFT,1,270,0,RUB',
      '2025-01-13,SBER,BUY,1,abc,0,RUB',
    ].join('\n');
    const before = (await t.app.inject({ url: '/api/imports/activities', headers: s.auth })).json().length;
    const res = await upload(portfolioId, file);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.code, 'IMPORT_FILE_INVALID');
    assert.deepEqual(
      (res.json().error.details.problems as Record<string, unknown>[]).map((p) => [p.line, p.column, p.code]),
      [
        [3, 'date', 'DATE_INVALID'],
        [4, 'type', 'TYPE_UNKNOWN'],
        [5, 'unitPrice', 'NUMBER_INVALID'],
      ],
    );
    assert.equal(
      (await t.app.inject({ url: '/api/imports/activities', headers: s.auth })).json().length,
      before,
    );
  });

  void it('a sale of more than is held is refused on its line, as by hand', async () => {
    const portfolioId = await newPortfolio(t, s);
    const file = [
      'date,symbol,type,quantity,unitPrice,fee,currency',
      '2025-01-10,SBER,BUY,3,270,0,RUB',
      '2025-01-11,SBER,SELL,5,280,0,RUB',
    ].join('\n');
    const res = await upload(portfolioId, file);
    assert.equal(res.statusCode, 422, res.body);
    assert.deepEqual(
      (res.json().error.details.problems as Record<string, unknown>[]).map((p) => [p.line, p.column, p.code]),
      [[3, 'quantity', 'OVERSOLD']],
    );
    assert.equal((await operations(portfolioId)).total, 0);
  });

  void it('a previewed row is corrected or left out, checked as on upload; committed or foreign is refused', async () => {
    const portfolioId = await newPortfolio(t, s);
    const file = [
      'date,symbol,type,quantity,unitPrice,fee,currency',
      '2025-01-10,SBER,BUY,100,270.15,0,RUB',
      '2025-01-11,SBER,SELL,3,280,0,RUB',
      '2025-01-12,SBER,BUY,2,271,0,RUB',
    ].join('\n');
    const preview = await uploaded(portfolioId, file);
    const edit = (line: number, payload: Record<string, unknown>, who = s, id = preview.id) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/imports/activities/${id}/rows/${line}`,
        headers: who.auth,
        payload,
      });

    // 100 pieces was a typo for 10.5: the amount follows quantity × price, to the kopeck.
    const fixed = await edit(2, { quantity: '10.5' });
    assert.equal(fixed.statusCode, 200, fixed.body);
    assert.deepEqual(
      [fixed.json().quantity, fixed.json().price, fixed.json().amount, fixed.json().status],
      ['10.5', '270.15', '2836.58', 'new'],
    );
    const field = async (line: number, payload: Record<string, unknown>) => {
      const res = await edit(line, payload);
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
      const [f] = res.json().error.details.fields as Record<string, string>[];
      return [f!.field, f!.code];
    };
    assert.deepEqual(await field(2, { quantity: '0' }), ['quantity', 'NOT_POSITIVE']);
    assert.deepEqual(await field(2, { date: '2099-01-01' }), ['date', 'IN_FUTURE']);
    assert.deepEqual(await field(4, { type: 'deposit' }), ['instrumentId', 'NOT_FOR_TYPE']);
    assert.deepEqual(await field(3, { quantity: '11' }), ['quantity', 'OVERSOLD_ON_LINE'], 'more than 10.5');
    assert.deepEqual(
      await field(2, { status: 'skipped' }),
      ['quantity', 'OVERSOLD_ON_LINE'],
      'the sale needs it',
    );
    assert.equal((await rows(preview.id))[0]!.quantity, '10.5', 'a refused change changes nothing');

    const skipped = await edit(4, { status: 'skipped' });
    assert.equal(skipped.statusCode, 200, skipped.body);
    assert.equal(skipped.json().status, 'skipped');
    const counted = await t.app.inject({ url: `/api/imports/activities/${preview.id}`, headers: s.auth });
    assert.deepEqual(counted.json().counts, { new: 2, duplicate: 0, skipped: 1, newAssets: 0 });

    const other = await register(t.app);
    assert.equal((await edit(2, { quantity: '1' }, other)).statusCode, 404);
    assert.equal((await edit(99, { quantity: '1' })).statusCode, 404);

    assert.equal(await commit(preview.id), 2);
    const written = (await operations(portfolioId)).items;
    assert.deepEqual(
      written.map((o) => [o.type, o.quantity, o.amount]).sort(),
      [
        ['buy', '10.5', '2836.58'],
        ['sell', '3', '840.00'],
      ],
      'the skipped purchase is not written',
    );
    const late = await edit(2, { quantity: '1' });
    assert.equal(late.statusCode, 409, late.body);
    assert.equal(late.json().error.code, 'IMPORT_ALREADY_COMMITTED');
  });

  void it("another user's portfolio and imports are 404", async () => {
    const portfolioId = await newPortfolio(t, s);
    const other = await register(t.app);
    const res = await upload(portfolioId, fixture('ghostfolio.csv'), {}, other);
    assert.equal(res.statusCode, 404, res.body);
    const mine = await uploaded(portfolioId, fixture('ghostfolio.csv'));
    for (const [method, url] of [
      ['GET', `/api/imports/activities/${mine.id}`],
      ['GET', `/api/imports/activities/${mine.id}/rows`],
      ['POST', `/api/imports/activities/${mine.id}/commit`],
      ['DELETE', `/api/imports/activities/${mine.id}`],
    ] as const) {
      const r = await t.app.inject({ method, url, headers: other.auth });
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
    }
    assert.equal((await operations(portfolioId)).total, 0);
  });
});
