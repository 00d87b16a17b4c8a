import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';
import { addAsset, newUser, overview } from '../support/investments.js';
import * as mq from '../../src/server/modules/investments/manual-prices.queries.js';

void describe('manual prices: a dated price history per hand-priced asset', () => {
  let t: TestApp;
  let s: Session;
  let portfolioId: string;
  let assetId: string;
  const today = () => new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10);
  before(async () => {
    t = await buildTestApp();
    ({ s, portfolioId } = await newUser(t));
    const res = await addAsset(t, s, portfolioId, {
      manualAsset: {
        ticker: 'FLAT',
        name: 'Квартира',
        kind: 'other',
        currency: 'RUB',
        price: '9000000',
      },
      quantity: '1',
      price: '8000000',
      date: '2024-03-01',
    });
    assetId = res.json().manualAssetId as string;
  });
  after(() => t.close());

  const prices = (id = assetId, session = s) =>
    t.app.inject({ url: `/api/manual-assets/${id}/prices`, headers: session.auth });
  const post = (body: Record<string, unknown>, id = assetId, session = s) =>
    t.app.inject({
      method: 'POST',
      url: `/api/manual-assets/${id}/prices`,
      headers: session.auth,
      payload: body,
    });
  type Line = {
    ticker: string;
    value: string | null;
    price: { price: string; source: string; time: string } | null;
  };
  const flat = async () => {
    const body = (await overview(t, s)).json<{ portfolios: { positions: Line[] }[] }>();
    return body.portfolios.flatMap((p) => p.positions).find((p) => p.ticker === 'FLAT')!;
  };

  void it('the price given with the asset is the first entry of its history and values it', async () => {
    const list = (await prices()).json();
    assert.equal(list.length, 1);
    assert.equal(list[0].price, '9000000');
    const p = await flat();
    assert.equal(p.value, '9000000.00');
    assert.equal(p.price?.source, 'manual');
  });

  void it('the latest day values the asset; an earlier day only adds history', async () => {
    const earlier = await post({ date: '2024-12-31', price: '8500000' });
    assert.equal(earlier.statusCode, 201, earlier.body);
    assert.equal((await flat()).value, '9000000.00', 'an earlier entry does not change today’s value');
    const newest = await post({ date: today(), price: '9250000.50' });
    // Today already has the entry made with the asset: one price per day.
    assert.equal(newest.statusCode, 409);
    assert.equal(newest.json().error.code, 'MANUAL_PRICE_EXISTS');
    const list = (await prices()).json<{ id: string; date: string; price: string }[]>();
    assert.deepEqual(
      list.map((e) => e.date),
      [today(), '2024-12-31'],
      'newest first',
    );
    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/manual-assets/${assetId}/prices/${list[0]!.id}`,
      headers: s.auth,
      payload: { price: '9250000.50' },
    });
    assert.equal(edit.statusCode, 200, edit.body);
    assert.equal(edit.json().price, '9250000.5');
    const p = await flat();
    assert.equal(p.value, '9250000.50');
    assert.equal(p.price?.time.slice(0, 10), today());
  });

  void it('deleting the latest entry falls back to the one before it, and the last one leaves it unpriced', async () => {
    const list = (await prices()).json<{ id: string; date: string }[]>();
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/manual-assets/${assetId}/prices/${list[0]!.id}`,
      headers: s.auth,
    });
    assert.equal(del.statusCode, 204);
    const p = await flat();
    assert.equal(p.value, '8500000.00');
    assert.equal(p.price?.time.slice(0, 10), '2024-12-31');
    const rest = (await prices()).json<{ id: string }[]>();
    await t.app.inject({
      method: 'DELETE',
      url: `/api/manual-assets/${assetId}/prices/${rest[0]!.id}`,
      headers: s.auth,
    });
    const unpriced = await flat();
    assert.equal(unpriced.price?.source, 'trade', 'the buy price, labelled so');
    const asset = (await t.app.inject({ url: '/api/manual-assets', headers: s.auth })).json()[0];
    assert.equal(asset.price, null);
  });

  void it('moving an entry onto a day that has one is a 409; bad input is a 422 naming the field', async () => {
    const a = (await post({ date: '2025-01-10', price: '1' })).json<{ id: string }>();
    await post({ date: '2025-02-10', price: '2' });
    const clash = await t.app.inject({
      method: 'PATCH',
      url: `/api/manual-assets/${assetId}/prices/${a.id}`,
      headers: s.auth,
      payload: { date: '2025-02-10' },
    });
    assert.equal(clash.statusCode, 409);
    for (const [body, field] of [
      [{ date: '2025-03-01', price: '0' }, 'price'],
      [{ date: '2025-03-01', price: '-5' }, 'price'],
      [{ date: '2025-03-01', price: '1e3' }, 'price'],
      [{ date: '2999-01-01', price: '5' }, 'date'],
      [{ date: '2025-13-01', price: '5' }, 'date'],
      [{ price: '5' }, 'date'],
    ] as const) {
      const res = await post(body);
      assert.equal(res.statusCode, 422, `${JSON.stringify(body)}: ${res.body}`);
      assert.match(res.json().error.message, new RegExp(field));
    }
  });

  void it('another user’s asset or entry is a 404', async () => {
    const other = await register(t.app);
    assert.equal((await prices(assetId, other)).statusCode, 404);
    assert.equal((await post({ date: '2025-01-01', price: '1' }, assetId, other)).statusCode, 404);
    const mine = (await prices()).json<{ id: string }[]>();
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/manual-assets/${assetId}/prices/${mine[0]!.id}`,
      headers: other.auth,
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal((await prices()).json().length, mine.length);
  });

  void it('the queries themselves touch only the user’s own rows, whatever ids they are given', async () => {
    const other = await register(t.app);
    const db = t.database.db;
    const before = await mq.listManualPrices(db, s.user.id, assetId);
    const entry = before[0]!;
    const theirs = other.user.id;
    await mq.updateManualPrice(db, theirs, entry.id, { price: '1' });
    await mq.deleteManualPrice(db, theirs, entry.id);
    await mq.deleteManualPrices(db, theirs, assetId);
    await mq.putManualPrice(db, { userId: theirs, manualAssetId: assetId, date: entry.date, price: '2' });
    assert.equal(
      await mq.insertManualPrice(db, {
        userId: theirs,
        manualAssetId: assetId,
        date: '2020-01-01',
        price: '3',
      }),
      undefined,
    );
    assert.equal(await mq.manualPriceOn(db, theirs, assetId, entry.date), undefined);
    await mq.syncCurrentPrice(db, theirs, assetId);
    assert.deepEqual(await mq.listManualPrices(db, s.user.id, assetId), before);
    assert.equal((await mq.manualPriceOn(db, s.user.id, assetId, entry.date))?.price, entry.price);
  });
});
