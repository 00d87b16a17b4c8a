import { Type, type Static } from 'typebox';
import { CalendarDate, Id, Money, Month } from '../../platform/schemas.js';
import { RateUsedRef } from '../fx/fx.schemas.js';
import { AccountKind } from './accounts.schemas.js';

export const PeriodQuery = Type.Object(
  {
    month: Type.Optional(
      Month("Calendar month; the user's current month when neither month nor dates are given"),
    ),
    dateFrom: Type.Optional(CalendarDate('First day, included (with dateTo, instead of month)')),
    dateTo: Type.Optional(CalendarDate('Last day, included')),
  },
  { additionalProperties: false },
);
export type PeriodQuery = Static<typeof PeriodQuery>;

export const ChartsQuery = Type.Object(
  {
    ...PeriodQuery.properties,
    currency: Type.Optional(
      Type.String({
        format: 'currency',
        description: "Currency of the series; the user's base currency by default",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ChartsQuery = Static<typeof ChartsQuery>;

export const YearQuery = Type.Object(
  {
    year: Type.Optional(
      Type.Integer({ minimum: 1900, maximum: 2200, description: "The user's current year by default" }),
    ),
  },
  { additionalProperties: false },
);

const Period = Type.Object({
  month: Type.Union([Type.String(), Type.Null()], {
    description: 'YYYY-MM when the period is one calendar month',
  }),
  dateFrom: CalendarDate(),
  dateTo: CalendarDate('Last day, included'),
});

const CurrencyTotals = Type.Object({
  currency: Type.String(),
  income: Money(),
  expense: Money(),
  net: Money('income − expense'),
  savingsRate: Type.Union([Type.String(), Type.Null()], {
    description: 'net / income × 100, one decimal place, half-up; null without income',
  }),
  savingsFlow: Money('Net inflow into savings and deposit accounts (income, expense and transfers on them)'),
  transactionCount: Type.Integer({ description: 'Income and expense transactions' }),
});

/** How the amounts of one other currency came to the base currency. */
const Conversion = Type.Object({
  currency: Type.String(),
  income: Money('Its income in the base currency: each transaction at its day’s rate, rounded to 0.01'),
  expense: Money('The same for its expenses'),
  transactions: Type.Integer(),
  rate: RateUsedRef('The rate of the latest day converted'),
  stale: Type.Boolean({ description: 'Some of its rates were the last known ones' }),
});

const MissingRates = Type.Array(Type.String(), {
  description: 'Currencies with a transaction on a day without a known rate: the base figures are null',
});

const BaseTotals = Type.Union(
  [
    Type.Object({
      currency: Type.String(),
      income: Money('Base-currency amounts + every other one converted at its day’s rate, rounded to 0.01'),
      expense: Money(),
      net: Money(),
      savingsFlow: Money('Other currencies’ flows at the rate of the last day of the period'),
      conversions: Type.Array(Conversion),
    }),
    Type.Null(),
  ],
  { description: 'Totals in the base currency; null while a rate is missing (see missingRates)' },
);

const AccountBalance = Type.Object({
  id: Id(),
  name: Type.String(),
  kind: AccountKind,
  currency: Type.String(),
  archived: Type.Boolean(),
  balance: Money('At the end of the last day of the period'),
});

const LimitUse = Type.Object({
  categoryId: Id(),
  name: Type.String(),
  color: Type.String(),
  limit: Money(),
  spent: Money(
    'Expenses of the category and its sub-categories in every currency, in the base currency (each at its day’s rate)',
  ),
  remaining: Money('limit − spent; negative when over the limit'),
  percent: Type.String({ description: 'spent / limit × 100, one decimal place, half-up' }),
  over: Type.Boolean(),
});

export const MonthSummary = Type.Object({
  period: Period,
  baseCurrency: Type.String(),
  totals: Type.Array(CurrencyTotals, {
    description: 'One entry per currency; never summed across currencies',
  }),
  base: BaseTotals,
  missingRates: MissingRates,
  accounts: Type.Array(AccountBalance),
  balances: Type.Array(Type.Object({ currency: Type.String(), total: Money() }), {
    description: 'Sum of account balances per currency at the end of the period',
  }),
  limits: Type.Array(LimitUse, {
    description: 'Categories with a monthly limit; only for a calendar-month period',
  }),
});
export type MonthSummary = Static<typeof MonthSummary>;

const Slice = Type.Object({
  categoryId: Type.Union([Id(), Type.Null()], { description: 'null: without a category' }),
  name: Type.String(),
  color: Type.String(),
  amount: Money(),
});
export type Slice = Static<typeof Slice>;

const Series = {
  byCategory: Type.Object({
    income: Type.Array(Slice),
    expense: Type.Array(Slice),
  }),
  byGroup: Type.Object(
    { income: Type.Array(Slice), expense: Type.Array(Slice) },
    { description: 'The same, rolled up to the top-level groups' },
  ),
  byDay: Type.Array(Type.Object({ date: CalendarDate(), income: Money(), expense: Money() }), {
    description: 'Every day of the period, zeros included',
  }),
  months: Type.Array(Type.Object({ month: Type.String(), income: Money(), expense: Money() }), {
    description: 'The 12 calendar months ending with the last month of the period',
  }),
};

export const Charts = Type.Object({
  period: Period,
  currency: Type.String(),
  currencies: Type.Array(Type.String(), { description: 'Currencies with income or expense in the period' }),
  ...Series,
  base: Type.Union(
    [Type.Object({ currency: Type.String(), ...Series, conversions: Type.Array(Conversion) }), Type.Null()],
    { description: 'The same series over every currency in the base currency; null while a rate is missing' },
  ),
  missingRates: MissingRates,
});
export type Charts = Static<typeof Charts>;

const YearMonth = Type.Object({ month: Type.String(), income: Money(), expense: Money(), net: Money() });

export const YearReport = Type.Object({
  year: Type.Integer(),
  baseCurrency: Type.String(),
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      income: Money(),
      expense: Money(),
      net: Money(),
      months: Type.Array(YearMonth, { description: 'All 12 months' }),
      expenseByGroup: Type.Array(Slice),
      incomeByGroup: Type.Array(Slice),
    }),
  ),
  base: Type.Union(
    [
      Type.Object({
        currency: Type.String(),
        income: Money(),
        expense: Money(),
        net: Money(),
        months: Type.Array(YearMonth),
        expenseByGroup: Type.Array(Slice),
        incomeByGroup: Type.Array(Slice),
        conversions: Type.Array(Conversion),
      }),
      Type.Null(),
    ],
    { description: 'Every currency in the base currency; null while a rate is missing' },
  ),
  missingRates: MissingRates,
});
export type YearReport = Static<typeof YearReport>;
