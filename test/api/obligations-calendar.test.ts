import { dec } from '../../src/common/decimal.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScheduleRow as Row } from '../../src/server/modules/obligations/loan-math.js';
import { buildTestApp, register, type Session, type TestApp } from '../support/app.js';
import { consumerCredit, CREDITS as BLOCKS, createCredit, creditSchedule } from '../support/credits.js';

// 14 January 2026, 12:00 in Moscow: payment 2 of the credit below (due Monday 12 January) is 2 days late.
const NOW = new Date('2026-01-14T09:00:00Z');

/** 120 000.00 at 12 % for 3 months by actual days, paid on the 3rd: payment 2 is due on 3 January. */
const credit = consumerCredit({
  principal: '120000.00',
  annualRatePercent: '12',
  termMonths: 3,
  issueDate: '2025-11-03',
  paymentDay: 3,
});

describe('credits on the production calendar: shift modes, penalties, repayments above the debt', () => {
  let t: TestApp;
  let s: Session;

  before(async () => {
    t = await buildTestApp({ deps: { now: () => NOW } });
    s = await register(t.app);
  });
  after(() => t.close());

  const call = (method: string, url: string, payload?: unknown, session = s) =>
    t.app.inject({ method: method as 'GET', url, headers: session.auth, payload: payload as object });

  const create = (body: object) => createCredit(t, s, body);
  const rowsOf = (id: string) => creditSchedule(t, s, id);

  const principalSum = (rows: Row[]) => rows.reduce((sum, r) => sum.plus(r.principal), dec(0)).toFixed(2);

  it('a payment due on 3 January moves to 12 January, interest counted to it; "none" keeps the 3rd', async () => {
    const moved = await create(credit);
    assert.equal(moved.paymentShift, 'next', 'the default keeps moving to the next working day');
    const kept = await create({ ...credit, paymentShift: 'none' });
    assert.equal(kept.paymentShift, 'none');

    const a = (await rowsOf(moved.id)).rows;
    const b = (await rowsOf(kept.id)).rows;
    // 3 Dec → 12 Jan: 28 days of 2025 and 12 of 2026 on 80 380.91 at 12 % = 739.94 + 317.12.
    assert.deepEqual(
      a.map((r) => [r.date, r.interest, r.payment]),
      [
        ['2025-12-03', '1183.56', '40802.65'],
        ['2026-01-12', '1057.06', '40802.65'],
        ['2026-02-03', '293.91', '40929.23'],
      ],
    );
    // 3 Dec → 3 Jan: 739.94 + 79.28.
    assert.deepEqual(
      b.map((r) => [r.date, r.interest, r.payment]),
      [
        ['2025-12-03', '1183.56', '40802.65'],
        ['2026-01-03', '819.22', '40802.65'],
        ['2026-02-03', '411.72', '40809.20'],
      ],
    );
    assert.equal(principalSum(a), '120000.00');
    assert.equal(principalSum(b), '120000.00');
  });

  it('the shift mode is validated, changed by PATCH and previewed', async () => {
    const bad = await call('POST', BLOCKS, { ...credit, paymentShift: 'weekends' });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.details.fields[0].field, 'paymentShift');

    const { id } = await create(credit);
    const patched = await call('PATCH', `${BLOCKS}/${id}`, { paymentShift: 'previous' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().paymentShift, 'previous');
    // 1–2 January are holidays and 31 December 2025 was off too: back to Tuesday 30 December.
    assert.equal((await rowsOf(id)).rows[1]?.date, '2025-12-30');

    // Issued on that Tuesday and paid on the 1st: "previous" would land on the issue day itself; the
    // first payment goes to the next working day, 12 January, with 13 days' interest (1 of 2025, 12 of 2026).
    const early = await create({
      ...credit,
      issueDate: '2025-12-30',
      paymentDay: 1,
      paymentShift: 'previous',
    });
    const earlyRows = (await rowsOf(early.id)).rows;
    assert.deepEqual(
      earlyRows.slice(0, 2).map((r) => r.date),
      ['2026-01-12', '2026-01-30'],
    );
    assert.equal(earlyRows[0]?.interest, '512.87');

    const terms = { ...credit, kind: undefined, title: undefined, paymentShift: 'none' };
    const preview = await call('POST', `${BLOCKS}/preview`, terms);
    assert.equal(preview.statusCode, 200, preview.body);
    assert.equal(preview.json().rows[1].date, '2026-01-03');
  });

  it('a penalty rate shows per row, in the progress and in the summary; the overdue list agrees', async () => {
    for (const [value, field] of [
      ['-1', 'penaltyRatePercent'],
      ['1000.5', 'penaltyRatePercent'],
      ['0.1%', 'penaltyRatePercent'],
    ] as const) {
      const res = await call('POST', BLOCKS, { ...credit, penaltyRatePercent: value });
      assert.equal(res.statusCode, 422, `${value}: ${res.body}`);
      assert.equal(res.json().error.details.fields[0].field, field);
    }

    const user = await register(t.app);
    const created = await call('POST', BLOCKS, { ...credit, penaltyRatePercent: '36.5' }, user);
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    assert.equal(created.json().penaltyRatePercent, '36.5');
    // Payment 1 paid 5 days late; payment 2 (due 12 January) unpaid on the 14th.
    const paid = await call('POST', `${BLOCKS}/${id}/payments`, { number: 1, date: '2025-12-08' }, user);
    assert.equal(paid.statusCode, 201, paid.body);
    assert.equal(paid.json().progress.overduePayments, 1);

    const res = await call('GET', `${BLOCKS}/${id}/schedule`, undefined, user);
    const schedule = res.json<{ rows: Row[]; penalty: string; progress: { penalty: string } }>();
    // 40 802.65 · 0.1 % a day: 5 days = 204.01, 2 days = 81.61.
    assert.deepEqual(
      schedule.rows.map((r) => [r.number, r.overdueDays, r.penalty]),
      [
        [1, 5, '204.01'],
        [2, 2, '81.61'],
        [3, 0, '0.00'],
      ],
    );
    assert.equal(schedule.penalty, '285.62');
    assert.equal(schedule.progress.penalty, '285.62');

    const summary = (await call('GET', '/api/budget/obligations/summary', undefined, user)).json();
    assert.equal(summary.credits.byCurrency[0].penalty, '285.62');
    assert.equal(summary.credits.overduePayments, 1);
    assert.deepEqual(summary.credits.overdue, [
      {
        id,
        title: 'Потребительский',
        number: 2,
        date: '2026-01-12',
        amount: '40802.65',
        currency: 'RUB',
        overdueDays: 2,
        penalty: '81.61',
      },
    ]);

    const cleared = await call('PATCH', `${BLOCKS}/${id}`, { penaltyRatePercent: null }, user);
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.equal(cleared.json().penaltyRatePercent, null);
    assert.equal(cleared.json().progress.penalty, '0.00');
  });

  it('an early repayment above the remaining debt is refused with the debt; exactly the debt is the payoff', async () => {
    const { id } = await create(credit);
    for (const number of [1, 2]) {
      assert.equal((await call('POST', `${BLOCKS}/${id}/payments`, { number })).statusCode, 201);
    }
    // After payment 2 (12 January) the debt is 40 635.32; on 14 January 2 days of interest accrue:
    // 40 635.32 · 12 · 2 / 36 500 = 26.72, so 40 662.04 repays everything.
    const typo = { date: '2026-01-14', amount: '406620.40', mode: 'reduce_term' };
    for (const url of [`${BLOCKS}/${id}/early-repayments`, `${BLOCKS}/${id}/early-repayments/preview`]) {
      const res = await call('POST', url, typo);
      assert.equal(res.statusCode, 422, res.body);
      const { error } = res.json();
      assert.equal(error.code, 'EARLY_REPAYMENT_EXCEEDS_DEBT');
      assert.equal(error.details.fields[0].field, 'amount');
      assert.deepEqual(error.details.fields[0].params, { remainingDebt: '40662.04' });
      assert.doesNotMatch(error.message, /payment \d/);
    }
    assert.equal((await call('GET', `${BLOCKS}/${id}`)).json().earlyRepayments.length, 0, 'nothing stored');

    const payoff = await call('POST', `${BLOCKS}/${id}/early-repayments`, { ...typo, amount: '40662.04' });
    assert.equal(payoff.statusCode, 201, payoff.body);
    assert.equal(payoff.json().progress.remainingPrincipal, '0.00');
    assert.equal(payoff.json().progress.payoffDate, '2026-01-14');
  });
});
