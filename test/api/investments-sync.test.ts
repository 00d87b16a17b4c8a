import { dec } from '../../src/common/decimal.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import {
  FAKE_BROKER_ACCOUNT_ID,
  FAKE_DEMO_TOKEN,
  FAKE_IIS_ACCOUNT_ID,
  FAKE_LIMITED_TOKEN,
} from '../fakes/tinvest-server.js';
import { register } from '../support/app.js';
import { buildMarketApp, overview, refreshCatalogue, type MarketTestApp } from '../support/investments.js';

type Session = Awaited<ReturnType<typeof register>>;

interface Difference {
  kind: string;
  ticker: string;
  broker: string;
  ours: string;
  cause: string;
  details: string[];
}
interface SyncBody {
  imported: number;
  alreadyImported: number;
  fetched: number;
  portfolio: { id: string };
  reconciliation: { equal: boolean; checked: number; differences: Difference[] } | null;
}
type Line = {
  kind: string;
  ticker: string;
  instrumentUid: string | null;
  quantity: string;
  closed: boolean;
  realizedPnl: string;
};

async function connect(t: MarketTestApp, token = FAKE_DEMO_TOKEN): Promise<Session> {
  const s = await register(t.app);
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/users/me/tinvest-token',
    headers: s.auth,
    payload: { token },
  });
  assert.equal(res.statusCode, 200, res.body);
  return s;
}

async function sync(t: MarketTestApp, s: Session, accountId: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/portfolios/sync',
    headers: s.auth,
    payload: { accountId },
  });
}

async function syncOk(t: MarketTestApp, s: Session, accountId: string): Promise<SyncBody> {
  const res = await sync(t, s, accountId);
  assert.equal(res.statusCode, 200, res.body);
  return res.json<SyncBody>();
}

async function linesOf(t: MarketTestApp, s: Session, portfolioId: string): Promise<Line[]> {
  const body = (await overview(t, s)).json<{ portfolios: { id: string; positions: Line[] }[] }>();
  return body.portfolios.find((p) => p.id === portfolioId)?.positions ?? [];
}

/**
 * The proof that does not rely on the sync's own check: every position and cash balance the app
 * shows equals GetPortfolio's, to the kopeck, and nothing else is held.
 */
async function assertEqualsBroker(t: MarketTestApp, s: Session, portfolioId: string, accountId: string) {
  const broker = await t.provider.getPortfolio(FAKE_DEMO_TOKEN, accountId);
  const lines = await linesOf(t, s, portfolioId);
  const securities = broker.positions.filter((p) => p.kind !== 'currency');
  for (const p of securities) {
    const line = lines.find((l) => l.instrumentUid === p.instrumentUid && l.kind !== 'cash');
    assert.equal(line?.quantity, p.quantity, `${p.ticker}: broker ${p.quantity}`);
  }
  const held = lines.filter((l) => l.kind !== 'cash' && l.kind !== 'currency' && !l.closed);
  assert.deepEqual(
    held.map((l) => l.ticker).sort(),
    securities.map((p) => p.ticker).sort(),
    'no other security is held',
  );
  const currencies = broker.positions.filter((p) => p.kind === 'currency');
  assert.ok(currencies.length >= 2, 'RUB and USD cash');
  for (const p of currencies) {
    const iso = p.ticker === 'RUB000UTSTOM' ? 'RUB' : p.ticker.slice(0, 3);
    const line = lines.find((l) => l.kind === 'cash' && l.ticker === iso);
    assert.equal(dec(line?.quantity ?? '0').toFixed(2), dec(p.quantity).toFixed(2), `cash ${iso}`);
  }
}

async function operationsOf(t: MarketTestApp, s: Session, portfolioId: string) {
  const res = await t.app.inject({
    url: `/api/portfolios/${portfolioId}/operations?limit=500`,
    headers: s.auth,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{
    total: number;
    items: {
      type: string;
      commission: string;
      accruedInterest: string;
      ticker: string | null;
      date: string;
      quantity: string;
      amount: string;
      currency: string;
      fxRate: string | null;
      externalId: string;
    }[];
  }>();
}

void describe('investments: T-Invest token and sync', () => {
  let t: MarketTestApp;
  before(async () => {
    t = await buildMarketApp();
    await refreshCatalogue(t, await register(t.app));
  });
  after(() => t.close());

  void it('stores a token only after T-Invest accepts it, and never returns it', async () => {
    const s = await register(t.app);
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/users/me/tinvest-token',
      headers: s.auth,
      payload: { token: 't.not-a-real-token' },
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.details.fields[0].field, 'token');
    assert.equal(
      (await t.app.inject({ url: '/api/users/me', headers: s.auth })).json().hasTinvestToken,
      false,
    );

    const noToken = await t.app.inject({ url: '/api/tinvest/accounts', headers: s.auth });
    assert.equal(noToken.statusCode, 409);
    assert.equal(noToken.json().error.code, 'TINVEST_TOKEN_MISSING');

    const ok = await t.app.inject({
      method: 'PUT',
      url: '/api/users/me/tinvest-token',
      headers: s.auth,
      payload: { token: FAKE_DEMO_TOKEN },
    });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().hasTinvestToken, true);
    assert.deepEqual(
      (ok.json().accounts as { id: string }[]).map((a) => a.id).sort(),
      [FAKE_BROKER_ACCOUNT_ID, FAKE_IIS_ACCOUNT_ID].sort(),
    );
    const me = await t.app.inject({ url: '/api/users/me', headers: s.auth });
    assert.equal(me.json().hasTinvestToken, true);
    assert.ok(!me.body.includes(FAKE_DEMO_TOKEN) && !ok.body.includes(FAKE_DEMO_TOKEN));
    const stored = await t.database.db.execute(
      sql`select tinvest_token_enc from users where id = ${s.user.id}`,
    );
    assert.ok(!JSON.stringify(stored).includes(FAKE_DEMO_TOKEN), 'stored encrypted');

    const removed = await t.app.inject({
      method: 'DELETE',
      url: '/api/users/me/tinvest-token',
      headers: s.auth,
    });
    assert.equal(removed.statusCode, 204);
    assert.equal(
      (await t.app.inject({ url: '/api/users/me', headers: s.auth })).json().hasTinvestToken,
      false,
    );
  });

  void it('a difference with the broker is shown with its cause; the next sync clears it', async () => {
    // First in this file: no sync has put the future and the option into the catalogue yet.
    const s = await connect(t);
    // The provider cannot describe the future and the option this time: their operations wait.
    t.fake.failNext('GetInstrumentBy', { status: 404, code: '50002' }, 2);
    const first = await syncOk(t, s, FAKE_BROKER_ACCOUNT_ID);
    assert.equal(first.reconciliation?.equal, false);
    const rub = first.reconciliation?.differences.find((d) => d.kind === 'cash' && d.ticker === 'RUB');
    assert.ok(rub, JSON.stringify(first.reconciliation));
    assert.equal(rub.cause, 'UNKNOWN_INSTRUMENT');
    assert.deepEqual([...rub.details].sort(), ['SR300CC5', 'SiZ4']);
    assert.equal(dec(rub.broker).minus(rub.ours).toFixed(2), '468.69', 'margin, premium and fees');
    const second = await syncOk(t, s, FAKE_BROKER_ACCOUNT_ID);
    assert.equal(second.reconciliation?.equal, true);
    assert.equal(second.alreadyImported, first.imported);
  });

  void it('a history holding every untidy case syncs to the broker’s positions and cash, to the kopeck', async () => {
    const s = await connect(t);
    for (const accountId of [FAKE_BROKER_ACCOUNT_ID, FAKE_IIS_ACCOUNT_ID]) {
      const result = await syncOk(t, s, accountId);
      assert.equal(result.fetched, t.fake.operationsOf(accountId).length);
      assert.equal(result.alreadyImported, 0);
      assert.deepEqual(result.reconciliation?.differences, [], accountId);
      assert.equal(result.reconciliation?.equal, true);
      assert.ok((result.reconciliation?.checked ?? 0) >= 8, 'positions and cash were compared');
      await assertEqualsBroker(t, s, result.portfolio.id, accountId);
    }
    const broker = (await syncOk(t, s, FAKE_BROKER_ACCOUNT_ID)).portfolio.id;
    const iis = (await syncOk(t, s, FAKE_IIS_ACCOUNT_ID)).portfolio.id;
    const ops = (await operationsOf(t, s, broker)).items;
    const lines = await linesOf(t, s, broker);

    // A partly filled order counts what was executed: 4 of the 10 YDEX ordered.
    const partial = ops.find((o) => o.ticker === 'YDEX' && o.type === 'buy' && o.date === '2025-05-20');
    assert.equal(partial?.quantity, '4');
    assert.equal(partial?.amount, '16000.00');
    // Securities moved in: from outside (LKOH), from the IIS (SBER), from another account (TCSG);
    // moved out: TMOS.
    const quantity = (ticker: string) =>
      lines.find((l) => l.ticker === ticker && l.kind !== 'cash')?.quantity;
    assert.equal(quantity('LKOH'), '13');
    assert.equal(quantity('SBER'), '250');
    assert.equal(quantity('TCSG'), '5');
    assert.equal(quantity('TMOS'), '15000');
    // The future and the option expired: closed, with what they cost as a loss.
    for (const ticker of ['SiZ4', 'SR300CC5']) {
      const line = lines.find((l) => l.ticker === ticker);
      assert.ok(line?.closed, ticker);
    }
    // The IIS sent SBER away and redeemed a bond in full without saying how many.
    const iisLines = await linesOf(t, s, iis);
    assert.equal(iisLines.find((l) => l.ticker === 'SBER')?.quantity, '50');
    const redeemed = iisLines.find((l) => l.ticker === 'SU26222RMFS8');
    assert.equal(redeemed?.quantity, '0');
    assert.ok(redeemed?.closed, 'a full redemption closes the position');
    // The redemption realises what came back less everything the bonds cost (НКД and commission
    // included), instead of leaving them held at zero cost.
    const iisOps = (await operationsOf(t, s, iis)).items.filter((o) => o.ticker === 'SU26222RMFS8');
    const buy = iisOps.find((o) => o.type === 'buy');
    const redemption = iisOps.find((o) => o.type === 'bond_redemption');
    assert.equal(redemption?.quantity, '100');
    assert.equal(redemption?.amount, '100000.00');
    const cost = dec(buy?.amount ?? '0')
      .plus(buy?.commission ?? '0')
      .plus(buy?.accruedInterest ?? '0');
    assert.equal(redeemed?.realizedPnl, dec('100000').minus(cost).toFixed(2));
  });

  void it('syncing again after the broker renumbers every operation adds nothing', async () => {
    const s = await connect(t);
    const first = await syncOk(t, s, FAKE_BROKER_ACCOUNT_ID);
    const stored = await operationsOf(t, s, first.portfolio.id);
    assert.equal(stored.total, first.imported);
    for (let round = 0; round < 2; round++) {
      t.fake.renumber();
      const again = await syncOk(t, s, FAKE_BROKER_ACCOUNT_ID);
      assert.equal(again.imported, 0, `round ${round}`);
      assert.equal(again.alreadyImported, first.imported);
      assert.equal(again.reconciliation?.equal, true);
      assert.equal((await operationsOf(t, s, first.portfolio.id)).total, first.imported);
    }
    await assertEqualsBroker(t, s, first.portfolio.id, FAKE_BROKER_ACCOUNT_ID);
    // The stored broker ids follow the broker's current ones.
    const ids = new Set(t.fake.operationsOf(FAKE_BROKER_ACCOUNT_ID).map((o) => o.id));
    const externalIds = (await operationsOf(t, s, first.portfolio.id)).items.map((o) => o.externalId);
    assert.ok(externalIds.every((id) => ids.has(id)));
  });

  void it('operations imported before sync keys existed are recognised by the broker id once, and corrected', async () => {
    const s = await connect(t);
    const first = await syncOk(t, s, FAKE_BROKER_ACCOUNT_ID);
    // As the earlier sync left them: no key, and a partly filled order stored with what was ordered.
    await t.database.db.execute(
      sql`update operations set sync_key = null where portfolio_id = ${first.portfolio.id}`,
    );
    await t.database.db.execute(
      sql`update operations set quantity = 10 where portfolio_id = ${first.portfolio.id}
        and type = 'buy' and quantity = 4`,
    );
    const upgraded = await syncOk(t, s, FAKE_BROKER_ACCOUNT_ID);
    assert.equal(upgraded.imported, 0);
    assert.equal(upgraded.alreadyImported, first.imported);
    assert.equal(upgraded.reconciliation?.equal, true, JSON.stringify(upgraded.reconciliation));
    t.fake.renumber();
    const later = await syncOk(t, s, FAKE_BROKER_ACCOUNT_ID);
    assert.equal(later.imported, 0, 'the keys are stored now');
    assert.equal((await operationsOf(t, s, first.portfolio.id)).total, first.imported);
  });

  void it('a sync cut off half-way through the pages stores nothing; the next one resumes without a duplicate', async () => {
    const s = await connect(t);
    t.fake.setMaxPageSize(10);
    try {
      t.fake.failNext('GetOperationsByCursor', 'drop', 1, 2);
      const cut = await sync(t, s, FAKE_IIS_ACCOUNT_ID);
      assert.equal(cut.statusCode, 503, cut.body);
      assert.equal(cut.json().error.code, 'MARKET_DATA_UNAVAILABLE');
      assert.equal(t.fake.callsTo('GetOperationsByCursor').length >= 3, true);
      t.fake.renumber();
      const resumed = await syncOk(t, s, FAKE_IIS_ACCOUNT_ID);
      assert.equal(resumed.alreadyImported, 0);
      assert.equal((await operationsOf(t, s, resumed.portfolio.id)).total, resumed.imported);
      assert.equal(resumed.reconciliation?.equal, true);
      await assertEqualsBroker(t, s, resumed.portfolio.id, FAKE_IIS_ACCOUNT_ID);
    } finally {
      t.fake.setMaxPageSize(Number.POSITIVE_INFINITY);
    }
  });

  void it('a foreign operation on a Sunday takes Friday’s exchange close, never a dealer’s weekend candle', async () => {
    const s = await connect(t);
    const result = await syncOk(t, s, FAKE_BROKER_ACCOUNT_ID);
    const sunday = (await operationsOf(t, s, result.portfolio.id)).items.find(
      (o) => o.currency === 'USD' && o.date === '2025-03-09',
    );
    assert.ok(sunday, 'the Sunday overnight income in USD');
    const candles = await t.provider.getCandles(
      t.fake.uidOf('USD000UTSTOM'),
      new Date('2025-03-01T00:00:00Z'),
      new Date('2025-03-10T00:00:00Z'),
      'day',
    );
    assert.ok(
      candles.every((c) => c.time.getUTCDay() !== 0 && c.time.getUTCDay() !== 6),
      'no weekend candle',
    );
    const friday = candles.find((c) => c.time.toISOString().startsWith('2025-03-07'));
    assert.equal(sunday.fxRate, dec(friday?.close ?? '0').toFixed());
  });

  void it('lists accounts with their synced portfolio; a token without rights to an account is told so', async () => {
    const s = await register(t.app);
    await t.app.inject({
      method: 'PUT',
      url: '/api/users/me/tinvest-token',
      headers: s.auth,
      payload: { token: FAKE_LIMITED_TOKEN },
    });
    const accounts = await t.app.inject({ url: '/api/tinvest/accounts', headers: s.auth });
    assert.equal(accounts.statusCode, 200);
    assert.deepEqual(
      (accounts.json().accounts as { id: string; portfolioId: null }[]).map((a) => [a.id, a.portfolioId]),
      [[FAKE_BROKER_ACCOUNT_ID, null]],
    );
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/portfolios/sync',
      headers: s.auth,
      payload: { accountId: FAKE_IIS_ACCOUNT_ID },
    });
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().error.code, 'BROKER_ACCOUNT_NOT_FOUND');
  });

  void it('a token T-Invest revoked later: sync answers 409 TINVEST_TOKEN_INVALID, the app stays up', async () => {
    const s = await register(t.app);
    await t.app.inject({
      method: 'PUT',
      url: '/api/users/me/tinvest-token',
      headers: s.auth,
      payload: { token: FAKE_DEMO_TOKEN },
    });
    t.fake.failNext('GetAccounts', { status: 401, code: '40003' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/portfolios/sync',
      headers: s.auth,
      payload: { accountId: FAKE_BROKER_ACCOUNT_ID },
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'TINVEST_TOKEN_INVALID');
    t.fake.failNext('GetOperationsByCursor', { status: 503 });
    const down = await t.app.inject({
      method: 'POST',
      url: '/api/portfolios/sync',
      headers: s.auth,
      payload: { accountId: FAKE_BROKER_ACCOUNT_ID },
    });
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().error.code, 'MARKET_DATA_UNAVAILABLE');
    assert.equal((await t.app.inject({ url: '/api/health/ping' })).statusCode, 200);
  });
});
