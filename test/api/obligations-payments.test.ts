import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';
import { CREDITS as BLOCKS } from '../support/credits.js';

const OBLIGATIONS = '/api/budget/obligations';
// 01:30 on 1 April in Moscow (the default time zone), still 31 March in UTC.
const NOW = new Date('2025-03-31T22:30:00Z');

describe('mandatory payments and the obligations summary', () => {
  let t: TestApp;

  before(async () => {
    t = await buildTestApp({ deps: { now: () => NOW } });
  });
  after(() => t.close());

  const call = (s: Session, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers: s.auth, payload });

  async function add(
    s: Session,
    body: object,
  ): Promise<{ id: string; status: string; paidDate: string | null }> {
    const res = await call(s, 'POST', OBLIGATIONS, body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }

  it('status is planned / overdue / paid against the user’s own today', async () => {
    const s = await register(t.app);
    const rent = await add(s, { title: 'Аренда', dueDate: '2025-03-31', amount: '45000.00' });
    const fee = await add(s, { title: 'Связь', dueDate: '2025-04-01', amount: '650.00' });
    const tax = await add(s, { title: 'Налог', dueDate: '2025-03-01', amount: '1200.00', done: true });
    assert.equal(rent.status, 'overdue', 'in Moscow it is already 1 April');
    assert.equal(fee.status, 'planned');
    assert.equal(tax.status, 'paid');
    assert.equal(tax.paidDate, '2025-04-01', 'paid today by default');

    const tz = await call(s, 'PATCH', '/api/users/me', { timeZone: 'UTC' });
    assert.equal(tz.statusCode, 200);
    const again = await call(s, 'GET', `${OBLIGATIONS}/${rent.id}`);
    assert.equal(again.json().status, 'planned', 'in UTC it is still 31 March');
  });

  it('month view with totals per currency, to the kopeck, currencies never mixed', async () => {
    const s = await register(t.app);
    await add(s, { title: 'Вода', dueDate: '2025-04-10', amount: '0.10' });
    await add(s, { title: 'Газ', dueDate: '2025-04-03', amount: '0.20', done: true, paidDate: '2025-03-30' });
    await add(s, { title: 'ЖКХ', dueDate: '2025-04-30', amount: '5432.10' });
    await add(s, { title: 'Подписка', dueDate: '2025-04-15', amount: '9.99', currency: 'USD' });
    await add(s, { title: 'Март', dueDate: '2025-03-31', amount: '100.00' });
    await add(s, { title: 'Май', dueDate: '2025-05-01', amount: '100.00' });

    const res = await call(s, 'GET', OBLIGATIONS);
    assert.equal(res.statusCode, 200);
    const view = res.json<{
      month: string;
      today: string;
      items: { title: string; status: string }[];
      totals: unknown;
    }>();
    assert.equal(view.month, '2025-04', 'the current month of the user');
    assert.equal(view.today, '2025-04-01');
    assert.deepEqual(
      view.items.map((i) => [i.title, i.status]),
      [
        ['Газ', 'paid'],
        ['Вода', 'planned'],
        ['Подписка', 'planned'],
        ['ЖКХ', 'planned'],
      ],
    );
    assert.deepEqual(view.totals, [
      { currency: 'RUB', total: '5432.40', paid: '0.20', unpaid: '5432.20', overdue: '0.00', count: 3 },
      { currency: 'USD', total: '9.99', paid: '0.00', unpaid: '9.99', overdue: '0.00', count: 1 },
    ]);

    const march = (await call(s, 'GET', `${OBLIGATIONS}?month=2025-03`)).json();
    assert.deepEqual(march.totals, [
      { currency: 'RUB', total: '100.00', paid: '0.00', unpaid: '100.00', overdue: '100.00', count: 1 },
    ]);
  });

  it('PATCH marks paid and unpaid; DELETE removes', async () => {
    const s = await register(t.app);
    const o = await add(s, { title: 'Страховка', dueDate: '2025-04-20', amount: '18500.00' });

    const paid = await call(s, 'PATCH', `${OBLIGATIONS}/${o.id}`, { done: true });
    assert.equal(paid.statusCode, 200, paid.body);
    assert.deepEqual([paid.json().status, paid.json().paidDate], ['paid', '2025-04-01']);

    const dated = await call(s, 'PATCH', `${OBLIGATIONS}/${o.id}`, {
      paidDate: '2025-03-28',
      amount: '18400.50',
    });
    assert.deepEqual([dated.json().paidDate, dated.json().amount], ['2025-03-28', '18400.50']);

    const unpaid = await call(s, 'PATCH', `${OBLIGATIONS}/${o.id}`, { done: false });
    assert.deepEqual([unpaid.json().status, unpaid.json().paidDate], ['planned', null]);

    const orphanDate = await call(s, 'PATCH', `${OBLIGATIONS}/${o.id}`, { paidDate: '2025-03-28' });
    assert.equal(orphanDate.statusCode, 422);
    assert.equal(orphanDate.json().error.details.fields[0].field, 'paidDate');

    const del = await call(s, 'DELETE', `${OBLIGATIONS}/${o.id}`);
    assert.equal(del.statusCode, 204);
    const gone = await call(s, 'GET', `${OBLIGATIONS}/${o.id}`);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'OBLIGATION_NOT_FOUND');
  });

  const invalid: [string, object, string][] = [
    ['zero amount', { amount: '0.00' }, 'amount'],
    ['negative amount', { amount: '-5.00' }, 'amount'],
    ['three decimals', { amount: '1.005' }, 'amount'],
    ['a JSON number', { amount: 100 }, 'amount'],
    ['too large', { amount: '99999999999999999999.99' }, 'amount'],
    ['blank title', { title: '  ' }, 'title'],
    ['bad date', { dueDate: '2025-02-29' }, 'dueDate'],
    ['lower-case currency', { currency: 'rub' }, 'currency'],
    ['paid date on an unpaid one', { paidDate: '2025-04-01' }, 'paidDate'],
    ['mass assignment', { status: 'paid' }, 'status'],
  ];
  let refused: Session | undefined;
  for (const [name, change, field] of invalid) {
    it(`invalid obligation → 422 naming the field, nothing stored: ${name}`, async () => {
      const s = (refused ??= await register(t.app));
      const res = await call(s, 'POST', OBLIGATIONS, {
        title: 'Платёж',
        dueDate: '2025-04-05',
        amount: '10.00',
        ...change,
      });
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().error.details.fields[0].field, field);
      assert.deepEqual((await call(s, 'GET', `${OBLIGATIONS}?month=2025-04`)).json().items, []);
    });
  }

  it('a bad month answers 422 naming it', async () => {
    const s = await register(t.app);
    const res = await call(s, 'GET', `${OBLIGATIONS}?month=2025-13`);
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error.details.fields[0].field, 'month');
  });

  it('summary: debt per currency, paid, remaining, the next 30 days of credits and obligations together', async () => {
    const s = await register(t.app);
    // Payments on the 20th: 20.03 (past), 21.04 (20.04 is a Sunday), 20.05 (beyond 30 days).
    const rub = await call(s, 'POST', BLOCKS, {
      kind: 'consumer',
      title: 'Кредит',
      principal: '120000.00',
      annualRatePercent: '0',
      termMonths: 12,
      issueDate: '2025-02-20',
    });
    assert.equal(rub.statusCode, 201, rub.body);
    const rubId = rub.json().id as string;
    await call(s, 'POST', `${BLOCKS}/${rubId}/payments`, { number: 1 });
    const usd = await call(s, 'POST', BLOCKS, {
      kind: 'private',
      title: 'Долг другу',
      principal: '1000.00',
      annualRatePercent: '0',
      termMonths: 4,
      issueDate: '2025-03-05',
      currency: 'USD',
    });
    const usdId = usd.json().id as string;
    await call(s, 'POST', BLOCKS, {
      kind: 'car',
      title: 'Закрытый',
      principal: '50000.00',
      annualRatePercent: '5',
      termMonths: 6,
      issueDate: '2024-01-10',
      status: 'closed',
    });
    await add(s, { title: 'Аренда', dueDate: '2025-04-05', amount: '45000.00' });
    await add(s, { title: 'Оплачено', dueDate: '2025-04-06', amount: '1.00', done: true });
    await add(s, { title: 'Просрочено', dueDate: '2025-03-25', amount: '700.00' });
    await add(s, { title: 'Позже', dueDate: '2025-05-02', amount: '999.00' });

    const res = await call(s, 'GET', `${OBLIGATIONS}/summary`);
    assert.equal(res.statusCode, 200, res.body);
    const summary = res.json();
    assert.equal(summary.today, '2025-04-01');
    assert.equal(summary.horizon, '2025-05-01');
    assert.equal(summary.credits.count, 2, 'closed credits are not counted');
    assert.deepEqual(summary.credits.byCurrency, [
      {
        currency: 'RUB',
        count: 1,
        debt: '110000.00',
        paid: '10000.00',
        remaining: '110000.00',
        penalty: '0.00',
      },
      { currency: 'USD', count: 1, debt: '1000.00', paid: '0.00', remaining: '1000.00', penalty: '0.00' },
    ]);
    assert.equal(summary.credits.overduePayments, 0);
    const upcoming = summary.upcoming as {
      source: string;
      title: string;
      date: string;
      amount: string;
      currency: string;
    }[];
    assert.deepEqual(
      upcoming.map((u) => [u.source, u.title, u.date, u.amount, u.currency]),
      [
        ['obligation', 'Аренда', '2025-04-05', '45000.00', 'RUB'],
        ['credit', 'Долг другу', '2025-04-07', '250.00', 'USD'],
        ['credit', 'Кредит', '2025-04-21', '10000.00', 'RUB'],
      ],
    );
    assert.equal(summary.upcoming[1].id, usdId);
    assert.equal(summary.upcoming[2].number, 2);
    assert.deepEqual(summary.upcomingTotals, [
      { currency: 'RUB', total: '55000.00' },
      { currency: 'USD', total: '250.00' },
    ]);
    assert.equal(summary.obligations.overdueCount, 1);
    assert.deepEqual(summary.obligations.overdueTotals, [{ currency: 'RUB', total: '700.00' }]);
    assert.equal(summary.obligations.overdue[0].title, 'Просрочено');
  });
});
