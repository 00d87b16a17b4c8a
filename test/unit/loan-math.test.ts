import { Decimal, dec } from '../../src/common/decimal.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import {
  annuityPayment,
  buildSchedule,
  interestByDays,
  loanProgress,
  LoanTermsError,
  termMonthsUntil,
  type EarlyRepayment,
  type LoanHistory,
  type LoanSchedule,
  type LoanTerms,
  type PaidPayment,
  type ScheduleRow,
} from '../../src/server/modules/obligations/loan-math.js';

// Textbook terms (interest B·R/12 a period). Payment days do not move, so the dates are those of the
// worked example of LOANS.md.
const textbook: LoanTerms = {
  principal: '1000000.00',
  annualRatePercent: '12',
  termMonths: 12,
  issueDate: '2024-01-15',
  paymentDay: 15,
  paymentType: 'annuity',
  interestMethod: 'monthly',
  paymentShift: 'none',
};

const mortgage: LoanTerms = { ...textbook, principal: '3000000.00', termMonths: 120 };

function scheduled(schedule: LoanSchedule): ScheduleRow[] {
  return schedule.rows.filter((row) => row.kind === 'scheduled');
}

function row(schedule: LoanSchedule, number: number): ScheduleRow {
  const found = schedule.rows.find((r) => r.number === number);
  assert.ok(found, `payment ${number} is in the schedule`);
  return found;
}

function lastRow(schedule: LoanSchedule): ScheduleRow {
  const last = schedule.rows.at(-1);
  assert.ok(last);
  return last;
}

function sumOf(rows: readonly ScheduleRow[], field: 'payment' | 'interest' | 'principal'): string {
  return rows.reduce((total, r) => total.plus(r[field]), dec(0)).toFixed(2);
}

function earlyAfter(
  schedule: LoanSchedule,
  number: number,
  amount: string,
  mode: EarlyRepayment['mode'],
): LoanHistory {
  return { earlyRepayments: [{ date: row(schedule, number).date, amount, mode }] };
}

/**
 * An independent textbook amortisation for the cross-checks: plain Decimal, (1+r)^n by Decimal.pow (exact
 * for r = 0.01), no dates, one early repayment right after payment `after`.
 */
function textbookReference(
  principal: string,
  ratePercent: string,
  months: number,
  early?: { after: number; amount: string; mode: EarlyRepayment['mode'] },
): { payments: Decimal[]; totalInterest: Decimal } {
  const r = dec(ratePercent).div(1200);
  const annuity = (balance: Decimal, m: number): Decimal => {
    const growth = r.plus(1).pow(m);
    return balance.times(r).times(growth).div(growth.minus(1)).round(2, 'half-up');
  };
  let balance = dec(principal);
  let payment = annuity(balance, months);
  const payments: Decimal[] = [];
  let totalInterest = dec(0);
  for (let k = 1; balance.gt(0); k++) {
    const interest = balance.times(r).round(2, 'half-up');
    const last = k === months || payment.minus(interest).gte(balance);
    const principalPart = last ? balance : payment.minus(interest);
    payments.push(principalPart.plus(interest));
    totalInterest = totalInterest.plus(interest);
    balance = balance.minus(principalPart);
    if (early && k === early.after) {
      balance = balance.minus(early.amount);
      if (early.mode === 'reduce_payment') payment = annuity(balance, months - k);
    }
  }
  return { payments, totalInterest };
}

/** Invariants every schedule keeps, whatever the terms: exact sums and a balance chain ending at 0. */
function assertConsistent(schedule: LoanSchedule): void {
  let balance = dec(schedule.principal);
  for (const r of schedule.rows) {
    assert.equal(dec(r.interest).plus(r.principal).toFixed(2), r.payment, `row ${r.date} payment = I + P`);
    balance = balance.minus(r.principal);
    assert.equal(balance.toFixed(2), r.balance, `row ${r.date} balance`);
  }
  assert.equal(lastRow(schedule).balance, '0.00');
  assert.equal(sumOf(schedule.rows, 'principal'), schedule.principal);
  assert.equal(sumOf(schedule.rows, 'payment'), schedule.totals.totalPaid);
  assert.equal(sumOf(schedule.rows, 'interest'), schedule.totals.totalInterest);
  assert.equal(schedule.totals.payoffDate, lastRow(schedule).date);
}

void describe('annuity, textbook method (LOANS.md worked example)', () => {
  const schedule = buildSchedule(textbook);

  void it('sizes the payment A = round(P·r/(1−(1+r)^−n))', () => {
    assert.equal(annuityPayment(dec('1000000'), dec('12'), 12).toFixed(2), '88848.79');
    assert.equal(row(schedule, 1).payment, '88848.79');
  });

  const rows: [number, { interest: string; principal?: string; balance?: string; payment?: string }][] = [
    [1, { interest: '10000.00', principal: '78848.79', balance: '921151.21' }],
    [2, { interest: '9211.51', balance: '841513.93' }],
    [3, { interest: '8415.14', balance: '761080.28' }],
    [12, { interest: '879.69', payment: '88848.76', balance: '0.00' }],
  ];
  for (const [number, expected] of rows) {
    void it(`row ${number}`, () => {
      const actual = row(schedule, number);
      for (const [field, value] of Object.entries(expected)) {
        assert.equal(actual[field as keyof typeof expected], value, `row ${number} ${field}`);
      }
    });
  }

  void it('totals, with the last payment absorbing the residue', () => {
    assert.deepEqual(schedule.totals, {
      totalPaid: '1066185.45',
      totalInterest: '66185.45',
      payoffDate: '2025-01-15',
      paymentCount: 12,
    });
    assert.deepEqual(schedule.baseline, schedule.totals);
    assert.equal(schedule.interestSaved, '0.00');
    assertConsistent(schedule);
  });
});

void describe('differentiated, textbook method', () => {
  const schedule = buildSchedule({ ...textbook, paymentType: 'differentiated' });

  void it('D = round(P/n), the last part absorbs the rounding', () => {
    assert.equal(row(schedule, 1).principal, '83333.33');
    assert.equal(row(schedule, 1).payment, '93333.33');
    assert.equal(row(schedule, 12).principal, '83333.37');
    assert.equal(row(schedule, 12).payment, '84166.70');
    assert.equal(sumOf(schedule.rows, 'principal'), '1000000.00');
  });

  void it('total interest P·r·(n+1)/2 = 65 000.00', () => {
    assert.equal(schedule.totals.totalInterest, '65000.00');
    assertConsistent(schedule);
  });
});

void describe('early repayment of 200 000 right after payment 3 (worked example)', () => {
  const plain = buildSchedule(textbook);
  const cases: {
    mode: EarlyRepayment['mode'];
    payment: string;
    lastNumber: number;
    lastPayment: string;
    totalInterest: string;
    saved: string;
  }[] = [
    {
      mode: 'reduce_term',
      payment: '88848.79',
      lastNumber: 10,
      lastPayment: '49488.92',
      totalInterest: '49128.03',
      saved: '17057.42',
    },
    {
      mode: 'reduce_payment',
      payment: '65500.72',
      lastNumber: 12,
      lastPayment: '65500.68',
      totalInterest: '56052.81',
      saved: '10132.64',
    },
  ];
  for (const c of cases) {
    void it(c.mode, () => {
      const schedule = buildSchedule(textbook, earlyAfter(plain, 3, '200000.00', c.mode));
      const early = schedule.rows[3];
      assert.deepEqual(early, {
        number: null,
        date: '2024-04-15',
        kind: 'early',
        payment: '200000.00',
        interest: '0.00',
        principal: '200000.00',
        balance: '561080.28',
        paid: true,
        overdueDays: 0,
        penalty: '0.00',
      });
      assert.equal(row(schedule, 4).payment, c.payment);
      assert.equal(lastRow(schedule).number, c.lastNumber);
      assert.equal(lastRow(schedule).payment, c.lastPayment);
      assert.equal(schedule.totals.totalInterest, c.totalInterest);
      assert.equal(schedule.totals.paymentCount, c.lastNumber);
      assert.equal(schedule.baseline.totalInterest, '66185.45');
      assert.equal(schedule.interestSaved, c.saved);
      assertConsistent(schedule);
    });
  }
});

void describe('3 000 000.00 at 12 % for 120 months', () => {
  const schedule = buildSchedule(mortgage);

  void it('payment, last payment, total interest', () => {
    assert.equal(row(schedule, 1).payment, '43041.28');
    assert.equal(row(schedule, 120).payment, '43042.33');
    assert.equal(schedule.totals.totalInterest, '2164954.65');
    assert.equal(lastRow(schedule).balance, '0.00');
    assertConsistent(schedule);
  });

  void it('agrees with an independent calculation', () => {
    const reference = textbookReference('3000000.00', '12', 120);
    assert.deepEqual(
      scheduled(schedule).map((r) => r.payment),
      reference.payments.map((p) => p.toFixed(2)),
    );
    assert.equal(schedule.totals.totalInterest, reference.totalInterest.toFixed(2));
  });

  // 500 000 on payment 13's date (2025-02-15), balance then 2 819 908.68 → 2 319 908.68, 107 left.
  const cases: {
    mode: EarlyRepayment['mode'];
    payment: string;
    lastNumber: number;
    lastPayment: string;
    totalInterest: string;
    saved: string;
  }[] = [
    {
      mode: 'reduce_term',
      payment: '43041.28',
      lastNumber: 91, // m' = ceil(−ln(1 − B'·r/A)/ln(1+r)) = 78 after payment 13
      lastPayment: '35386.95',
      totalInterest: '1409102.15',
      saved: '755852.50',
    },
    {
      mode: 'reduce_payment',
      payment: '35409.60', // A' = round(B'·r/(1−(1+r)^−107))
      lastNumber: 120,
      lastPayment: '35410.53',
      totalInterest: '1848364.77',
      saved: '316589.88',
    },
  ];
  for (const c of cases) {
    void it(`early repayment of 500 000 in month 13, ${c.mode}`, () => {
      const result = buildSchedule(mortgage, earlyAfter(schedule, 13, '500000.00', c.mode));
      assert.equal(row(result, 13).balance, '2819908.68');
      assert.equal(result.rows[13]?.balance, '2319908.68');
      assert.equal(row(result, 14).payment, c.payment);
      assert.equal(lastRow(result).number, c.lastNumber);
      assert.equal(lastRow(result).payment, c.lastPayment);
      assert.equal(result.totals.totalInterest, c.totalInterest);
      assert.equal(result.interestSaved, c.saved);
      assertConsistent(result);

      const reference = textbookReference('3000000.00', '12', 120, {
        after: 13,
        amount: '500000.00',
        mode: c.mode,
      });
      assert.deepEqual(
        scheduled(result).map((r) => r.payment),
        reference.payments.map((p) => p.toFixed(2)),
      );
      assert.equal(result.totals.totalInterest, reference.totalInterest.toFixed(2));
    });
  }

  void it("reduce_term ends where the closed form m' says", () => {
    const [balance, payment, r] = [2319908.68, 43041.28, 0.01]; // floats only to count months
    const remaining = Math.ceil(-Math.log(1 - (balance * r) / payment) / Math.log(1 + r));
    assert.equal(13 + remaining, 91);
  });
});

void describe('early repayments, differentiated', () => {
  const terms: LoanTerms = { ...textbook, paymentType: 'differentiated' };
  const plain = buildSchedule(terms);
  // After payment 3 the balance is 750 000.01; 200 000 leaves 550 000.01 with 9 payments left.
  void it('reduce_payment: D′ = round(B′/m), the last part absorbs', () => {
    const schedule = buildSchedule(terms, earlyAfter(plain, 3, '200000.00', 'reduce_payment'));
    assert.equal(row(schedule, 4).principal, '61111.11');
    assert.equal(row(schedule, 12).principal, '61111.13');
    assertConsistent(schedule);
  });

  void it('reduce_term: D stays, m′ = ceil(B′/D) = 7', () => {
    const schedule = buildSchedule(terms, earlyAfter(plain, 3, '200000.00', 'reduce_term'));
    assert.equal(row(schedule, 4).principal, '83333.33');
    assert.equal(lastRow(schedule).number, 10);
    assert.equal(lastRow(schedule).principal, '50000.03');
    assertConsistent(schedule);
  });
});

void describe('early repayment between payment dates', () => {
  void it('days: covers interest accrued since the last payment, the next payment accrues from it', () => {
    const terms: LoanTerms = { ...textbook, interestMethod: 'days' };
    const history: LoanHistory = {
      earlyRepayments: [{ date: '2024-03-01', amount: '100000.00', mode: 'reduce_payment' }],
    };
    const schedule = buildSchedule(terms, history);
    const b1 = dec(row(schedule, 1).balance);
    const early = schedule.rows[1];
    assert.equal(early?.kind, 'early');
    // 15 Feb → 1 Mar 2024 is 15 days: I = B·R·d/366
    const accrued = b1.times(12).times(15).div(36600).round(2, 'half-up');
    assert.equal(early.interest, accrued.toFixed(2));
    assert.equal(early.principal, dec('100000').minus(accrued).toFixed(2));
    const b2 = dec(early.balance);
    assert.equal(
      row(schedule, 2).interest,
      interestByDays(b2, dec(12), '2024-03-01', '2024-03-15').toFixed(2),
    );
    assert.equal(row(schedule, 2).payment, annuityPayment(b2, dec(12), 11).toFixed(2));
    assertConsistent(schedule);
  });

  void it('monthly: the period interest B·r is split pro rata by days, I = B·r·d/D', () => {
    const history: LoanHistory = {
      earlyRepayments: [{ date: '2024-03-01', amount: '100000.00', mode: 'reduce_term' }],
    };
    const schedule = buildSchedule(textbook, history);
    const b1 = dec('921151.21');
    const early = schedule.rows[1];
    // the period 15 Feb → 15 Mar 2024 has 29 days, 15 of them before the repayment
    assert.equal(early?.interest, b1.times('0.01').times(15).div(29).round(2, 'half-up').toFixed(2));
    const b2 = dec(early.balance);
    assert.equal(
      row(schedule, 2).interest,
      b2.times('0.01').times(14).div(29).round(2, 'half-up').toFixed(2),
    );
    assert.equal(row(schedule, 2).payment, '88848.79');
    assertConsistent(schedule);
  });

  void it('recorded history above the debt closes the loan, the excess not taken; a later one is after close', () => {
    const history: LoanHistory = {
      earlyRepayments: [{ date: '2024-04-15', amount: '999999.00', mode: 'reduce_term' }],
    };
    const schedule = buildSchedule(textbook, history);
    assert.deepEqual(lastRow(schedule), {
      number: null,
      date: '2024-04-15',
      kind: 'early',
      payment: '761080.28',
      interest: '0.00',
      principal: '761080.28',
      balance: '0.00',
      paid: true,
      overdueDays: 0,
      penalty: '0.00',
    });
    assert.equal(schedule.totals.paymentCount, 3);
    assert.equal(schedule.totals.payoffDate, '2024-04-15');
    assert.equal(schedule.interestSaved, dec('66185.45').minus('27626.65').toFixed(2));
    assertConsistent(schedule);

    const later = { date: '2024-05-01', amount: '1000.00', mode: 'reduce_term' } as const;
    assert.throws(
      () => buildSchedule(textbook, { earlyRepayments: [...(history.earlyRepayments ?? []), later] }),
      (error) => error instanceof LoanTermsError && error.field === 'earlyRepayments[1].date',
    );
  });

  void it('several repayments in one period apply in date order', () => {
    const history: LoanHistory = {
      earlyRepayments: [
        { date: '2024-03-10', amount: '50000.00', mode: 'reduce_payment' },
        { date: '2024-03-01', amount: '50000.00', mode: 'reduce_term' },
      ],
    };
    const schedule = buildSchedule({ ...textbook, interestMethod: 'days' }, history);
    assert.deepEqual(
      schedule.rows.slice(0, 4).map((r) => [r.kind, r.date]),
      [
        ['scheduled', '2024-02-15'],
        ['early', '2024-03-01'],
        ['early', '2024-03-10'],
        ['scheduled', '2024-03-15'],
      ],
    );
    assertConsistent(schedule);
  });
});

// 120 000.00 at 12 % for 3 months by actual days, issued Monday 3 November 2025, paid on the 3rd.
// A = round(120 000 · 0.01 · 1.01³ / (1.01³ − 1)) = round(40 802.6534) = 40 802.65.
const dueOnJanuary3: LoanTerms = {
  principal: '120000.00',
  annualRatePercent: '12',
  termMonths: 3,
  issueDate: '2025-11-03',
  paymentDay: 3,
  paymentType: 'annuity',
  interestMethod: 'days',
};

void describe('a payment due on 3 January (the holidays of 2026)', () => {
  // 3 January 2026 is a Saturday inside the holidays (1–8 January), 9 January is the day off moved
  // from 3 January, 10–11 January are the weekend: the first working day is Monday 12 January.
  // Payment 1, 3 Nov → 3 Dec 2025, 30 days: 120 000 · 12 · 30 / 36 500 = 1 183.5616 → 1 183.56;
  // principal 40 802.65 − 1 183.56 = 39 619.09, balance 80 380.91. The same in every mode.
  const first = {
    number: 1,
    date: '2025-12-03',
    payment: '40802.65',
    interest: '1183.56',
    principal: '39619.09',
    balance: '80380.91',
  };
  const cases: {
    shift: LoanTerms['paymentShift'];
    rows: Omit<typeof first, 'number'>[];
    totalInterest: string;
  }[] = [
    {
      shift: undefined, // the default: the next working day
      rows: [
        // 3 Dec 2025 → 12 Jan 2026: 28 days of 2025 and 12 of 2026, each part rounded:
        // 80 380.91 · 12 · 28 / 36 500 = 739.9448 → 739.94; · 12 / 36 500 = 317.1192 → 317.12.
        {
          date: '2026-01-12',
          payment: '40802.65',
          interest: '1057.06',
          principal: '39745.59',
          balance: '40635.32',
        },
        // 12 Jan → 3 Feb, 22 days: 40 635.32 · 12 · 22 / 36 500 = 293.9103 → 293.91; the last takes the rest.
        {
          date: '2026-02-03',
          payment: '40929.23',
          interest: '293.91',
          principal: '40635.32',
          balance: '0.00',
        },
      ],
      totalInterest: '2534.53',
    },
    {
      shift: 'none',
      rows: [
        // 3 Dec → 3 Jan: 28 days of 2025 (739.94) and 3 of 2026: 80 380.91 · 12 · 3 / 36 500 = 79.2798 → 79.28.
        {
          date: '2026-01-03',
          payment: '40802.65',
          interest: '819.22',
          principal: '39983.43',
          balance: '40397.48',
        },
        // 3 Jan → 3 Feb, 31 days: 40 397.48 · 12 · 31 / 36 500 = 411.7223 → 411.72.
        {
          date: '2026-02-03',
          payment: '40809.20',
          interest: '411.72',
          principal: '40397.48',
          balance: '0.00',
        },
      ],
      totalInterest: '2414.50',
    },
    {
      shift: 'previous',
      rows: [
        // 31 December 2025 was off too (moved from 5 January): back to Tuesday 30 December, 27 days:
        // 80 380.91 · 12 · 27 / 36 500 = 713.5182 → 713.52.
        {
          date: '2025-12-30',
          payment: '40802.65',
          interest: '713.52',
          principal: '40089.13',
          balance: '40291.78',
        },
        // 30 Dec → 3 Feb: 1 day of 2025 (13.2469 → 13.25) and 34 of 2026 (450.3764 → 450.38).
        {
          date: '2026-02-03',
          payment: '40755.41',
          interest: '463.63',
          principal: '40291.78',
          balance: '0.00',
        },
      ],
      totalInterest: '2360.71',
    },
  ];
  for (const c of cases) {
    void it(`${c.shift ?? 'next (default)'}: payment 2 on ${c.rows[0]!.date}, principal repaid exactly`, () => {
      const schedule = buildSchedule({ ...dueOnJanuary3, paymentShift: c.shift });
      const expected = [first, ...c.rows.map((r, i) => ({ number: i + 2, ...r }))].map((r) => ({
        ...r,
        kind: 'scheduled',
        paid: false,
        overdueDays: 0,
        penalty: '0.00',
      }));
      assert.deepEqual(schedule.rows, expected);
      assert.equal(sumOf(schedule.rows, 'principal'), '120000.00');
      assert.equal(schedule.totals.totalInterest, c.totalInterest);
      assertConsistent(schedule);
    });
  }
});

void describe('penalty for overdue payments', () => {
  // The 3 January credit with a penalty of 36.5 % a year, which is the "0.1 % a day" of contracts.
  const terms: LoanTerms = { ...dueOnJanuary3, penaltyRatePercent: '36.5' };

  void it('a payment paid 5 days late: 40 802.65 · 36.5 · 5 / 36 500 = 204.01', () => {
    const schedule = buildSchedule(terms, {
      payments: [{ number: 1, date: '2025-12-08', amount: '40802.65' }],
    });
    assert.equal(row(schedule, 1).overdueDays, 5);
    assert.equal(row(schedule, 1).penalty, '204.01');
    assert.equal(schedule.penalty, '204.01');
    // The penalty is owed on top: the balance and the interest do not change.
    assert.equal(row(schedule, 1).balance, '80380.91');
    assertConsistent(schedule);
  });

  void it('an unpaid payment accrues through today, split at the new year; on time none', () => {
    const schedule = buildSchedule(
      terms,
      { payments: [{ number: 1, date: '2025-12-03', amount: '40802.65' }] },
      { today: '2026-01-14' },
    );
    assert.equal(row(schedule, 1).overdueDays, 0);
    assert.equal(row(schedule, 1).penalty, '0.00');
    // Payment 2 was due on 12 January: 2 days late on the 14th, 40 802.65 · 0.1 % · 2 = 81.61.
    assert.equal(row(schedule, 2).overdueDays, 2);
    assert.equal(row(schedule, 2).penalty, '81.61');
    assert.equal(row(schedule, 3).penalty, '0.00');
    assert.equal(loanProgress(schedule, '2026-01-14').penalty, '81.61');
    assert.equal(loanProgress(schedule, '2026-01-14').overduePayments, 1);
  });

  void it('without a rate the days late are still counted, the penalty is 0.00', () => {
    const schedule = buildSchedule({ ...terms, penaltyRatePercent: null }, {}, { today: '2025-12-10' });
    assert.equal(row(schedule, 1).overdueDays, 7);
    assert.equal(row(schedule, 1).penalty, '0.00');
    assert.equal(schedule.penalty, '0.00');
  });
});

void describe('an early repayment above the debt', () => {
  const early = (amount: string): LoanHistory => ({
    earlyRepayments: [{ date: '2024-04-15', amount, mode: 'reduce_term' }],
  });

  void it('is refused with the remaining debt when asked to refuse', () => {
    assert.throws(
      () => buildSchedule(textbook, early('7610802.80'), { refuseExcess: true }),
      (error) =>
        error instanceof LoanTermsError &&
        error.field === 'earlyRepayments[0].amount' &&
        error.params?.remainingDebt === '761080.28' &&
        !/payment \d/.test(error.message),
    );
  });

  void it('exactly the debt is the payoff', () => {
    const schedule = buildSchedule(textbook, early('761080.28'), { refuseExcess: true });
    assert.equal(lastRow(schedule).balance, '0.00');
    assert.equal(lastRow(schedule).kind, 'early');
    assert.equal(schedule.totals.payoffDate, '2024-04-15');
  });
});

void describe('interest by actual days', () => {
  const cases: [string, string, string, string][] = [
    // a period crossing 31 December: 16 days / 365 + 15 days / 366, each part rounded
    ['2023-12-15', '2024-01-15', '10178.30', '5260.27 + 4918.03'],
    ['2023-11-30', '2023-12-31', '10191.78', '31 days / 365'],
    ['2023-12-31', '2024-01-31', '10163.93', '31 days / 366, 1 January counted'],
    ['2024-02-15', '2024-03-15', '9508.20', '29 days of a leap February / 366'],
    ['2024-12-15', '2025-01-15', '10177.41', '16 / 366 + 15 / 365'],
    ['2024-03-15', '2024-03-15', '0.00', 'no days'],
  ];
  for (const [from, to, expected, why] of cases) {
    void it(`${from} → ${to}: ${why}`, () => {
      assert.equal(interestByDays(dec('1000000'), dec('12'), from, to).toFixed(2), expected);
    });
  }

  void it('in a schedule, the period crossing the new year is split', () => {
    const schedule = buildSchedule({ ...textbook, issueDate: '2023-11-15', interestMethod: 'days' });
    assert.equal(row(schedule, 1).date, '2023-12-15');
    assert.equal(row(schedule, 1).interest, '9863.01'); // 30 days / 365
    const b1 = dec(row(schedule, 1).balance);
    const split = (days: number, year: number): Decimal =>
      b1.times(12).times(days).div(year).round(2, 'half-up');
    assert.equal(row(schedule, 2).interest, split(16, 36500).plus(split(15, 36600)).toFixed(2));
    assert.equal(row(schedule, 2).interest, '9374.37');
    assert.notEqual(lastRow(schedule).payment, row(schedule, 1).payment);
    assertConsistent(schedule);
  });
});

void describe('payment dates', () => {
  // 15 June 2024 is a Saturday; the move to the next working day is the default, so the terms leave it out.
  const terms: LoanTerms = {
    principal: '1000000.00',
    annualRatePercent: '12',
    termMonths: 12,
    issueDate: '2024-05-15',
    paymentDay: 15,
    paymentType: 'annuity',
    interestMethod: 'days',
  };
  const days = (d: number): string => dec('1000000').times(12).times(d).div(36600).round(2).toFixed(2);

  void it('a Saturday payment moves to Monday and interest runs to that Monday', () => {
    const schedule = buildSchedule(terms);
    assert.equal(row(schedule, 1).date, '2024-06-17');
    assert.equal(row(schedule, 1).interest, days(33)); // 15 May → 17 June
    const b1 = dec(row(schedule, 1).balance);
    assert.equal(
      row(schedule, 2).interest,
      interestByDays(b1, dec(12), '2024-06-17', '2024-07-15').toFixed(2),
    );
    assertConsistent(schedule);
  });

  void it('"previous" moves it to Friday, "none" keeps Saturday', () => {
    assert.equal(row(buildSchedule({ ...terms, paymentShift: 'previous' }), 1).date, '2024-06-14');
    assert.equal(row(buildSchedule({ ...terms, paymentShift: 'none' }), 1).interest, days(31));
    assert.equal(row(buildSchedule({ ...terms, paymentShift: 'none' }), 1).date, '2024-06-15');
  });

  void it('holidays and transferred days off move a payment too, working Saturdays do not', () => {
    const dates = (issueDate: string, paymentDay: number, paymentShift: LoanTerms['paymentShift']) =>
      row(buildSchedule({ ...terms, issueDate, paymentDay, paymentShift }), 1).date;
    // 12 June 2025 (Thursday) and the transferred 13 June are off; 14–15 June are the weekend.
    assert.equal(dates('2025-05-12', 12, 'next'), '2025-06-16');
    assert.equal(dates('2025-05-12', 12, 'previous'), '2025-06-11');
    // Saturday 1 November 2025 was a working day (its day off moved to Monday 3 November).
    assert.equal(dates('2025-10-01', 1, 'next'), '2025-11-01');
    assert.equal(dates('2025-10-03', 3, 'next'), '2025-11-05');
    // 8 May 2025 (Thursday) was off, moved from 23 February.
    assert.equal(dates('2025-04-08', 8, 'next'), '2025-05-12');
  });

  void it('"previous" never moves the first payment onto or before the issue date', () => {
    // 1 January 2026 is a holiday; the working day before it, 30 December 2025, is the issue day.
    for (const interestMethod of ['monthly', 'days'] as const) {
      for (const issueDate of ['2025-12-30', '2025-12-31']) {
        const schedule = buildSchedule({
          ...terms,
          issueDate,
          paymentDay: 1,
          interestMethod,
          paymentShift: 'previous',
        });
        assert.equal(row(schedule, 1).date, '2026-01-12', `${interestMethod} from ${issueDate}`);
        assert.equal(row(schedule, 2).date, '2026-01-30');
        assert.notEqual(row(schedule, 1).interest, '0.00');
        assertConsistent(schedule);
      }
    }
  });

  void it('payment day 31 clamps to the month end, then shifts off the weekend', () => {
    const dates = (issueDate: string, paymentShift: LoanTerms['paymentShift']): string[] =>
      buildSchedule({ ...textbook, issueDate, paymentDay: 31, termMonths: 4, paymentShift }).rows.map(
        (r) => r.date,
      );
    assert.deepEqual(dates('2024-01-31', 'none'), ['2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31']);
    assert.deepEqual(dates('2023-01-31', 'none'), ['2023-02-28', '2023-03-31', '2023-04-30', '2023-05-31']);
    // 31 March 2024 is a Sunday; 30 April 2024 was a day off (moved from Saturday 2 November).
    assert.deepEqual(dates('2024-01-31', 'next'), ['2024-02-29', '2024-04-01', '2024-05-02', '2024-05-31']);
  });

  void it('the term can be derived from a close date', () => {
    assert.equal(termMonthsUntil('2024-01-15', '2025-01-15'), 12);
    assert.equal(termMonthsUntil('2024-01-31', '2054-01-31'), 360);
    assert.equal(termMonthsUntil('2024-01-15', '2024-02-01'), 1);
  });
});

void describe('edge cases', () => {
  const cases: [string, LoanTerms, string[], string][] = [
    [
      '0 % annuity',
      { ...textbook, principal: '1000.00', termMonths: 3, annualRatePercent: '0' },
      ['333.33', '333.33', '333.34'],
      '0.00',
    ],
    [
      '0 % differentiated, by days',
      {
        ...textbook,
        principal: '1000.00',
        termMonths: 3,
        annualRatePercent: '0',
        paymentType: 'differentiated',
        interestMethod: 'days',
      },
      ['333.33', '333.33', '333.34'],
      '0.00',
    ],
    ['one month, annuity', { ...textbook, principal: '1000.00', termMonths: 1 }, ['1010.00'], '10.00'],
    [
      'one month, differentiated',
      { ...textbook, principal: '1000.00', termMonths: 1, paymentType: 'differentiated' },
      ['1010.00'],
      '10.00',
    ],
    // 10 Jan → 10 Feb 2024 is 31 days: 1000·12·31/36600 = 10.16
    [
      'one month, by days',
      {
        ...textbook,
        principal: '1000.00',
        termMonths: 1,
        issueDate: '2024-01-10',
        paymentDay: 10,
        interestMethod: 'days',
      },
      ['1010.16'],
      '10.16',
    ],
    [
      'fractional rate',
      { ...textbook, principal: '100000.00', annualRatePercent: '9.75', termMonths: 1 },
      ['100812.50'],
      '812.50',
    ],
  ];
  for (const [name, terms, payments, interest] of cases) {
    void it(name, () => {
      const schedule = buildSchedule(terms);
      assert.deepEqual(
        schedule.rows.map((r) => r.payment),
        payments,
      );
      assert.equal(schedule.totals.totalInterest, interest);
      assertConsistent(schedule);
    });
  }

  const shapes: LoanTerms[] = [
    { ...mortgage, interestMethod: 'days', issueDate: '2023-12-29', paymentDay: 29 },
    {
      ...mortgage,
      interestMethod: 'days',
      paymentType: 'differentiated',
      paymentDay: 31,
      paymentShift: 'next',
    },
    {
      ...mortgage,
      annualRatePercent: '9.75',
      termMonths: 360,
      principal: '8500000.01',
      paymentShift: 'previous',
    },
    {
      ...mortgage,
      annualRatePercent: '0.1',
      principal: '0.05',
      termMonths: 7,
      paymentType: 'differentiated',
    },
  ];
  shapes.forEach((terms, i) => {
    void it(`schedule shape ${i + 1} is consistent and ends at 0.00`, () => {
      const schedule = buildSchedule(terms);
      assert.ok(schedule.totals.paymentCount <= terms.termMonths);
      assertConsistent(schedule);
    });
  });
});

void describe('paid payments and progress', () => {
  const plain = buildSchedule(textbook);
  const paid = (numbers: number[]): PaidPayment[] =>
    numbers.map((number) => ({ number, date: row(plain, number).date, amount: row(plain, number).payment }));
  const schedule = buildSchedule(textbook, {
    payments: paid([1, 2, 3]),
    earlyRepayments: [{ date: '2024-04-15', amount: '200000.00', mode: 'reduce_term' }],
  });

  void it('marks the rows paid', () => {
    assert.deepEqual(
      schedule.rows.map((r) => r.paid),
      [true, true, true, true, false, false, false, false, false, false, false],
    );
  });

  void it('progress as of a day before the next payment', () => {
    assert.deepEqual(loanProgress(schedule, '2024-05-01'), {
      paidTotal: '466546.37',
      paidInterest: '27626.65',
      paidPrincipal: '438919.72',
      remainingPrincipal: '561080.28',
      percentRepaid: '43.89',
      nextPayment: { number: 4, date: '2024-05-15', amount: '88848.79', daysUntil: 14 },
      overduePayments: 0,
      payoffDate: '2024-11-15',
      totalInterest: '49128.03',
      interestSaved: '17057.42',
      penalty: '0.00',
    });
  });

  void it('unpaid payments in the past are overdue; the next one is due today or later', () => {
    const progress = loanProgress(schedule, '2024-06-15');
    assert.equal(progress.overduePayments, 1);
    assert.deepEqual(progress.nextPayment, {
      number: 5,
      date: '2024-06-15',
      amount: '88848.79',
      daysUntil: 0,
    });
  });

  void it('no next payment once everything is paid', () => {
    const all = buildSchedule(textbook, { payments: paid([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) });
    const progress = loanProgress(all, '2025-02-01');
    assert.equal(progress.nextPayment, null);
    assert.equal(progress.percentRepaid, '100.00');
    assert.equal(progress.remainingPrincipal, '0.00');
    assert.equal(progress.paidTotal, '1066185.45');
  });

  void it('an amount paid above the due payment lowers the balance; the last payment absorbs it', () => {
    const over = buildSchedule(textbook, {
      payments: [{ number: 1, date: '2024-02-15', amount: '100000.00' }],
    });
    assert.equal(row(over, 1).principal, '90000.00');
    assert.equal(row(over, 2).payment, '88848.79');
    assert.ok(dec(lastRow(over).payment).lt('88848.79'));
    assert.ok(dec(over.interestSaved).gt(0));
    assertConsistent(over);
  });

  void it('a last payment paid in full regular amount counts only what was due', () => {
    const payments = [
      ...paid([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      { number: 12, date: '2025-01-15', amount: '88848.79' },
    ];
    assert.equal(row(buildSchedule(textbook, { payments }), 12).payment, '88848.76');
  });
});

void describe('invalid terms and history throw LoanTermsError naming the field', () => {
  const cases: [string, () => unknown, string][] = [
    ['zero principal', () => buildSchedule({ ...textbook, principal: '0.00' }), 'principal'],
    ['negative principal', () => buildSchedule({ ...textbook, principal: '-1.00' }), 'principal'],
    ['sub-kopeck principal', () => buildSchedule({ ...textbook, principal: '1.005' }), 'principal'],
    ['exponent principal', () => buildSchedule({ ...textbook, principal: '1e6' }), 'principal'],
    ['negative rate', () => buildSchedule({ ...textbook, annualRatePercent: '-0.5' }), 'annualRatePercent'],
    ['zero term', () => buildSchedule({ ...textbook, termMonths: 0 }), 'termMonths'],
    ['fractional term', () => buildSchedule({ ...textbook, termMonths: 1.5 }), 'termMonths'],
    ['payment day 0', () => buildSchedule({ ...textbook, paymentDay: 0 }), 'paymentDay'],
    ['payment day 32', () => buildSchedule({ ...textbook, paymentDay: 32 }), 'paymentDay'],
    ['30 February', () => buildSchedule({ ...textbook, issueDate: '2024-02-30' }), 'issueDate'],
    ['unpadded date', () => buildSchedule({ ...textbook, issueDate: '2024-2-3' }), 'issueDate'],
    [
      'unknown payment type',
      () => buildSchedule({ ...textbook, paymentType: 'bullet' as LoanTerms['paymentType'] }),
      'paymentType',
    ],
    [
      'early repayment before issue',
      () =>
        buildSchedule(textbook, {
          earlyRepayments: [{ date: '2024-01-14', amount: '100.00', mode: 'reduce_term' }],
        }),
      'earlyRepayments[0].date',
    ],
    [
      'early repayment after close',
      () =>
        buildSchedule(textbook, {
          earlyRepayments: [{ date: '2025-01-16', amount: '100.00', mode: 'reduce_term' }],
        }),
      'earlyRepayments[0].date',
    ],
    [
      'early repayment of 0',
      () =>
        buildSchedule(textbook, {
          earlyRepayments: [{ date: '2024-03-01', amount: '0.00', mode: 'reduce_term' }],
        }),
      'earlyRepayments[0].amount',
    ],
    [
      'negative early repayment',
      () =>
        buildSchedule(textbook, {
          earlyRepayments: [{ date: '2024-03-01', amount: '-5.00', mode: 'reduce_term' }],
        }),
      'earlyRepayments[0].amount',
    ],
    [
      'early repayment not covering the accrued interest',
      () =>
        buildSchedule(textbook, {
          earlyRepayments: [{ date: '2024-03-01', amount: '100.00', mode: 'reduce_term' }],
        }),
      'earlyRepayments[0].amount',
    ],
    [
      'unknown early repayment mode',
      () =>
        buildSchedule(textbook, {
          earlyRepayments: [
            { date: '2024-03-01', amount: '9000.00', mode: 'skip' as EarlyRepayment['mode'] },
          ],
        }),
      'earlyRepayments[0].mode',
    ],
    [
      'a payment marked paid twice',
      () =>
        buildSchedule(textbook, {
          payments: [
            { number: 1, date: '2024-02-15', amount: '88848.79' },
            { number: 1, date: '2024-02-16', amount: '88848.79' },
          ],
        }),
      'payments[1].number',
    ],
    [
      'a paid payment beyond the end',
      () => buildSchedule(textbook, { payments: [{ number: 13, date: '2025-02-15', amount: '100.00' }] }),
      'payments[0].number',
    ],
    [
      'a paid amount below the interest due',
      () => buildSchedule(textbook, { payments: [{ number: 1, date: '2024-02-15', amount: '9999.99' }] }),
      'payments[0].amount',
    ],
    ['a close date in the issue month', () => termMonthsUntil('2024-01-15', '2024-01-31'), 'closeDate'],
    ['a close date before issue', () => termMonthsUntil('2024-01-15', '2023-12-15'), 'closeDate'],
    ['an invalid today', () => loanProgress(buildSchedule(textbook), '15.01.2024'), 'today'],
  ];
  for (const [name, run, field] of cases) {
    void it(name, () => {
      assert.throws(run, (error) => {
        assert.ok(error instanceof LoanTermsError, `${String(error)} is a LoanTermsError`);
        assert.equal(error.field, field);
        assert.match(error.message, new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `));
        return true;
      });
    });
  }
});

describe('property: any schedule repays exactly the principal', () => {
  void it('the principal parts add up to the loan to the kopeck and the balance ends at 0.00', () => {
    const terms = fc.record({
      principal: fc.integer({ min: 1, max: 10 ** 11 }).map((k) => Decimal.fromMinor(BigInt(k), 2).toFixed(2)),
      annualRatePercent: fc
        .integer({ min: 0, max: 60_000 })
        .map((r) => Decimal.fromMinor(BigInt(r), 3).toFixed()),
      termMonths: fc.integer({ min: 1, max: 360 }),
      issueDate: fc
        .integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2027, 11, 31) })
        .map((ms) => new Date(ms).toISOString().slice(0, 10)),
      paymentDay: fc.integer({ min: 1, max: 31 }),
      paymentType: fc.constantFrom('annuity' as const, 'differentiated' as const),
      interestMethod: fc.constantFrom('days' as const, 'monthly' as const),
      paymentShift: fc.constantFrom('next' as const, 'previous' as const, 'none' as const),
    });
    fc.assert(
      fc.property(terms, (t) => {
        const schedule = buildSchedule(t);
        const principal = schedule.rows.reduce((total, r) => total.plus(r.principal), Decimal.ZERO);
        assert.equal(principal.toFixed(2), t.principal);
        assert.equal(schedule.rows.at(-1)?.balance, '0.00');
        assert.ok(schedule.rows.every((r) => r.date > t.issueDate));
      }),
      { numRuns: 150 },
    );
  });
});
