import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.js';
import {
  addTransaction,
  balanceOf,
  categoryId,
  newClient,
  openAccount,
  type Client,
} from '../support/budget.js';

const SCHEDULES = '/api/budget/schedules';

describe('schedules', () => {
  let t: TestApp;
  // 10:00 in Moscow; tests move it.
  let now = new Date('2026-01-01T07:00:00Z');

  before(async () => {
    t = await buildTestApp({ deps: { now: () => now } });
  });
  after(() => t.close());

  async function schedule(c: Client, body: Record<string, unknown>) {
    const res = await c.post(SCHEDULES, {
      every: 1,
      unit: 'month',
      mode: 'confirm',
      startDate: '2026-01-01',
      ...body,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; next: string | null; currency: string };
  }

  async function transactions(c: Client, accountId: string) {
    const res = await c.get(
      `/api/budget/transactions?accountId=${accountId}&limit=200&dateFrom=2025-01-01&dateTo=2027-12-31`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.items as { date: string; amount: string; type: string; description: string }[])
      .map((x) => `${x.date} ${x.type} ${x.amount}`)
      .sort();
  }

  it('refuses bad rules with 422 naming the field, and another user’s schedule is 404', async () => {
    now = new Date('2026-01-01T07:00:00Z');
    const c = await newClient(t.app);
    const card = await openAccount(c, { name: 'Карта' });
    const base = {
      type: 'expense',
      title: 'Аренда',
      accountId: card,
      amount: '45000.00',
      every: 1,
      unit: 'month',
      mode: 'auto',
      startDate: '2026-01-01',
    };
    const bad: [Record<string, unknown>, string][] = [
      [{ every: 0 }, 'every'],
      [{ endDate: '2025-12-31' }, 'endDate'],
      [{ monthDay: 32 }, 'monthDay'],
      [{ type: 'transfer', toAccountId: card }, 'toAccountId'],
      [{ type: 'transfer' }, 'toAccountId'],
      [{ weekday: 3 }, 'weekday'],
      [{ amount: '0.00' }, 'amount'],
      [{ endDate: '2026-06-30', count: 3 }, 'count'],
    ];
    for (const [change, field] of bad) {
      const res = await c.post(SCHEDULES, { ...base, ...change });
      assert.equal(res.status, 422, `${JSON.stringify(change)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      assert.ok(
        (res.body.error.details.fields as { field: string }[]).some((f) => f.field === field),
        `${JSON.stringify(change)} names ${field}: ${JSON.stringify(res.body)}`,
      );
    }
    const mine = await schedule(c, { ...base, mode: 'confirm' });
    const other = await newClient(t.app);
    assert.equal((await other.get(`${SCHEDULES}/${mine.id}`)).status, 404);
    assert.equal((await other.post(`${SCHEDULES}/${mine.id}/occurrences/2026-01-01/skip`)).status, 404);
    assert.equal((await other.del(`${SCHEDULES}/${mine.id}`)).status, 404);
    const otherCard = await openAccount(other, { name: 'Чужая' });
    assert.equal((await c.post(SCHEDULES, { ...base, accountId: otherCard })).status, 404);
  });

  it('posts a year of a salary on the last working day and rent on the 31st, once each, on Moscow days', async () => {
    now = new Date('2026-01-01T07:00:00Z');
    const c = await newClient(t.app);
    const card = await openAccount(c, { name: 'Зарплатная' });
    await schedule(c, {
      type: 'income',
      title: 'Зарплата',
      accountId: card,
      categoryId: await categoryId(c, 'Зарплата'),
      amount: '120000.00',
      monthDay: 31,
      shift: 'before',
      mode: 'auto',
    });
    await schedule(c, {
      type: 'expense',
      title: 'Аренда',
      accountId: card,
      amount: '45000.00',
      monthDay: 31,
      mode: 'auto',
    });

    // 23:59 on 29 January in Moscow: the salary of Friday the 30th is not due yet.
    now = new Date('2026-01-29T20:59:00Z');
    await t.app.schedulePosting.postDue();
    assert.deepEqual(await transactions(c, card), []);
    // Every day of the year at 00:30 Moscow time (21:30 UTC the day before), twice a day.
    for (
      let day = new Date('2026-01-29T21:30:00Z');
      day < new Date('2027-01-01');
      day = new Date(day.getTime() + 86_400_000)
    ) {
      now = day;
      await t.app.schedulePosting.postDue();
      await t.app.schedulePosting.postDue();
    }
    const salary = [
      '01-30',
      '02-27',
      '03-31',
      '04-30',
      '05-29',
      '06-30',
      '07-31',
      '08-31',
      '09-30',
      '10-30',
      '11-30',
      '12-30', // 31 December 2026 is a day off by the decree
    ];
    const rent = [
      '01-31',
      '02-28',
      '03-31',
      '04-30',
      '05-31',
      '06-30',
      '07-31',
      '08-31',
      '09-30',
      '10-31',
      '11-30',
      '12-31',
    ];
    assert.deepEqual(
      await transactions(c, card),
      [
        ...salary.map((d) => `2026-${d} income 120000.00`),
        ...rent.map((d) => `2026-${d} expense 45000.00`),
      ].sort(),
    );
    assert.equal(await balanceOf(c, card), '900000.00');
  });

  it('two instances running the job together post each occurrence once', async () => {
    now = new Date('2026-01-01T07:00:00Z');
    const second = await buildTestApp({ deps: { now: () => now } });
    try {
      const c = await newClient(t.app);
      const card = await openAccount(c, { name: 'Карта' });
      await schedule(c, {
        type: 'expense',
        title: 'Кофе',
        accountId: card,
        amount: '250.50',
        every: 1,
        unit: 'day',
        mode: 'auto',
      });
      now = new Date('2026-03-01T07:00:00Z');
      await Promise.all([
        t.app.schedulePosting.postDue(),
        second.app.schedulePosting.postDue(),
        t.app.schedulePosting.tick(),
        second.app.schedulePosting.tick(),
      ]);
      const posted = await transactions(c, card);
      assert.equal(posted.length, 60, 'from 1 January to 1 March inclusive');
      assert.equal(new Set(posted).size, 60, 'no day twice');
      assert.equal(await balanceOf(c, card), '-15030.00');
    } finally {
      await second.close();
    }
  });

  it('skips, changes, confirms and posts early one occurrence; edits the rule from a day on', async () => {
    now = new Date('2026-01-01T07:00:00Z');
    const c = await newClient(t.app);
    const card = await openAccount(c, { name: 'Карта' });
    const s = await schedule(c, {
      type: 'expense',
      title: 'Интернет',
      accountId: card,
      amount: '700.00',
      monthDay: 10,
    });
    assert.equal(s.next, '2026-01-10');
    const occ = `${SCHEDULES}/${s.id}/occurrences`;
    assert.equal((await c.post(`${occ}/2026-01-10/skip`)).status, 200);
    const moved = await c.patch(`${occ}/2026-02-10`, { date: '2026-02-12', amount: '750.00' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal((await c.post(`${occ}/2026-02-11/skip`)).status, 404, 'no occurrence on the 11th');
    assert.equal((await c.patch(`${occ}/2026-02-10`, { date: '2026-04-12' })).status, 422);

    let list = (await c.get(`${occ}?from=2026-01-01&to=2026-04-30`)).body as {
      nominalDate: string;
      date: string;
      amount: string;
      status: string;
    }[];
    assert.deepEqual(
      list.map((o) => `${o.nominalDate} ${o.date} ${o.amount} ${o.status}`),
      [
        '2026-01-10 2026-01-10 700.00 skipped',
        '2026-02-10 2026-02-12 750.00 expected',
        '2026-03-10 2026-03-10 700.00 expected',
        '2026-04-10 2026-04-10 700.00 expected',
      ],
    );
    // Confirm-mode occurrences wait: the job posts nothing, the overdue one waits for a confirmation.
    now = new Date('2026-02-13T07:00:00Z');
    await t.app.schedulePosting.postDue();
    assert.deepEqual(await transactions(c, card), []);
    const confirmed = await c.post(`${occ}/2026-02-10/post`, {});
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal((await c.post(`${occ}/2026-02-10/post`, {})).status, 409, 'confirmed once');
    // March paid early, today.
    assert.equal((await c.post(`${occ}/2026-03-10/post`, { amount: '699.99' })).status, 200);
    assert.deepEqual(await transactions(c, card), ['2026-02-12 expense 750.00', '2026-02-13 expense 699.99']);

    // From May the provider charges 800 on the 15th.
    const edited = await c.post(`${SCHEDULES}/${s.id}/edit-from`, {
      from: '2026-05-01',
      amount: '800.00',
      monthDay: 15,
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.next, '2026-05-15');
    list = (await c.get(`${occ}?from=2026-02-01&to=2026-06-30`)).body;
    assert.deepEqual(
      list.map((o) => `${o.nominalDate} ${o.date} ${o.status}`),
      ['2026-02-10 2026-02-12 posted', '2026-03-10 2026-02-13 posted', '2026-04-10 2026-04-10 expected'],
      'the old rule ends before May',
    );
    const later = (await c.get(`${SCHEDULES}/${edited.body.id}/occurrences?from=2026-03-01&to=2026-06-30`))
      .body as { date: string; amount: string }[];
    assert.deepEqual(
      later.map((o) => `${o.date} ${o.amount}`),
      ['2026-05-15 800.00', '2026-06-15 800.00'],
    );
  });

  it('links an entered transaction that fits an expected occurrence instead of counting it twice', async () => {
    now = new Date('2026-02-08T07:00:00Z');
    const c = await newClient(t.app);
    const card = await openAccount(c, { name: 'Карта' });
    const s = await schedule(c, {
      type: 'expense',
      title: 'Коммуналка',
      accountId: card,
      amount: '5000.00',
      tolerancePercent: 10,
      monthDay: 10,
      mode: 'auto',
      startDate: '2026-02-01',
    });
    // 5 600 is beyond ±10 %: not linked.
    await addTransaction(c, { type: 'expense', date: '2026-02-09', accountId: card, amount: '5600.00' });
    const paid = await addTransaction(c, {
      type: 'expense',
      date: '2026-02-09',
      accountId: card,
      amount: '5432.10',
    });
    const [feb] = (await c.get(`${SCHEDULES}/${s.id}/occurrences?from=2026-02-01&to=2026-02-28`)).body as {
      status: string;
      transactionId: string;
    }[];
    assert.equal(feb?.status, 'matched');
    assert.equal(feb.transactionId, paid.id);
    // On the day the job finds it matched and posts nothing more.
    now = new Date('2026-02-10T07:00:00Z');
    await t.app.schedulePosting.postDue();
    assert.deepEqual(await transactions(c, card), [
      '2026-02-09 expense 5432.10',
      '2026-02-09 expense 5600.00',
    ]);
  });

  it('a repeating mandatory payment brings up the next when paid, once', async () => {
    now = new Date('2026-01-01T07:00:00Z');
    const c = await newClient(t.app);
    const created = await c.post('/api/budget/obligations', {
      title: 'Налог',
      dueDate: '2026-01-31',
      amount: '1200.00',
      repeat: { every: 1, unit: 'month', monthDay: 31, shift: 'after', count: 3 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(
      (
        await c.post('/api/budget/obligations', {
          title: 'x',
          dueDate: '2026-01-31',
          amount: '1.00',
          repeat: { every: 0, unit: 'month' },
        })
      ).status,
      422,
    );
    const pay = (id: string) => c.patch(`/api/budget/obligations/${id}`, { done: true });
    assert.equal((await pay(created.body.id)).status, 200);
    assert.equal((await pay(created.body.id)).status, 200, 'paying again adds nothing');
    let feb = (await c.get('/api/budget/obligations?month=2026-02')).body.items as {
      id: string;
      dueDate: string;
    }[];
    // 28 February 2026 is a Saturday: the next working day is 2 March.
    assert.deepEqual(
      feb.map((o) => o.dueDate),
      [],
    );
    let march = (await c.get('/api/budget/obligations?month=2026-03')).body.items as {
      id: string;
      dueDate: string;
      seriesId: string;
    }[];
    assert.deepEqual(
      march.map((o) => o.dueDate),
      ['2026-03-02'],
    );
    assert.equal(march[0]!.seriesId, created.body.seriesId);
    await pay(march[0]!.id);
    march = (await c.get('/api/budget/obligations?month=2026-03')).body.items;
    assert.deepEqual(
      march.map((o) => o.dueDate),
      ['2026-03-02', '2026-03-31'],
    );
    await pay(march[1]!.id);
    feb = (await c.get('/api/budget/obligations?month=2026-04')).body.items;
    assert.deepEqual(feb, [], 'three payments, then the series ends');
  });

  it('lists everything upcoming with the overdue flagged, and forecasts the balances', async () => {
    now = new Date('2026-02-01T07:00:00Z');
    const c = await newClient(t.app);
    const card = await openAccount(c, { name: 'Карта', openingBalance: '10000.00' });
    const savings = await openAccount(c, { name: 'Копилка', kind: 'savings' });
    await schedule(c, {
      type: 'income',
      title: 'Зарплата',
      accountId: card,
      amount: '50000.00',
      monthDay: 25,
      mode: 'confirm',
      startDate: '2026-02-01',
    });
    await schedule(c, {
      type: 'transfer',
      title: 'В копилку',
      accountId: card,
      toAccountId: savings,
      amount: '5000.00',
      monthDay: 26,
      mode: 'confirm',
      startDate: '2026-03-01',
    });
    assert.equal(
      (
        await c.post('/api/budget/obligations', {
          title: 'Аренда',
          dueDate: '2026-03-05',
          amount: '30000.00',
        })
      ).status,
      201,
    );
    now = new Date('2026-03-01T07:00:00Z');

    const up = await c.get('/api/budget/upcoming?days=30');
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.deepEqual(
      (
        up.body.items as { date: string; kind: string; title: string; amount: string; overdue: boolean }[]
      ).map((i) => `${i.date} ${i.kind} ${i.title} ${i.amount}${i.overdue ? ' overdue' : ''}`),
      [
        '2026-02-25 schedule Зарплата 50000.00 overdue',
        '2026-03-05 obligation Аренда 30000.00',
        '2026-03-25 schedule Зарплата 50000.00',
        '2026-03-26 schedule В копилку 5000.00',
      ],
    );
    assert.equal(up.body.overdue, 1);
    assert.equal((await c.get('/api/budget/upcoming?days=45')).status, 422);

    const f = await c.get('/api/budget/forecast');
    assert.equal(f.status, 200, JSON.stringify(f.body));
    const at = (day: string) => f.body.total[(f.body.dates as string[]).indexOf(day)] as string;
    assert.equal(f.body.dates.length, 366);
    assert.equal(at('2026-03-01'), '60000.00', 'the overdue salary still expected today');
    assert.equal(at('2026-03-05'), '30000.00');
    assert.equal(at('2026-03-26'), '80000.00', 'a transfer moves money, the total stays');
    const savingsLine = (f.body.accounts as { id: string; balances: string[] }[]).find(
      (a) => a.id === savings,
    )!;
    assert.equal(savingsLine.balances[(f.body.dates as string[]).indexOf('2026-03-26')], '5000.00');
    assert.deepEqual(f.body.lowest, { date: '2026-03-05', total: '30000.00' });
    assert.equal(f.body.nextIncome, '2026-03-25');
    assert.equal(f.body.freeUntilNextIncome, '30000.00');
  });

  it("forecasts the total with other currencies at today's rate, naming the rate and what is left out", async () => {
    now = new Date('2026-03-01T07:00:00Z');
    const c = await newClient(t.app);
    await openAccount(c, { name: 'Карта', openingBalance: '1000.00' });
    await openAccount(c, { name: 'Доллары', currency: 'USD', openingBalance: '100.01' });
    await openAccount(c, { name: 'Евро', currency: 'EUR', openingBalance: '50.00' });
    const own = await c.post('/api/fx/manual-rates', { currency: 'USD', day: '2026-03-01', rate: '90.5' });
    assert.equal(own.status, 201, JSON.stringify(own.body));

    const f = await c.get('/api/budget/forecast?months=1');
    assert.equal(f.status, 200, JSON.stringify(f.body));
    // 100.01 × 90.5 = 9050.905 → 9050.91; the EUR account has no rate (the Bank of Russia is unreachable).
    assert.equal(f.body.total[0], '10050.91');
    assert.deepEqual(f.body.rates, {
      USD: { rate: '90.5', day: '2026-03-01', source: 'manual', stale: false },
    });
    assert.deepEqual(f.body.leftOut, ['EUR']);
  });
});
