import { dec } from '../../src/common/decimal.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toFixed } from '../../src/common/money.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { addTransaction, categoryId, newClient, openAccount } from '../support/budget.js';
import { startFakeCbr, type FakeCbr } from '../fakes/cbr-server.js';

// Sunday 8 March 2026, 12:00 in Moscow; the clock moves in the staleness test.
let clock = new Date('2026-03-08T09:00:00Z');
interface Line {
  currency: string;
  amount: string;
  rate: { rate: string; day: string; source: string; stale: boolean } | null;
  converted: string | null;
}
/** The net-worth line of a currency's accounts. */
const lineOf = (body: { accounts: { byCurrency: Line[] } }, currency: string): Line => {
  const line = body.accounts.byCurrency.find((l) => l.currency === currency);
  assert.ok(line, `no ${currency} line`);
  return line;
};
const sumOf = (rows: { amount?: string; expense?: string }[]) =>
  toFixed(rows.reduce((s, x) => s.plus(x.amount ?? x.expense ?? '0'), dec(0)));
const ofMonth = (rows: { month: string; expense: string }[], month: string) =>
  rows.find((m) => m.month === month)?.expense;

/** Roubles for one unit as the fake publishes it: Value / Nominal. */
const perUnit = (fake: FakeCbr, currency: string, day: string, nominal = 1) =>
  dec(fake.valueOn(currency, day)!).div(nominal);

describe('exchange rates from the Bank of Russia (fake server)', () => {
  let t: TestApp;
  let fake: FakeCbr;
  before(async () => {
    fake = await startFakeCbr();
    t = await buildTestApp({ env: { CBR_URL: fake.url, CBR_WAIT_MS: '3000' }, deps: { now: () => clock } });
  });
  after(async () => {
    await t.close();
    await fake.close();
  });

  it('a USD account with no token: net worth in roubles at the rate set for Saturday, with its day and source', async () => {
    const u = await newClient(t.app);
    await openAccount(u, { name: 'Доллары', currency: 'USD', openingBalance: '1234.56' });
    await openAccount(u, { name: 'Драмы', currency: 'AMD', openingBalance: '100000.00' });
    const res = await u.get('/api/networth');
    assert.equal(res.status, 200);
    const usdRate = perUnit(fake, 'USD', '2026-03-07');
    const usd = lineOf(res.body, 'USD');
    assert.deepEqual(usd, {
      currency: 'USD',
      amount: '1234.56',
      rate: { rate: usdRate.toFixed(), day: '2026-03-07', source: 'official', stale: false },
      converted: toFixed(usdRate.times('1234.56')),
    });
    // Quoted per 100: 100 000 drams = 1 000 × the published Value.
    const amd = lineOf(res.body, 'AMD');
    assert.equal(amd.converted, toFixed(dec(fake.valueOn('AMD', '2026-03-07')!).times(1000)));
    assert.equal(amd.rate?.rate, perUnit(fake, 'AMD', '2026-03-07', 100).toFixed());
    assert.equal(res.body.assets, toFixed(dec(usd.converted ?? NaN).plus(amd.converted)));
    assert.equal(res.body.netWorth, res.body.assets);
    assert.deepEqual(res.body.missingRates, []);
  });

  it('rates by day: a Sunday uses the rate published for it (Saturday’s), Tuesday its own', async () => {
    const u = await newClient(t.app);
    const sunday = await u.get('/api/fx/rates?currencies=USD,JPY&day=2026-03-08');
    assert.equal(sunday.status, 200);
    assert.deepEqual(sunday.body.rates[0], {
      currency: 'USD',
      rate: {
        rate: perUnit(fake, 'USD', '2026-03-07').toFixed(),
        day: '2026-03-07',
        source: 'official',
        stale: false,
      },
    });
    assert.equal(sunday.body.rates[1].rate.rate, perUnit(fake, 'JPY', '2026-03-07', 100).toFixed());
    const tuesday = await u.get('/api/fx/rates?currencies=USD&day=2026-03-03');
    assert.equal(tuesday.body.rates[0].rate.day, '2026-03-03');
    assert.equal(tuesday.body.rates[0].rate.rate, perUnit(fake, 'USD', '2026-03-03').toFixed());
    const unknown = await u.get('/api/fx/rates?currencies=XAU&day=2026-03-03');
    assert.deepEqual(unknown.body.rates, [{ currency: 'XAU', rate: null }]);
    assert.equal((await u.get('/api/fx/rates?currencies=usd')).status, 422);
  });

  it('a rate entered by hand wins for its day; CRUD; another user’s rate is 404', async () => {
    const u = await newClient(t.app);
    const other = await newClient(t.app);
    const created = await u.post('/api/fx/manual-rates', {
      currency: 'USD',
      day: '2026-03-08',
      rate: '95.5',
    });
    assert.equal(created.status, 201);
    assert.deepEqual((await u.get('/api/fx/rates?currencies=USD&day=2026-03-08')).body.rates[0].rate, {
      rate: '95.5',
      day: '2026-03-08',
      source: 'manual',
      stale: false,
    });
    // The day after is official again.
    assert.equal(
      (await u.get('/api/fx/rates?currencies=USD&day=2026-03-09')).body.rates[0].rate.source,
      'official',
    );
    // Another user's figures are untouched.
    assert.equal(
      (await other.get('/api/fx/rates?currencies=USD&day=2026-03-08')).body.rates[0].rate.source,
      'official',
    );
    const id = created.body.id as string;
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/fx/manual-rates/${id}`,
      headers: u.session.auth,
      payload: { currency: 'USD', day: '2026-03-08', rate: '96' },
    });
    assert.equal(put.statusCode, 200);
    assert.equal(put.json().rate, '96');
    const foreign = await t.app.inject({
      method: 'PUT',
      url: `/api/fx/manual-rates/${id}`,
      headers: other.session.auth,
      payload: { currency: 'USD', day: '2026-03-08', rate: '1' },
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal((await other.del(`/api/fx/manual-rates/${id}`)).status, 404);
    const bad = await u.post('/api/fx/manual-rates', { currency: 'USD', day: '2026-03-08', rate: '0' });
    assert.equal(bad.status, 422);
    assert.equal(
      (await u.post('/api/fx/manual-rates', { currency: 'USD', day: '2026-03-08', rate: '1e3' })).status,
      422,
    );
    assert.deepEqual(
      ((await u.get('/api/fx/manual-rates')).body as { rate: string }[]).map((r) => r.rate),
      ['96'],
    );
    assert.equal((await u.del(`/api/fx/manual-rates/${id}`)).status, 204);
    assert.deepEqual((await u.get('/api/fx/manual-rates')).body, []);
  });

  it('a month of RUB, USD and CNY expenses: one base total, identical in the summary, the charts and the year report', async () => {
    const u = await newClient(t.app);
    const rub = await openAccount(u, { name: 'Карта' });
    const usd = await openAccount(u, { name: 'USD', currency: 'USD' });
    const cny = await openAccount(u, { name: 'CNY', currency: 'CNY' });
    const food = await categoryId(u, 'Продукты');
    const spend: [string, string, string][] = [
      [rub, '2026-02-02', '1500.55'],
      [usd, '2026-02-03', '12.34'],
      [usd, '2026-02-08', '0.99'], // a Sunday: Saturday's rate
      [usd, '2026-02-17', '100.01'],
      [cny, '2026-02-09', '45.67'], // a Monday: Saturday's rate
      [cny, '2026-02-20', '1234.56'],
    ];
    for (const [accountId, date, amount] of spend)
      await addTransaction(u, { type: 'expense', date, accountId, amount, categoryId: food });
    // Limits count expenses in every currency.
    await u.patch(`/api/budget/categories/${food}`, { monthlyLimit: '5000.00' });

    const setFor = (day: string) => {
      let d = new Date(`${day}T00:00:00Z`);
      while (d.getUTCDay() === 0 || d.getUTCDay() === 1) d = new Date(d.getTime() - 86_400_000);
      return d.toISOString().slice(0, 10);
    };
    let expected = dec('1500.55');
    for (const [accountId, date, amount] of spend.slice(1)) {
      const currency = accountId === usd ? 'USD' : 'CNY';
      expected = expected.plus(toFixed(dec(amount).times(perUnit(fake, currency, setFor(date)))));
    }
    const total = toFixed(expected);

    const month = (await u.get('/api/budget/summary/month?month=2026-02')).body;
    assert.equal(month.base.expense, total);
    assert.deepEqual(month.missingRates, []);
    assert.deepEqual(
      (month.base.conversions as { currency: string; transactions: number; rate: { source: string } }[]).map(
        (c) => [c.currency, c.transactions, c.rate.source],
      ),
      [
        ['CNY', 2, 'official'],
        ['USD', 3, 'official'],
      ],
    );
    assert.equal(month.limits[0].spent, total);

    const charts = (await u.get('/api/budget/summary/charts?month=2026-02')).body;
    assert.equal(sumOf(charts.base.byCategory.expense), total);
    assert.equal(sumOf(charts.base.byDay), total);
    assert.equal(ofMonth(charts.base.months, '2026-02'), total);
    // The per-currency series stay as they were.
    assert.equal(charts.byGroup.expense[0].amount, '1500.55');

    const year = (await u.get('/api/budget/summary/year?year=2026')).body;
    assert.equal(year.base.expense, total);
    assert.equal(ofMonth(year.base.months, '2026-02'), total);
    assert.equal(year.base.expenseByGroup[0].amount, total);
  });

  it('the fake answering 500 or garbage: the last known rates, marked stale; no answer is a 5xx', async () => {
    const u = await newClient(t.app);
    await openAccount(u, { name: 'Евро', currency: 'EUR', openingBalance: '10.00' });
    const first = await u.get('/api/networth');
    const known = lineOf(first.body, 'EUR').rate!;
    assert.equal(known.stale, false);
    try {
      for (const [fault, day] of [
        ['500', '2026-03-12T09:00:00Z'],
        ['garbage', '2026-03-13T09:00:00Z'],
        ['timeout', '2026-03-14T09:00:00Z'],
      ] as const) {
        fake.fault = fault;
        clock = new Date(day);
        const started = Date.now();
        const res = await u.get('/api/networth');
        assert.equal(res.status, 200, fault);
        assert.ok(Date.now() - started < 6_000, `${fault}: the page waited ${Date.now() - started} ms`);
        const eur = lineOf(res.body, 'EUR');
        assert.equal(eur.rate?.rate, known.rate, fault);
        assert.equal(eur.rate?.day, known.day, fault);
        assert.equal(eur.rate?.stale, true, fault);
        assert.equal(eur.converted, toFixed(dec('10').times(known.rate)));
        for (const url of [
          '/api/budget/summary/month',
          '/api/budget/summary/charts',
          '/api/budget/summary/year',
          '/api/portfolio',
        ])
          assert.ok((await u.get(url)).status < 500, `${fault} ${url}`);
      }
    } finally {
      fake.fault = null;
      clock = new Date('2026-03-08T09:00:00Z');
    }
  });
});
