import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays } from '../../src/common/dates.js';
import { dec } from '../../src/common/decimal.js';
import { toFixed } from '../../src/common/money.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { addTransaction, newClient, openAccount, type Client } from '../support/budget.js';
import { consumerCredit, CREDITS } from '../support/credits.js';
import { isRateDay, startFakeCbr, type FakeCbr } from '../fakes/cbr-server.js';

// Sunday 8 March 2026, 12:00 in Moscow.
const clock = new Date('2026-03-08T09:00:00Z');
const TODAY = '2026-03-08';

interface Point {
  day: string;
  assets: string | null;
  liabilities: string | null;
  netWorth: string | null;
}

describe('net worth from the past (fake Bank of Russia)', () => {
  let t: TestApp;
  let fake: FakeCbr;
  before(async () => {
    fake = await startFakeCbr();
    t = await buildTestApp({ env: { CBR_URL: fake.url, CBR_WAIT_MS: '5000' }, deps: { now: () => clock } });
  });
  after(async () => {
    await t.close();
    await fake.close();
  });

  const history = async (c: Client, range = 'ALL') => {
    const res = await c.get(`/api/networth/history?range=${range}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { from: string; to: string; step: string; points: Point[]; missingRates: string[] };
  };
  /** Roubles per dollar in force on a day: the one set for the latest rate day on or before it. */
  const usdOn = (day: string) => {
    let d = day;
    while (!isRateDay(d)) d = addDays(d, -1);
    return dec(fake.valueOn('USD', d)!);
  };

  /** A household with old data: roubles, dollars, a transfer, a credit with one payment, a portfolio. */
  async function household() {
    const c = await newClient(t.app);
    const card = await openAccount(c, { name: 'Карта', openingBalance: '100000.50' });
    const usd = await openAccount(c, { name: 'Доллары', currency: 'USD', openingBalance: '12.34' });
    await addTransaction(c, { type: 'income', date: '2026-01-05', accountId: card, amount: '50000.00' });
    const lunch = await addTransaction(c, {
      type: 'expense',
      date: '2026-01-20',
      accountId: card,
      amount: '1234.56',
    });
    await addTransaction(c, {
      type: 'transfer',
      date: '2026-02-01',
      accountId: card,
      toAccountId: usd,
      amount: '9000.00',
      amountReceived: '100.00',
    });
    const credit = await c.post(CREDITS, consumerCredit({ issueDate: '2026-01-15' }));
    assert.equal(credit.status, 201, JSON.stringify(credit.body));
    const paid = await c.post(`${CREDITS}/${credit.body.id}/payments`, { number: 1, date: '2026-02-16' });
    assert.ok(paid.status < 300, JSON.stringify(paid.body));
    const firstPrincipal = (paid.body.progress as { paidPrincipal: string }).paidPrincipal;
    const portfolio = (await c.get('/api/portfolios')).body[0].id as string;
    const asset = await c.post('/api/manual-assets', {
      ticker: 'FLAT',
      name: 'Квартира',
      kind: 'other',
      currency: 'RUB',
    });
    assert.equal(asset.status, 201, JSON.stringify(asset.body));
    const bought = await c.post(`/api/portfolios/${portfolio}/assets`, {
      manualAssetId: asset.body.id,
      quantity: '1',
      price: '8500000',
      date: '2026-01-10',
    });
    assert.ok(bought.status < 300, JSON.stringify(bought.body));
    const priced = await c.post(`/api/manual-assets/${asset.body.id}/prices`, {
      date: '2026-01-12',
      price: '9100000.5',
    });
    assert.equal(priced.status, 201, JSON.stringify(priced.body));
    return { c, lunch: lunch.id, firstPrincipal };
  }

  /** The same figures recomputed plainly, day by day, from what the household entered. */
  function expected(firstPrincipal: string, lunch = '1234.56'): Point[] {
    const out: Point[] = [];
    for (let day = '2026-01-05'; day <= TODAY; day = addDays(day, 1)) {
      let rub = dec('100000.50').plus('50000.00');
      if (day >= '2026-01-20') rub = rub.minus(lunch);
      let usd = dec('12.34');
      if (day >= '2026-02-01') {
        rub = rub.minus('9000.00');
        usd = usd.plus('100.00');
      }
      const portfolio = day < '2026-01-10' ? '0' : day < '2026-01-12' ? '8500000' : '9100000.50';
      const assets = rub.plus(toFixed(usd.times(usdOn(day)))).plus(portfolio);
      let debt = dec(day >= '2026-01-15' ? '300000.00' : '0');
      if (day >= '2026-02-16') debt = debt.minus(firstPrincipal);
      out.push({
        day,
        assets: toFixed(assets),
        liabilities: toFixed(debt),
        netWorth: toFixed(assets.minus(debt)),
      });
    }
    return out;
  }

  it('is every day from the first transaction: balances, dollars at each day’s rate, debt after payments, the portfolio, to the kopeck', async () => {
    const { c, firstPrincipal } = await household();
    const all = await history(c);
    assert.equal(all.from, '2026-01-05');
    assert.equal(all.to, TODAY);
    assert.equal(all.step, 'day');
    assert.deepEqual(all.missingRates, []);
    assert.deepEqual(all.points, expected(firstPrincipal));
    // Today's point is the overview's figure.
    const overview = await c.get('/api/networth');
    assert.equal(all.points.at(-1)!.netWorth, overview.body.netWorth);
    // A month back: 30 days ending today; the second read comes from the stored days, the same.
    const month = await history(c, '1M');
    assert.equal(month.from, addDays(TODAY, -29));
    assert.deepEqual(month.points, expected(firstPrincipal).slice(-30));
    assert.deepEqual((await history(c)).points, all.points);
  });

  it('an edit of an old transaction changes the series from its day on, and only from there', async () => {
    const { c, lunch, firstPrincipal } = await household();
    const before = (await history(c)).points;
    const edited = await c.patch(`/api/budget/transactions/${lunch}`, { amount: '2000.00' });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    const after = (await history(c)).points;
    assert.deepEqual(after, expected(firstPrincipal, '2000.00'));
    const changed = after.filter((p, i) => p.netWorth !== before[i]!.netWorth).map((p) => p.day);
    assert.equal(changed[0], '2026-01-20');
    assert.equal(changed.length, after.filter((p) => p.day >= '2026-01-20').length);
    // Moving it a week earlier: the days between change back too.
    assert.equal((await c.patch(`/api/budget/transactions/${lunch}`, { date: '2026-01-13' })).status, 200);
    const moved = (await history(c)).points;
    assert.equal(
      moved.find((p) => p.day === '2026-01-13')!.netWorth,
      toFixed(dec(before.find((p) => p.day === '2026-01-13')!.netWorth!).minus('2000.00')),
    );
    // Unmarking the credit payment: the debt stays whole.
    const credits = (await c.get(CREDITS)).body as { id: string; payments: { id: string }[] }[];
    const unmarked = await c.del(`${CREDITS}/${credits[0]!.id}/payments/${credits[0]!.payments[0]!.id}`);
    assert.ok(unmarked.status < 300, JSON.stringify(unmarked.body));
    assert.equal((await history(c)).points.at(-1)!.liabilities, '300000.00');
  });

  it('a day without a rate has no figures and names the currency; the other days keep theirs', async () => {
    const c = await newClient(t.app);
    const card = await openAccount(c, { name: 'Карта', openingBalance: '1000.00' });
    await addTransaction(c, { type: 'income', date: '2026-03-01', accountId: card, amount: '10.00' });
    const tenge = await openAccount(c, { name: 'Тенге', currency: 'KZT', openingBalance: '0' });
    await addTransaction(c, { type: 'income', date: '2026-03-05', accountId: tenge, amount: '5000.00' });
    const res = await history(c);
    assert.deepEqual(res.missingRates, ['KZT']);
    const nulls = { assets: null, liabilities: '0.00', netWorth: null };
    assert.deepEqual(res.points, [
      ...['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'].map((day) => ({
        day,
        assets: '1010.00',
        liabilities: '0.00',
        netWorth: '1010.00',
      })),
      ...['2026-03-05', '2026-03-06', '2026-03-07', TODAY].map((day) => ({ day, ...nulls })),
    ]);
    // A rate entered by hand for one day gives that day its figure.
    assert.equal(
      (await c.post('/api/fx/manual-rates', { currency: 'KZT', day: '2026-03-06', rate: '0.2' })).status,
      201,
    );
    const fixed = (await history(c)).points.find((p) => p.day === '2026-03-06');
    assert.deepEqual(fixed, {
      day: '2026-03-06',
      assets: '2010.00',
      liabilities: '0.00',
      netWorth: '2010.00',
    });
  });

  it('a range it does not know is a 422 naming the field; it needs a login', async () => {
    const c = await newClient(t.app);
    const res = await c.get('/api/networth/history?range=2Y');
    assert.equal(res.status, 422);
    assert.equal(res.body.error.details.fields[0].field, 'range');
    assert.equal((await t.app.inject({ url: '/api/networth/history' })).statusCode, 401);
  });
});
