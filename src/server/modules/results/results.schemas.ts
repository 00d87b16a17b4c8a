import { Type, type Static } from 'typebox';
import { CalendarDate, Id, Money, Nullable } from '../../platform/schemas.js';

const Percent = (description: string) =>
  Nullable(
    Type.String({ pattern: '^-?\\d+\\.\\d{2}$', description: `${description}, percent with 2 places` }),
  );

export const RESULT_RANGES = ['1M', '3M', '6M', 'ytd', '1Y', '3Y', '5Y', 'all'] as const;

export const ResultsQuery = Type.Object(
  {
    portfolioId: Type.Optional(Id('One portfolio; all of them when left out')),
    range: Type.Optional(Type.Enum(RESULT_RANGES, { description: 'A period ending today; default all' })),
    from: Type.Optional(CalendarDate('First day of the period (overrides range)')),
    to: Type.Optional(CalendarDate('Last day of the period; default today')),
    detail: Type.Optional(
      Type.Boolean({
        description: 'false: the totals and returns only, without byPortfolio and positions (default true)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ResultsQuery = Static<typeof ResultsQuery>;

export const ReturnFigures = Type.Object({
  days: Type.Integer({ description: 'Days in the period' }),
  twr: Percent('Time-weighted return over the period'),
  twrAnnualised: Percent('Time-weighted return per year; null for a period under a year'),
  xirr: Percent('Money-weighted return per year (XIRR, Actual/365)'),
  xirrCumulative: Percent('The XIRR rate compounded over the period'),
  xirrProblem: Nullable(
    Type.Union([Type.Literal('NO_FLOWS'), Type.Literal('ONE_SIGN'), Type.Literal('NO_CONVERGENCE')], {
      description: 'Why there is no XIRR: too few flows, flows of one sign only, or no convergence',
    }),
  ),
});
export type ReturnFigures = Static<typeof ReturnFigures>;

export const ResultsDto = Type.Object({
  baseCurrency: Type.String(),
  today: CalendarDate(),
  from: Nullable(CalendarDate('First day of the period; null with no operations')),
  to: Nullable(CalendarDate()),
  points: Type.Array(
    Type.Object({
      day: CalendarDate(),
      value: Money('Value at the end of the day, base currency'),
      netInvested: Money('Deposits − withdrawals (buys − sells without cash) so far'),
      benchmark: Nullable(
        Money('IMOEX with the same money: the starting value and each flow invested in the index that day'),
      ),
    }),
    { description: 'Daily points, thinned to at most about 400 for a long period' },
  ),
  totals: Nullable(
    Type.Object({
      startValue: Money('Value at the end of the day before the period'),
      endValue: Money(),
      flows: Money('Money put in − taken out during the period'),
      netInvested: Money(),
      gain: Money('End − start − flows'),
      missing: Type.Integer({ description: 'Holdings left out of the last day’s value (no price or rate)' }),
    }),
  ),
  returns: Nullable(ReturnFigures),
  benchmark: Nullable(
    Type.Object({
      ticker: Type.String(),
      change: Percent('The index’s change over the period'),
      value: Money('What the same money in the index would be worth at the end'),
    }),
  ),
  byPortfolio: Type.Array(
    Type.Object({ portfolioId: Id(), name: Type.String(), value: Money(), returns: ReturnFigures }),
  ),
  positions: Type.Array(
    Type.Object({
      portfolioId: Id(),
      key: Type.String({ description: 'Instrument uid or manual asset id' }),
      ticker: Type.String(),
      name: Type.String(),
      value: Money('At the end of the period'),
      gain: Money('End − start − flows (buys − sells − income)'),
      returns: ReturnFigures,
    }),
  ),
  portfolios: Type.Array(Type.Object({ id: Id(), name: Type.String(), iisType: Nullable(Type.String()) })),
});
export type ResultsDto = Static<typeof ResultsDto>;

export const IncomeQuery = Type.Object(
  { portfolioId: Type.Optional(Id('One portfolio; all of them when left out')) },
  { additionalProperties: false },
);

const IncomeLine = Type.Object({
  period: Type.String({ description: 'YYYY-MM or YYYY' }),
  dividends: Money(),
  coupons: Money(),
  gross: Money(),
  tax: Money('Tax withheld on the income'),
  net: Money(),
});

export const IncomeDto = Type.Object({
  baseCurrency: Type.String(),
  months: Type.Array(IncomeLine),
  years: Type.Array(IncomeLine),
  last12Months: Money('Gross income of the last 365 days'),
  cost: Money('Cost of what is held now'),
  yieldOnCost: Percent('Gross income of the last 365 days ÷ cost of what is held'),
  expected: Nullable(
    Type.Object({
      total: Money('Announced coupons and dividends of the next 365 days × pieces held, at today’s rate'),
      unknown: Type.Integer({
        description: 'Payments not announced yet (floating coupons) or without a rate',
      }),
      months: Type.Array(Type.Object({ period: Type.String(), amount: Money() })),
    }),
  ),
  expectedProblem: Nullable(
    Type.String({ description: 'Why the calendar is missing or partial (an error code)' }),
  ),
  missingRates: Type.Integer({ description: 'Payments left out for want of a rate' }),
});
export type IncomeDto = Static<typeof IncomeDto>;

const IisType = Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('III')]);

export const TaxDto = Type.Object({
  baseCurrency: Type.String(),
  years: Type.Array(
    Type.Object({
      year: Type.Integer(),
      accounts: Type.Array(
        Type.Object({
          portfolioId: Id(),
          name: Type.String(),
          iisType: Nullable(IisType),
          year: Type.Integer(),
          proceeds: Money('Roubles'),
          cost: Money('Roubles, commissions included'),
          result: Money('Roubles'),
          ldvResult: Money('Part of the result from lots held over three years'),
        }),
      ),
      taxableResult: Money('The year’s result outside ИИС, roubles'),
      ldvResult: Money(),
      base: Money('The taxable base (a loss counts as 0)'),
      tax: Type.String({ description: 'Estimated НДФЛ, whole roubles' }),
      above: Money('The part of the base taxed at 15 %'),
      threshold: Nullable(Type.String({ description: 'Where 15 % starts; null for a flat 13 %' })),
      slices: Type.Array(
        Type.Object({
          portfolioId: Id(),
          ticker: Type.String(),
          assetKey: Type.String(),
          buyDate: CalendarDate(),
          sellDate: CalendarDate(),
          quantity: Type.String(),
          cost: Money(),
          proceeds: Money(),
          result: Money(),
          ldv: Type.Boolean({ description: 'Held more than three years (ЛДВ)' }),
        }),
      ),
    }),
  ),
  issues: Type.Array(
    Type.Object({
      operationId: Id(),
      portfolioId: Id(),
      ticker: Type.String(),
      date: CalendarDate(),
      code: Type.Union([Type.Literal('OVERSOLD'), Type.Literal('RATE_MISSING')]),
      quantity: Nullable(Type.String({ description: 'OVERSOLD: pieces sold beyond the lots' })),
    }),
  ),
});
export type TaxDto = Static<typeof TaxDto>;

export const IisBody = Type.Object({ iisType: Nullable(IisType) }, { additionalProperties: false });

export const IisDto = Type.Object({ portfolioId: Id(), iisType: Nullable(IisType) });
