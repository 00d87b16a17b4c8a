import { dec } from '../../src/common/decimal.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/server/platform/db.js';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';
import { CREDITS as BLOCKS, createCredit, creditSchedule } from '../support/credits.js';

// 2025-03-01 13:00 in Moscow, the default time zone of new users.
const NOW = new Date('2025-03-01T10:00:00Z');

/** The issue's mortgage: 3 000 000.00 at 12 % for 120 months, textbook rate/12 interest. */
const mortgage = {
  kind: 'mortgage',
  title: 'Ипотека',
  principal: '3000000.00',
  annualRatePercent: '12',
  termMonths: 120,
  issueDate: '2024-01-10',
  paymentDay: 10,
  paymentType: 'annuity',
  interestMethod: 'monthly',
};
// Payment 13 falls on Monday 2025-02-10: an early repayment that day applies right after it.
const MONTH_13 = '2025-02-10';

interface Row {
  number: number | null;
  date: string;
  kind: string;
  payment: string;
  interest: string;
  principal: string;
  balance: string;
  paid: boolean;
}

const sumOf = (rows: Row[], field: 'payment' | 'interest' | 'principal') =>
  rows.reduce((total, r) => total.plus(r[field]), dec(0)).toFixed(2);
const without = (body: object, ...keys: string[]) =>
  Object.fromEntries(Object.entries(body).filter(([key]) => !keys.includes(key)));
const scheduled = (rows: Row[]) => rows.filter((r) => r.kind === 'scheduled');

describe('credit blocks: loan maths through the API', () => {
  let t: TestApp;
  let s: Session;

  before(async () => {
    t = await buildTestApp({ deps: { now: () => NOW } });
    s = await register(t.app);
  });
  after(() => t.close());

  const post = (url: string, payload: unknown, session = s) =>
    t.app.inject({ method: 'POST', url, headers: session.auth, payload: payload as object });
  const get = (url: string, session = s) => t.app.inject({ url, headers: session.auth });

  const createBlock = async (body: object = mortgage): Promise<string> => (await createCredit(t, s, body)).id;
  const scheduleOf = (id: string) => creditSchedule(t, s, id);

  /** This user's rows: other test files write to the same database at the same time. */
  async function countRows(): Promise<number[]> {
    const mine = sql`(select id from credit_blocks where user_id = ${s.user.id})`;
    const [row] = await rowsOf<{ blocks: number; payments: number; early: number }>(
      t.database.db.execute(sql`select
        (select count(*)::int from credit_blocks where user_id = ${s.user.id}) as blocks,
        (select count(*)::int from credit_payments where block_id in ${mine}) as payments,
        (select count(*)::int from credit_early_repayments where block_id in ${mine}) as early`),
    );
    assert.ok(row);
    return [row.blocks, row.payments, row.early];
  }

  it('3 000 000.00 at 12 % for 120 months: 43 041.28 a month, last 43 042.33, interest 2 164 954.65', async () => {
    const id = await createBlock();
    const { rows, totals } = await scheduleOf(id);
    assert.equal(rows.length, 120);
    assert.equal(rows[0]?.payment, '43041.28');
    assert.equal(rows[0]?.interest, '30000.00');
    assert.ok(rows.slice(0, 119).every((r) => r.payment === '43041.28'));
    assert.equal(rows[119]?.number, 120);
    assert.equal(rows[119]?.payment, '43042.33');
    assert.equal(rows[119]?.balance, '0.00');
    assert.equal(totals.totalInterest, '2164954.65');
    assert.equal(sumOf(rows, 'interest'), '2164954.65');
    assert.equal(sumOf(rows, 'principal'), '3000000.00');
    assert.equal(totals.payoffDate, '2034-01-10');
  });

  it('the block in the list carries its progress as of the user’s today', async () => {
    const id = await createBlock();
    const list = await get(BLOCKS);
    assert.equal(list.statusCode, 200);
    const block = list.json<{ id: string; progress: Record<string, unknown> }[]>().find((b) => b.id === id);
    assert.ok(block);
    assert.deepEqual(block.progress.nextPayment, {
      number: 14,
      date: '2025-03-10',
      amount: '43041.28',
      daysUntil: 9,
    });
    assert.equal(block.progress.overduePayments, 13, 'payments 1..13 are due and not marked paid');
    assert.equal(block.progress.remainingPrincipal, '3000000.00');

    // Entered mid-way: mark everything up to payment 13 paid as scheduled.
    const through = await post(`${BLOCKS}/${id}/payments/through`, { number: 13 });
    assert.equal(through.statusCode, 200, through.body);
    const progress = through.json().progress;
    assert.equal(through.json().payments.length, 13);
    assert.equal(progress.overduePayments, 0);
    assert.equal(progress.remainingPrincipal, '2819908.68');
    assert.equal(progress.paidPrincipal, '180091.32');
    assert.equal(progress.paidTotal, dec('43041.28').times(13).toFixed(2));
    assert.equal(progress.percentRepaid, '6.00');
    assert.equal(progress.totalInterest, '2164954.65', 'paying as scheduled changes nothing');
  });

  it('a differentiated schedule: principal parts sum exactly to the principal', async () => {
    const id = await createBlock({
      kind: 'consumer',
      title: 'Кредит на ремонт',
      principal: '1000000.00',
      annualRatePercent: '15.5',
      termMonths: 7,
      issueDate: '2024-10-20',
      paymentType: 'differentiated',
    });
    const { rows, totals } = await scheduleOf(id);
    assert.equal(rows.length, 7);
    // D = round(1 000 000.00 / 7) = 142 857.14; the last part absorbs the residue.
    assert.deepEqual(
      rows.map((r) => r.principal),
      [...Array<string>(6).fill('142857.14'), '142857.16'],
    );
    assert.equal(sumOf(rows, 'principal'), '1000000.00');
    assert.equal(rows[6]?.balance, '0.00');
    assert.equal(sumOf(rows, 'interest'), totals.totalInterest);
    for (const r of rows) assert.equal(dec(r.interest).plus(r.principal).toFixed(2), r.payment);
    // Payments fall as interest shrinks with the balance.
    for (let i = 1; i < 6; i++) assert.ok(dec(rows[i]!.payment).lt(rows[i - 1]!.payment));
  });

  it('interest by actual days: 366 in 2024, 365 in 2025, a period split at 31 December', async () => {
    const id = await createBlock({
      kind: 'car',
      title: 'Автокредит',
      principal: '1000000.00',
      annualRatePercent: '10',
      termMonths: 12,
      issueDate: '2024-11-10',
    });
    const { rows } = await scheduleOf(id);
    // 10.11 → 10.12.2024: 30 days of 366.
    assert.equal(rows[0]?.interest, dec('1000000').times('0.1').times(30).div(366).round(2).toFixed(2));
    assert.equal(rows[0]?.interest, '8196.72');
    // 10.12.2024 → 10.01.2025: 21 days of 2024 at /366 and 10 days of 2025 at /365, each rounded.
    const balance = dec(rows[0]?.balance ?? '');
    const expected = balance
      .times('0.1')
      .times(21)
      .div(366)
      .round(2)
      .plus(balance.times('0.1').times(10).div(365).round(2));
    assert.equal(rows[1]?.interest, expected.toFixed(2));
    // Saturday 10.05.2025 moves to Monday 12.05.2025.
    assert.equal(rows[5]?.date, '2025-05-12');
    assert.equal(rows.at(-1)?.balance, '0.00');
  });

  const earlyCases = [
    {
      mode: 'reduce_term',
      payment: '43041.28',
      lastNumber: 91,
      lastPayment: '35386.95',
      totalInterest: '1409102.15',
      saved: '755852.50',
    },
    {
      mode: 'reduce_payment',
      payment: '35409.60',
      lastNumber: 120,
      lastPayment: '35410.53',
      totalInterest: '1848364.77',
      saved: '316589.88',
    },
  ] as const;

  for (const c of earlyCases) {
    it(`early repayment of 500 000 in month 13, ${c.mode}: what-if first, then recorded`, async () => {
      const id = await createBlock();
      const early = { date: MONTH_13, amount: '500000.00', mode: c.mode };

      const before = await countRows();
      const whatIf = await post(`${BLOCKS}/${id}/early-repayments/preview`, early);
      assert.equal(whatIf.statusCode, 200, whatIf.body);
      assert.deepEqual(await countRows(), before, 'the what-if writes nothing');
      assert.deepEqual(whatIf.json(), {
        current: {
          payment: '43041.28',
          paymentCount: 120,
          payoffDate: '2034-01-10',
          totalInterest: '2164954.65',
        },
        withRepayment: {
          payment: c.payment,
          paymentCount: c.lastNumber,
          payoffDate: c.mode === 'reduce_term' ? '2031-08-11' : '2034-01-10',
          totalInterest: c.totalInterest,
        },
        interestSaved: c.saved,
        paymentsFewer: 120 - c.lastNumber,
      });

      const saved = await post(`${BLOCKS}/${id}/early-repayments`, early);
      assert.equal(saved.statusCode, 201, saved.body);
      assert.equal(saved.json().earlyRepayments.length, 1);
      assert.equal(saved.json().progress.interestSaved, c.saved);
      assert.equal(saved.json().progress.totalInterest, c.totalInterest);

      const { rows, totals, interestSaved } = await scheduleOf(id);
      const earlyRow = rows.find((r) => r.kind === 'early');
      assert.deepEqual(earlyRow, {
        number: null,
        date: MONTH_13,
        kind: 'early',
        payment: '500000.00',
        interest: '0.00',
        principal: '500000.00',
        balance: '2319908.68',
        paid: true,
        overdueDays: 0,
        penalty: '0.00',
      });
      assert.equal(rows.find((r) => r.number === 13)?.balance, '2819908.68');
      assert.equal(rows.find((r) => r.number === 14)?.payment, c.payment);
      const last = rows.at(-1);
      assert.equal(last?.number, c.lastNumber);
      assert.equal(last?.payment, c.lastPayment);
      assert.equal(last?.balance, '0.00');
      assert.equal(scheduled(rows).length, c.lastNumber);
      assert.equal(totals.totalInterest, c.totalInterest);
      assert.equal(interestSaved, c.saved);
      assert.equal(sumOf(rows, 'principal'), '3000000.00');

      // Deleting it restores the plain schedule.
      const repaymentId = saved.json().earlyRepayments[0].id as string;
      const del = await t.app.inject({
        method: 'DELETE',
        url: `${BLOCKS}/${id}/early-repayments/${repaymentId}`,
        headers: s.auth,
      });
      assert.equal(del.statusCode, 204);
      assert.equal((await scheduleOf(id)).totals.totalInterest, '2164954.65');
    });
  }

  it('preview computes unsaved terms and history and writes nothing', async () => {
    const before = await countRows();
    const terms = without(mortgage, 'kind', 'title');
    const res = await post(`${BLOCKS}/preview`, {
      ...terms,
      payments: [{ number: 1, date: '2024-02-12', amount: '43041.28' }],
      earlyRepayments: [{ date: MONTH_13, amount: '500000.00', mode: 'reduce_term' }],
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().totals.totalInterest, '1409102.15');
    assert.equal(res.json().interestSaved, '755852.50');
    assert.equal(res.json().progress.paidTotal, '543041.28');
    assert.equal(res.json().today, '2025-03-01');
    assert.deepEqual(await countRows(), before);

    const bad = await post(`${BLOCKS}/preview`, {
      ...terms,
      earlyRepayments: [{ date: '2023-12-31', amount: '1000.00', mode: 'reduce_term' }],
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.details.fields[0].field, 'earlyRepayments[0].date');
    assert.deepEqual(await countRows(), before);
  });

  it('a close date instead of a term', async () => {
    const terms = without(mortgage, 'termMonths');
    const res = await post(BLOCKS, { ...terms, closeDate: '2034-01-10' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().termMonths, 120);
    assert.equal(res.json().closeDate, '2034-01-10');
    assert.equal(res.json().progress.payoffDate, '2034-01-10');
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['zero principal', { principal: '0.00' }, 'principal'],
    ['principal as a JSON number', { principal: 3000000 }, 'principal'],
    ['principal with an exponent', { principal: '3e6' }, 'principal'],
    ['principal with three decimals', { principal: '1.005' }, 'principal'],
    ['principal too large for the column', { principal: '99999999999999999999.99' }, 'principal'],
    ['negative rate', { annualRatePercent: '-1' }, 'annualRatePercent'],
    ['absurd rate', { annualRatePercent: '1000.5' }, 'annualRatePercent'],
    ['zero term', { termMonths: 0 }, 'termMonths'],
    ['fractional term', { termMonths: 12.5 }, 'termMonths'],
    ['payment day 32', { paymentDay: 32 }, 'paymentDay'],
    ['impossible issue date', { issueDate: '2024-02-30' }, 'issueDate'],
    ['unknown kind', { kind: 'loan' }, 'kind'],
    ['blank title', { title: '   ' }, 'title'],
    ['unknown payment type', { paymentType: 'balloon' }, 'paymentType'],
    ['both term and close date', { closeDate: '2030-01-10' }, 'closeDate'],
    ['close date before issue', { termMonths: undefined, closeDate: '2023-05-01' }, 'closeDate'],
    ['neither term nor close date', { termMonths: undefined }, 'termMonths'],
    ['mass assignment', { userId: '00000000-0000-4000-8000-000000000000' }, 'userId'],
  ];
  for (const [name, change, field] of invalid) {
    it(`invalid terms → 422 naming the field: ${name}`, async () => {
      const before = await countRows();
      const body = JSON.parse(JSON.stringify({ ...mortgage, ...change })) as object;
      for (const url of [BLOCKS, `${BLOCKS}/preview`]) {
        const payload = url === BLOCKS ? body : without(body, 'kind', 'title');
        if (url !== BLOCKS && (field === 'kind' || field === 'title')) continue;
        const res = await post(url, payload);
        assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
        assert.equal(res.json().error.details.fields[0].field, field, res.body);
      }
      assert.deepEqual(await countRows(), before, 'nothing written');
    });
  }

  it('PATCH and PUT: edits keep the history consistent, or answer 409 and change nothing', async () => {
    const id = await createBlock();
    const paid = await post(`${BLOCKS}/${id}/payments/through`, { number: 3 });
    assert.equal(paid.statusCode, 200);

    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `${BLOCKS}/${id}`,
      headers: s.auth,
      payload: { title: '  Ипотека, Сбер ', notes: 'ставка снижена', status: 'active' },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().title, 'Ипотека, Сбер');
    assert.equal(renamed.json().payments.length, 3);

    // A shorter term still holds the three recorded payments.
    const shorter = await t.app.inject({
      method: 'PATCH',
      url: `${BLOCKS}/${id}`,
      headers: s.auth,
      payload: { termMonths: 60 },
    });
    assert.equal(shorter.statusCode, 200, shorter.body);
    assert.equal(shorter.json().termMonths, 60);
    assert.equal(shorter.json().progress.payoffDate, '2029-01-10');

    // Issued after the recorded payments were made: the edit is refused as a whole.
    const issuedLater = await t.app.inject({
      method: 'PUT',
      url: `${BLOCKS}/${id}`,
      headers: s.auth,
      payload: { ...mortgage, title: 'другое', issueDate: '2024-06-10' },
    });
    assert.equal(issuedLater.statusCode, 409, issuedLater.body);
    assert.equal(issuedLater.json().error.code, 'LOAN_HISTORY_CONFLICT');
    assert.match(issuedLater.json().error.message, /payment 1/);
    const unchanged = await get(`${BLOCKS}/${id}`);
    assert.equal(unchanged.json().termMonths, 60);
    assert.equal(unchanged.json().title, 'Ипотека, Сбер');

    // PUT replaces everything; what is left out takes its default.
    const replaced = await t.app.inject({
      method: 'PUT',
      url: `${BLOCKS}/${id}`,
      headers: s.auth,
      payload: { ...mortgage, title: 'Ипотека ВТБ', currency: 'RUB', status: 'closed' },
    });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.equal(replaced.json().termMonths, 120);
    assert.equal(replaced.json().notes, '');
    assert.equal(replaced.json().status, 'closed');
    const active = await get(`${BLOCKS}?status=active`);
    assert.ok(!active.json<{ id: string }[]>().some((b) => b.id === id), 'closed blocks filtered out');

    const del = await t.app.inject({ method: 'DELETE', url: `${BLOCKS}/${id}`, headers: s.auth });
    assert.equal(del.statusCode, 204);
    assert.equal((await get(`${BLOCKS}/${id}`)).statusCode, 404);
    const [left] = await rowsOf<{ n: number }>(
      t.database.db.execute(sql`select count(*)::int as n from credit_payments where block_id = ${id}`),
    );
    assert.equal(left?.n, 0, 'its payments went with it');
  });

  it('marking a payment paid: defaults to the schedule; a different amount moves the balance', async () => {
    const id = await createBlock();
    const first = await post(`${BLOCKS}/${id}/payments`, { number: 1 });
    assert.equal(first.statusCode, 201, first.body);
    const marks = first.json<{ payments: { number: number; date: string; amount: string }[] }>().payments;
    assert.deepEqual(
      marks.map((p) => [p.number, p.date, p.amount]),
      [[1, '2024-02-12', '43041.28']],
    );

    const again = await post(`${BLOCKS}/${id}/payments`, { number: 1 });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'PAYMENT_ALREADY_PAID');

    // Payment 2 paid with 10 000.00 extra: 10 000.00 more principal, the same interest.
    const more = await post(`${BLOCKS}/${id}/payments`, {
      number: 2,
      date: '2024-03-11',
      amount: '53041.28',
    });
    assert.equal(more.statusCode, 201, more.body);
    const { rows } = await scheduleOf(id);
    assert.equal(rows[1]?.paid, true);
    assert.deepEqual(
      [rows[1]?.payment, rows[1]?.interest, rows[1]?.principal, rows[1]?.balance],
      ['53041.28', '29869.59', '23171.69', '2963787.03'],
    );
    assert.equal(sumOf(rows, 'principal'), '3000000.00');

    const tooLittle = await post(`${BLOCKS}/${id}/payments`, { number: 3, amount: '100.00' });
    assert.equal(tooLittle.statusCode, 422);
    assert.equal(tooLittle.json().error.details.fields[0].field, 'amount');
    const beyond = await post(`${BLOCKS}/${id}/payments`, { number: 121 });
    assert.equal(beyond.statusCode, 422);
    assert.equal(beyond.json().error.details.fields[0].field, 'number');

    const paymentId = first.json().payments[0].id as string;
    const unmark = await t.app.inject({
      method: 'DELETE',
      url: `${BLOCKS}/${id}/payments/${paymentId}`,
      headers: s.auth,
    });
    assert.equal(unmark.statusCode, 204);
    const gone = await t.app.inject({
      method: 'DELETE',
      url: `${BLOCKS}/${id}/payments/${paymentId}`,
      headers: s.auth,
    });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'CREDIT_PAYMENT_NOT_FOUND');
    assert.equal((await get(`${BLOCKS}/${id}`)).json().payments.length, 1);
  });

  it('an early repayment after the payoff or below the accrued interest is refused, naming the field', async () => {
    const id = await createBlock();
    const late = await post(`${BLOCKS}/${id}/early-repayments`, {
      date: '2040-01-01',
      amount: '1000.00',
      mode: 'reduce_term',
    });
    assert.equal(late.statusCode, 422);
    assert.equal(late.json().error.details.fields[0].field, 'date');
    // 25 days into a period the accrued interest on 3 000 000.00 is far above 1.00.
    const tiny = await post(`${BLOCKS}/${id}/early-repayments`, {
      date: '2024-03-05',
      amount: '1.00',
      mode: 'reduce_term',
    });
    assert.equal(tiny.statusCode, 422);
    assert.equal(tiny.json().error.details.fields[0].field, 'amount');
    assert.equal((await get(`${BLOCKS}/${id}`)).json().earlyRepayments.length, 0);
  });
});
