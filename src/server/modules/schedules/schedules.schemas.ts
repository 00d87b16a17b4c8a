import { Type, type Static } from 'typebox';
import { CalendarDate, Id, Money, Nullable, Timestamp } from '../../platform/schemas.js';
import { RateUsedRef } from '../fx/fx.schemas.js';

/** The repeat rule, shared by schedules and repeating mandatory payments. */
export const RuleFields = {
  every: Type.Integer({ minimum: 1, maximum: 1000, description: 'Every N units' }),
  unit: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Literal('year')]),
  monthDay: Type.Optional(
    Nullable(
      Type.Integer({
        minimum: 1,
        maximum: 31,
        description:
          'Months and years: day of the month; past a short month’s end it is the last day (31 = always the last day). Default: the start’s day',
      }),
    ),
  ),
  weekday: Type.Optional(
    Nullable(
      Type.Integer({
        minimum: 1,
        maximum: 7,
        description: 'Weeks: 1 = Monday … 7 = Sunday. Default: the start’s',
      }),
    ),
  ),
  shift: Type.Optional(
    Type.Union([Type.Literal('none'), Type.Literal('before'), Type.Literal('after')], {
      description: 'A day off moves to the working day before or after it, or stays (default)',
    }),
  ),
  startDate: CalendarDate('First day of the series'),
  endDate: Type.Optional(Nullable(CalendarDate('Last day an occurrence may fall on'))),
  count: Type.Optional(
    Nullable(Type.Integer({ minimum: 1, maximum: 10000, description: 'Number of occurrences' })),
  ),
};

export const RuleBody = Type.Object(RuleFields, { additionalProperties: false });
export type RuleBody = Static<typeof RuleBody>;

const ScheduleType = Type.Union([Type.Literal('income'), Type.Literal('expense'), Type.Literal('transfer')]);
const Mode = Type.Union([Type.Literal('auto'), Type.Literal('confirm')], {
  description: 'auto: posted on the day; confirm: waits for a confirmation',
});

const ScheduleFields = {
  type: ScheduleType,
  title: Type.String({ minLength: 1, maxLength: 200 }),
  accountId: Id('Account the money leaves (expense, transfer) or arrives on (income)'),
  toAccountId: Type.Optional(Nullable(Id('Transfers: the receiving account, same currency'))),
  categoryId: Type.Optional(Nullable(Id('Income or expense category of the same kind'))),
  amount: Money(),
  tolerancePercent: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 100,
      description: '0: a fixed amount; otherwise approximate, ± this percent',
    }),
  ),
  mode: Mode,
};

export const CreateScheduleBody = Type.Object(
  { ...ScheduleFields, ...RuleFields },
  { additionalProperties: false },
);
export type CreateScheduleBody = Static<typeof CreateScheduleBody>;

export const EditFromBody = Type.Object(
  {
    from: CalendarDate('The new rule applies to occurrences from this day on'),
    ...Type.Partial(Type.Omit(Type.Object({ ...ScheduleFields, ...RuleFields }), ['startDate'])).properties,
  },
  { additionalProperties: false },
);
export type EditFromBody = Static<typeof EditFromBody>;

export const ScheduleDto = Type.Object(
  {
    id: Id(),
    type: ScheduleType,
    title: Type.String(),
    accountId: Id(),
    toAccountId: Nullable(Id()),
    categoryId: Nullable(Id()),
    amount: Money(),
    currency: Type.String(),
    tolerancePercent: Type.Integer(),
    mode: Mode,
    every: Type.Integer(),
    unit: Type.String(),
    monthDay: Nullable(Type.Integer()),
    weekday: Nullable(Type.Integer()),
    shift: Type.String(),
    startDate: CalendarDate(),
    endDate: Nullable(CalendarDate()),
    count: Nullable(Type.Integer()),
    next: Nullable(CalendarDate('Day of the next expected occurrence')),
    createdAt: Timestamp(),
  },
  { $id: 'Schedule' },
);
export type ScheduleDto = Static<typeof ScheduleDto>;

export const OccurrenceStatus = Type.Union(
  [
    Type.Literal('expected'),
    Type.Literal('overdue'),
    Type.Literal('posted'),
    Type.Literal('matched'),
    Type.Literal('skipped'),
  ],
  {
    description:
      'expected (today or later), overdue (waits for a confirmation past its day), posted, matched (an entered or imported transaction), skipped',
  },
);

export const OccurrenceDto = Type.Object(
  {
    scheduleId: Id(),
    nominalDate: CalendarDate('The rule’s day: the occurrence’s key'),
    date: CalendarDate('The day it falls on (shifted off days off, or changed)'),
    amount: Money(),
    status: OccurrenceStatus,
    transactionId: Nullable(Id()),
  },
  { $id: 'Occurrence' },
);
export type OccurrenceDto = Static<typeof OccurrenceDto>;

export const OccurrenceParams = Type.Object(
  { id: Id(), nominalDate: CalendarDate() },
  { additionalProperties: false },
);

export const OccurrencesQuery = Type.Object(
  {
    from: Type.Optional(CalendarDate('Default: 30 days ago')),
    to: Type.Optional(CalendarDate('Default: 90 days ahead')),
  },
  { additionalProperties: false },
);

export const ChangeOccurrenceBody = Type.Object(
  {
    date: Type.Optional(CalendarDate('Another day for this occurrence')),
    amount: Type.Optional(Money('Another amount for this occurrence')),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PostOccurrenceBody = Type.Object(
  {
    date: Type.Optional(
      CalendarDate('Day of the transaction; default the occurrence’s day, or today when it is early'),
    ),
    amount: Type.Optional(Money('Amount actually paid; default the expected one')),
  },
  { additionalProperties: false },
);
export type PostOccurrenceBody = Static<typeof PostOccurrenceBody>;

export const UpcomingQuery = Type.Object(
  {
    days: Type.Optional(Type.Unsafe<30 | 90>({ type: 'integer', enum: [30, 90], description: 'Default 30' })),
  },
  { additionalProperties: false },
);

export const UpcomingItem = Type.Object({
  date: CalendarDate(),
  kind: Type.Union([
    Type.Literal('schedule'),
    Type.Literal('obligation'),
    Type.Literal('credit'),
    Type.Literal('coupon'),
    Type.Literal('dividend'),
    Type.Literal('maturity'),
    Type.Literal('amortization'),
  ]),
  title: Type.String(),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out'), Type.Literal('move')]),
  amount: Nullable(Money('null: not announced yet (a floating coupon)')),
  currency: Type.String(),
  overdue: Type.Boolean(),
  /** Schedules: the occurrence to confirm or skip; obligations and credits: what to open. */
  ref: Type.Object({
    id: Id(),
    nominalDate: Nullable(CalendarDate()),
    number: Nullable(Type.Integer()),
  }),
  needsConfirmation: Type.Boolean(),
});

export const UpcomingDto = Type.Object({
  today: CalendarDate(),
  to: CalendarDate(),
  items: Type.Array(UpcomingItem),
  overdue: Type.Integer({ description: 'Items past their day and not done' }),
  /** Market data for coupons and dividends: unavailable without a T-Invest token. */
  investments: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
});
export type UpcomingDto = Static<typeof UpcomingDto>;
export type UpcomingItem = Static<typeof UpcomingItem>;

export const ForecastQuery = Type.Object(
  { months: Type.Optional(Type.Integer({ minimum: 1, maximum: 12, description: 'Default 12' })) },
  { additionalProperties: false },
);

export const ForecastDto = Type.Object({
  today: CalendarDate(),
  baseCurrency: Type.String(),
  dates: Type.Array(CalendarDate()),
  total: Type.Array(Money(), {
    description: "Total in the base currency at the end of each day; other currencies at today's rate",
  }),
  rates: Type.Record(Type.String(), RateUsedRef(), {
    description: 'The rate each other currency entered the total at, by currency code',
  }),
  accounts: Type.Array(
    Type.Object({ id: Id(), name: Type.String(), currency: Type.String(), balances: Type.Array(Money()) }),
  ),
  lowest: Type.Object({ date: CalendarDate(), total: Money() }),
  nextIncome: Nullable(CalendarDate()),
  freeUntilNextIncome: Money('Lowest total from today until the day before the next income'),
  leftOut: Type.Array(Type.String(), {
    description: 'Currencies not in the total: no rate to the base currency',
  }),
});
export type ForecastDto = Static<typeof ForecastDto>;
