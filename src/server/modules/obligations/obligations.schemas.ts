import { Type, type Static } from 'typebox';
import { CalendarDate, Currency, Id, Money, Month, Nullable, Timestamp } from '../../platform/schemas.js';
import { RuleFields } from '../schedules/schedules.schemas.js';

const Title = () => Type.String({ minLength: 1, maxLength: 200 });

/** How a mandatory payment repeats: the schedules' rule, starting on its due date. */
export const Repeat = Type.Object(
  {
    every: RuleFields.every,
    unit: RuleFields.unit,
    monthDay: RuleFields.monthDay,
    weekday: RuleFields.weekday,
    shift: RuleFields.shift,
    endDate: RuleFields.endDate,
    count: RuleFields.count,
  },
  { additionalProperties: false, description: 'Paying one adds the next; the series starts on dueDate' },
);
export type Repeat = Static<typeof Repeat>;

export const ObligationStatus = Type.Union(
  [Type.Literal('planned'), Type.Literal('overdue'), Type.Literal('paid')],
  { description: 'paid when done; overdue when unpaid and due before the user’s today; planned otherwise' },
);
export type ObligationStatus = Static<typeof ObligationStatus>;

export const CreateObligationBody = Type.Object(
  {
    title: Title(),
    dueDate: CalendarDate(),
    amount: Money(),
    currency: Type.Optional(Currency()),
    done: Type.Optional(Type.Boolean()),
    paidDate: Type.Optional(CalendarDate('Day it was paid; only with done, default the user’s today')),
    repeat: Type.Optional(Nullable(Repeat)),
  },
  { additionalProperties: false },
);
export type CreateObligationBody = Static<typeof CreateObligationBody>;

export const PatchObligationBody = Type.Object(
  {
    title: Type.Optional(Title()),
    dueDate: Type.Optional(CalendarDate()),
    amount: Type.Optional(Money()),
    currency: Type.Optional(Currency()),
    done: Type.Optional(Type.Boolean({ description: 'false also clears paidDate' })),
    paidDate: Type.Optional(CalendarDate()),
    repeat: Type.Optional(Nullable(Repeat)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchObligationBody = Static<typeof PatchObligationBody>;

export const ObligationListQuery = Type.Object(
  { month: Type.Optional(Month('Month to show; default the user’s current month')) },
  { additionalProperties: false },
);

export const ObligationDto = Type.Object(
  {
    id: Id(),
    title: Type.String(),
    dueDate: CalendarDate(),
    amount: Money(),
    currency: Type.String(),
    done: Type.Boolean(),
    paidDate: Nullable(CalendarDate()),
    status: ObligationStatus,
    repeat: Nullable(Repeat),
    seriesId: Nullable(Id('Payments of one repeating series share it')),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  },
  { $id: 'Obligation' },
);
export type ObligationDto = Static<typeof ObligationDto>;

const ObligationTotals = Type.Object({
  currency: Type.String(),
  total: Money(),
  paid: Money(),
  unpaid: Money(),
  overdue: Money('Unpaid and due before today'),
  count: Type.Integer(),
});
export type ObligationTotals = Static<typeof ObligationTotals>;

export const ObligationMonthDto = Type.Object({
  month: Month(),
  today: CalendarDate('The user’s today, in their time zone'),
  items: Type.Array(ObligationDto),
  totals: Type.Array(ObligationTotals, { description: 'Per currency; currencies are never added together' }),
});
export type ObligationMonthDto = Static<typeof ObligationMonthDto>;

const CurrencyTotal = Type.Object({ currency: Type.String(), total: Money() });
export type CurrencyTotal = Static<typeof CurrencyTotal>;

export const UpcomingItem = Type.Object({
  source: Type.Union([Type.Literal('credit'), Type.Literal('obligation')]),
  id: Id('Credit block id or obligation id'),
  title: Type.String(),
  date: CalendarDate(),
  amount: Money(),
  currency: Type.String(),
  number: Type.Union([Type.Integer(), Type.Null()], { description: 'Payment number of a credit' }),
});

const OverdueCreditPayment = Type.Object({
  id: Id('Credit block id'),
  title: Type.String(),
  number: Type.Integer({ description: 'Payment number' }),
  date: CalendarDate('Day it was due'),
  amount: Money(),
  currency: Type.String(),
  overdueDays: Type.Integer(),
  penalty: Money(),
});

export const ObligationsSummaryDto = Type.Object({
  today: CalendarDate(),
  horizon: CalendarDate('Last day counted as upcoming'),
  credits: Type.Object({
    count: Type.Integer({ description: 'Active credits' }),
    byCurrency: Type.Array(
      Type.Object({
        currency: Type.String(),
        count: Type.Integer(),
        debt: Money('Remaining principal'),
        paid: Money('Paid so far, interest included'),
        remaining: Money('Unpaid scheduled payments, interest included'),
        penalty: Money('Penalties of payments paid late or overdue as of today'),
      }),
    ),
    overduePayments: Type.Integer(),
    overdue: Type.Array(OverdueCreditPayment, {
      description: 'Unpaid payments of active credits due before today, oldest first (at most 100)',
    }),
  }),
  obligations: Type.Object({
    overdueCount: Type.Integer({ description: 'Unpaid obligations due before today' }),
    overdueTotals: Type.Array(CurrencyTotal, { description: 'Per currency' }),
    overdue: Type.Array(ObligationDto, { description: 'The oldest 100 of them, oldest first' }),
  }),
  upcoming: Type.Array(UpcomingItem, { description: 'Unpaid payments due from today through horizon' }),
  upcomingTotals: Type.Array(CurrencyTotal),
});
export type ObligationsSummaryDto = Static<typeof ObligationsSummaryDto>;
