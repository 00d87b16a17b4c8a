import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { Big } from '../../src/common/money.js';
import {
  FAKE_BROKER_ACCOUNT_ID,
  FAKE_DEMO_TOKEN,
  FAKE_IIS_ACCOUNT_ID,
  FAKE_LIMITED_TOKEN,
} from '../fakes/tinvest-server.js';
import { register } from '../support/app.js';
import { buildMarketApp, overview, refreshCatalogue, type MarketTestApp } from '../support/investments.js';

/** Broker operations that are accounting events: executed, of a tracked type, trade fees counted in the trade. */
function expectedImports(t: MarketTestApp, accountId: string): number {
  const tracked =
    /^OPERATION_TYPE_(INPUT|OUTPUT|BUY|SELL|DIVIDEND|COUPON|BOND_REPAYMENT_FULL|SERVICE_FEE|BROKER_FEE|DIVIDEND_TAX|BOND_TAX)$/;
  return t.fake
    .operationsOf(accountId)
    .filter(
      (op) =>
        op.state === 'OPERATION_STATE_EXECUTED' &&
        tracked.test(op.type ?? '') &&
        !(op.type === 'OPERATION_TYPE_BROKER_FEE' && op.parentOperationId !== ''),
    ).length;
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

  void it('imports a broker account once: a second sync adds nothing, positions match the broker', async () => {
    const s = await register(t.app);
    await t.app.inject({
      method: 'PUT',
      url: '/api/users/me/tinvest-token',
      headers: s.auth,
      payload: { token: FAKE_DEMO_TOKEN },
    });
    const expected = expectedImports(t, FAKE_BROKER_ACCOUNT_ID);
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/portfolios/sync',
      headers: s.auth,
      payload: { accountId: FAKE_BROKER_ACCOUNT_ID },
    });
    assert.equal(first.statusCode, 200, first.body);
    const result = first.json();
    assert.equal(result.imported, expected);
    assert.equal(result.alreadyImported, 0);
    assert.equal(result.fetched, t.fake.operationsOf(FAKE_BROKER_ACCOUNT_ID).length);
    assert.deepEqual(result.mismatches, [], 'the imported history gives the broker’s positions');
    assert.equal(result.portfolio.kind, 'tinvest');
    assert.equal(result.portfolio.accountId, FAKE_BROKER_ACCOUNT_ID);
    assert.equal(result.portfolio.cashTracking, true);

    const second = await t.app.inject({
      method: 'POST',
      url: '/api/portfolios/sync',
      headers: s.auth,
      payload: { accountId: FAKE_BROKER_ACCOUNT_ID },
    });
    assert.equal(second.statusCode, 200);
    assert.equal(second.json().imported, 0);
    assert.equal(second.json().alreadyImported, expected);
    assert.equal(second.json().portfolio.id, result.portfolio.id);

    const ops = await t.app.inject({
      url: `/api/portfolios/${result.portfolio.id}/operations?limit=500`,
      headers: s.auth,
    });
    assert.equal(ops.json().total, expected, 'each operation stored once');
    const externalIds = (ops.json().items as { externalId: string }[]).map((o) => o.externalId);
    assert.equal(new Set(externalIds).size, externalIds.length);

    // The synced portfolio is valued with cash: RUB and USD balances equal the broker's.
    const positions = await t.provider.getPositions(FAKE_DEMO_TOKEN, FAKE_BROKER_ACCOUNT_ID);
    const body = (await overview(t, s)).json();
    type Valued = {
      id: string;
      positions: { kind: string; ticker: string; quantity: string; closed: boolean }[];
    };
    const synced = (body.portfolios as Valued[]).find((p) => p.id === result.portfolio.id)!;
    for (const money of positions.money) {
      const line = synced.positions.find(
        (p) => p.kind === 'cash' && p.ticker === money.currency.toUpperCase(),
      );
      assert.ok(line, `cash line ${money.currency}`);
      assert.equal(new Big(line.quantity).toFixed(2), new Big(money.amount).toFixed(2), money.currency);
    }
    for (const security of positions.securities) {
      const line = synced.positions.find((p) => p.ticker === security.ticker);
      assert.equal(line?.quantity, security.balance, security.ticker);
    }
    // GAZP was partly sold: the sale shows a realised result.
    const gazp = synced.positions.find((p) => p.ticker === 'GAZP') as unknown as { realizedPnl: string };
    assert.ok(new Big(gazp.realizedPnl).lt(0), 'bought at 163.50, sold at 131.10');
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
