import { Type, type Static } from 'typebox';
import { CalendarDate, Currency, Decimal, Id, Money, Nullable, Timestamp } from '../../platform/schemas.js';

export const CreditKind = Type.Union(
  [
    Type.Literal('mortgage'),
    Type.Literal('consumer'),
    Type.Literal('car'),
    Type.Literal('credit_card'),
    Type.Literal('private'),
  ],
  { description: 'What the debt is; set explicitly, never guessed from the title' },
);
export type CreditKind = Static<typeof CreditKind>;

const PaymentType = Type.Union([Type.Literal('annuity'), Type.Literal('differentiated')], {
  description: 'annuity: equal payments; differentiated: equal principal parts plus interest on the balance',
});
const InterestMethod = Type.Union([Type.Literal('days'), Type.Literal('monthly')], {
  description:
    'days: actual days between payment dates / 365 or 366 (as Russian banks compute it); monthly: rate/12 per period',
});
const PaymentShift = Type.Union([Type.Literal('next'), Type.Literal('previous'), Type.Literal('none')], {
  description:
    'Where a payment day that is not a working day of the Russian production calendar goes: to the next working day (default), the previous one, or nowhere. Interest runs to the day the payment falls on.',
});
const CreditStatus = Type.Union([Type.Literal('active'), Type.Literal('closed')]);
const EarlyRepaymentMode = Type.Union([Type.Literal('reduce_term'), Type.Literal('reduce_payment')], {
  description: 'reduce_term keeps the payment and ends sooner; reduce_payment keeps the end date',
});

const RatePercent = () => Decimal('Nominal annual rate in percent, decimal string: "12", "9.75"');
const PenaltyRate = () =>
  Type.Union(
    [
      Decimal('Percent a year of the overdue payment per day late; a contract’s "0.1 % a day" is 36.5'),
      Type.Null(),
    ],
    { description: 'Penalty for overdue payments; null or absent: none' },
  );
const TermMonths = () =>
  Type.Integer({ minimum: 1, maximum: 600, description: 'Number of monthly payments' });
const PaymentDay = () =>
  Type.Integer({
    minimum: 1,
    maximum: 31,
    description:
      'Day of the month of each payment (a shorter month uses its last day); default: the issue day',
  });

/** The loan terms the schedule is computed from; give `termMonths` or `closeDate`, not both. */
const termsFields = {
  principal: Money('Amount borrowed'),
  annualRatePercent: RatePercent(),
  termMonths: Type.Optional(TermMonths()),
  closeDate: Type.Optional(
    CalendarDate('Close date instead of termMonths: the last payment falls in its month'),
  ),
  issueDate: CalendarDate('Day the money was received'),
  paymentDay: Type.Optional(PaymentDay()),
  paymentType: Type.Optional(PaymentType),
  interestMethod: Type.Optional(InterestMethod),
  paymentShift: Type.Optional(PaymentShift),
  penaltyRatePercent: Type.Optional(PenaltyRate()),
};

const blockFields = {
  kind: CreditKind,
  title: Type.String({ minLength: 1, maxLength: 200 }),
  currency: Type.Optional(Currency()),
  status: Type.Optional(CreditStatus),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
  ...termsFields,
};

export const CreateBlockBody = Type.Object(blockFields, { additionalProperties: false });
export type CreateBlockBody = Static<typeof CreateBlockBody>;

export const PatchBlockBody = Type.Object(
  {
    kind: Type.Optional(CreditKind),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    currency: Type.Optional(Currency()),
    status: Type.Optional(CreditStatus),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    principal: Type.Optional(Money('Amount borrowed')),
    annualRatePercent: Type.Optional(RatePercent()),
    termMonths: Type.Optional(TermMonths()),
    closeDate: Type.Optional(CalendarDate()),
    issueDate: Type.Optional(CalendarDate()),
    paymentDay: Type.Optional(PaymentDay()),
    paymentType: Type.Optional(PaymentType),
    interestMethod: Type.Optional(InterestMethod),
    paymentShift: Type.Optional(PaymentShift),
    penaltyRatePercent: Type.Optional(PenaltyRate()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchBlockBody = Static<typeof PatchBlockBody>;

const PaymentInput = Type.Object(
  {
    number: Type.Integer({ minimum: 1, maximum: 600, description: 'Scheduled payment number, 1-based' }),
    date: CalendarDate('Day it was paid'),
    amount: Money('Amount paid'),
  },
  { additionalProperties: false },
);
const EarlyRepaymentInput = Type.Object(
  { date: CalendarDate(), amount: Money(), mode: EarlyRepaymentMode },
  { additionalProperties: false },
);

export const PreviewBody = Type.Object(
  {
    ...termsFields,
    payments: Type.Optional(Type.Array(PaymentInput, { maxItems: 600 })),
    earlyRepayments: Type.Optional(Type.Array(EarlyRepaymentInput, { maxItems: 600 })),
  },
  { additionalProperties: false },
);
export type PreviewBody = Static<typeof PreviewBody>;

export const MarkPaidBody = Type.Object(
  {
    number: Type.Integer({ minimum: 1, maximum: 600, description: 'Scheduled payment number' }),
    date: Type.Optional(CalendarDate('Day it was paid; default: its scheduled date')),
    amount: Type.Optional(Money('Amount paid; default: the amount due')),
  },
  { additionalProperties: false },
);
export type MarkPaidBody = Static<typeof MarkPaidBody>;

export const MarkPaidThroughBody = Type.Object(
  {
    number: Type.Integer({ minimum: 1, maximum: 600, description: 'Last scheduled payment number to mark' }),
  },
  { additionalProperties: false },
);

export const EarlyRepaymentBody = EarlyRepaymentInput;
export type EarlyRepaymentBody = Static<typeof EarlyRepaymentBody>;

export const BlockListQuery = Type.Object(
  { status: Type.Optional(CreditStatus) },
  { additionalProperties: false },
);

export const PaymentParams = Type.Object(
  { id: Id('Credit block id'), paymentId: Id('Id of the paid mark') },
  { additionalProperties: false },
);
export const EarlyRepaymentParams = Type.Object(
  { id: Id('Credit block id'), repaymentId: Id('Early repayment id') },
  { additionalProperties: false },
);

const PaymentDto = Type.Object({ id: Id(), number: Type.Integer(), date: CalendarDate(), amount: Money() });
const EarlyRepaymentDto = Type.Object({
  id: Id(),
  date: CalendarDate(),
  amount: Money(),
  mode: EarlyRepaymentMode,
});

export const NextPaymentDto = Type.Object({
  number: Type.Integer(),
  date: CalendarDate(),
  amount: Money(),
  daysUntil: Type.Integer({ description: 'Days from the user’s today' }),
});

export const ProgressDto = Type.Object(
  {
    paidTotal: Money('Scheduled payments marked paid plus early repayments'),
    paidInterest: Money(),
    paidPrincipal: Money(),
    remainingPrincipal: Money('Debt left'),
    remainingPayments: Money('Sum of the unpaid scheduled payments'),
    percentRepaid: Type.String({ description: 'paidPrincipal / principal · 100, 2 places' }),
    nextPayment: Type.Union([NextPaymentDto, Type.Null()], {
      description: 'First unpaid payment due today or later',
    }),
    overduePayments: Type.Integer({ description: 'Unpaid payments due before today' }),
    payoffDate: CalendarDate('Date of the last payment as things stand'),
    totalInterest: Money('Interest over the life of the loan with the recorded history'),
    interestSaved: Money('Interest the early repayments saved against the plain schedule'),
    penalty: Money('Penalties of payments paid late or overdue as of today'),
  },
  { $id: 'CreditProgress' },
);

const TotalsDto = Type.Object({
  totalPaid: Money(),
  totalInterest: Money(),
  payoffDate: CalendarDate(),
  paymentCount: Type.Integer({ description: 'Scheduled payments, early repayments not counted' }),
});

export const CreditBlockDto = Type.Object(
  {
    id: Id(),
    kind: CreditKind,
    title: Type.String(),
    principal: Money(),
    annualRatePercent: Type.String({ description: 'Percent per year' }),
    termMonths: Type.Integer(),
    closeDate: Type.Union([CalendarDate(), Type.Null()], {
      description: 'Set when the loan was entered with a close date',
    }),
    issueDate: CalendarDate(),
    paymentDay: Type.Integer(),
    paymentType: PaymentType,
    interestMethod: InterestMethod,
    paymentShift: PaymentShift,
    penaltyRatePercent: Nullable(Type.String({ description: 'Percent a year; null: no penalty' })),
    currency: Type.String(),
    status: CreditStatus,
    notes: Type.String(),
    payments: Type.Array(PaymentDto, { description: 'Scheduled payments marked paid' }),
    earlyRepayments: Type.Array(EarlyRepaymentDto),
    progress: ProgressDto,
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  },
  { $id: 'CreditBlock' },
);
export type CreditBlockDto = Static<typeof CreditBlockDto>;

const ScheduleRowDto = Type.Object({
  number: Type.Union([Type.Integer(), Type.Null()], { description: 'null on an early repayment row' }),
  date: CalendarDate(),
  kind: Type.Union([Type.Literal('scheduled'), Type.Literal('early')]),
  payment: Money(),
  interest: Money(),
  principal: Money(),
  balance: Money('Principal outstanding after this row'),
  paid: Type.Boolean(),
  overdueDays: Type.Integer({
    description: 'Days late: to the day it was paid, or to today while unpaid; 0 on time and on early rows',
  }),
  penalty: Money('Penalty for those days at the credit’s penalty rate'),
});

export const ScheduleDto = Type.Object(
  {
    today: CalendarDate('The user’s today, in their time zone'),
    principal: Money(),
    rows: Type.Array(ScheduleRowDto),
    totals: TotalsDto,
    baseline: TotalsDto,
    interestSaved: Money(),
    penalty: Money('Penalties of all rows'),
    progress: ProgressDto,
  },
  { $id: 'CreditSchedule' },
);
export type ScheduleDto = Static<typeof ScheduleDto>;

const WhatIfSide = Type.Object({
  payment: Type.Union([Money(), Type.Null()], {
    description: 'The first scheduled payment after the repayment',
  }),
  paymentCount: Type.Integer(),
  payoffDate: CalendarDate(),
  totalInterest: Money(),
});

export const EarlyRepaymentPreviewDto = Type.Object({
  current: WhatIfSide,
  withRepayment: WhatIfSide,
  interestSaved: Money('Interest this repayment saves'),
  paymentsFewer: Type.Integer({ description: 'How many scheduled payments fewer' }),
});
export type EarlyRepaymentPreviewDto = Static<typeof EarlyRepaymentPreviewDto>;
