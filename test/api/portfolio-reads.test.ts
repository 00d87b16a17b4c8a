import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { operations, portfolios, positions } from '../../src/server/db/schema.js';
import { buildTestApp, type Session, type TestApp } from '../support/app.js';
import { addAsset, newUser, overview } from '../support/investments.js';

void describe('portfolio reads: viewing never writes; a new base currency is applied where it changes', () => {
  let t: TestApp;
  let s: Session;
  let userId: string;
  let portfolioId: string;
  before(async () => {
    t = await buildTestApp();
    ({ s, portfolioId } = await newUser(t));
    userId = (await t.app.inject({ url: '/api/users/me', headers: s.auth })).json<{ id: string }>().id;
    assert.ok(userId);
    await addAsset(t, s, portfolioId, {
      manualAsset: { ticker: 'FLAT', name: 'Квартира', kind: 'other', currency: 'RUB', price: '9000000' },
      quantity: '1',
      price: '8000000',
      date: '2024-03-01',
    });
  });
  after(() => t.close());

  /** Everything a valuation could write: the user's positions, portfolios and operations, as stored. */
  const stored = async () => {
    const db = t.database.db;
    return JSON.stringify([
      await db.select().from(positions).where(eq(positions.userId, userId)).orderBy(asc(positions.id)),
      await db.select().from(portfolios).where(eq(portfolios.userId, userId)).orderBy(asc(portfolios.id)),
      await db.select().from(operations).where(eq(operations.userId, userId)).orderBy(asc(operations.id)),
    ]);
  };
  const bases = async () =>
    (await t.database.db.select().from(positions).where(eq(positions.userId, userId))).map(
      (p) => p.baseCurrency,
    );
  const setBase = (baseCurrency: string) =>
    t.app.inject({ method: 'PATCH', url: '/api/users/me', headers: s.auth, payload: { baseCurrency } });
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(await check());
  };

  void it('GET /api/portfolio and GET /api/portfolios/:id change nothing stored', async () => {
    assert.deepEqual(await bases(), ['RUB', 'RUB']);
    const before = await stored();
    const body = (await overview(t, s)).json<{ totals: { value: string } }>();
    assert.equal(body.totals.value, '9000000.00');
    await overview(t, s);
    const one = await t.app.inject({ url: `/api/portfolios/${portfolioId}`, headers: s.auth });
    assert.equal(one.statusCode, 200, one.body);
    assert.equal(await stored(), before);
  });

  void it('a new base currency re-derives the positions in the change itself; the next view only reads', async () => {
    assert.deepEqual(await bases(), ['RUB', 'RUB']);
    const res = await setBase('USD');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await bases(), ['USD', 'USD']);
    const before = await stored();
    const body = (await overview(t, s)).json<{ baseCurrency: string }>();
    assert.equal(body.baseCurrency, 'USD');
    assert.equal(await stored(), before);
    assert.equal((await setBase('RUB')).statusCode, 200);
    assert.deepEqual(await bases(), ['RUB', 'RUB']);
    assert.equal((await overview(t, s)).json<{ totals: { value: string } }>().totals.value, '9000000.00');
  });

  void it('positions left in another base by an older version are derived again in the background', async () => {
    await t.database.db.update(positions).set({ baseCurrency: 'EUR' }).where(eq(positions.userId, userId));
    // At start-up: another instance on the same database finds and re-derives them.
    const other = await buildTestApp({ deps: { database: t.database } });
    try {
      await until(async () => (await bases()).every((b) => b === 'RUB'));
    } finally {
      await other.app.close();
      await other.cache.close();
    }
    // Found by a view (a write that raced the change): derived again after the answer.
    await t.database.db.update(positions).set({ baseCurrency: 'EUR' }).where(eq(positions.userId, userId));
    await overview(t, s);
    await until(async () => (await bases()).every((b) => b === 'RUB'));
    assert.equal((await overview(t, s)).json<{ totals: { value: string } }>().totals.value, '9000000.00');
  });
});
