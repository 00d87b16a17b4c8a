import { Type, type Static } from 'typebox';
import { CalendarDate, Money, Nullable } from '../../platform/schemas.js';
import { RateUsedRef } from '../fx/fx.schemas.js';
import { UpcomingItem } from '../obligations/obligations.schemas.js';

const CurrencyLine = Type.Object({
  currency: Type.String(),
  amount: Money('In the currency itself'),
  rate: Type.Union([RateUsedRef(), Type.Null()], {
    description: "Today's rate to the base currency, its day and source; null when unknown",
  }),
  converted: Nullable(Money('In the base currency; null when no rate is known')),
});

export const NetWorthDto = Type.Object({
  baseCurrency: Type.String(),
  day: CalendarDate("The user's today"),
  netWorth: Nullable(Money('Assets − liabilities in the base currency; null while a rate is missing')),
  assets: Nullable(Money('Account balances + portfolio value')),
  liabilities: Nullable(Money('Remaining principal of active credits')),
  accounts: Type.Object({ total: Nullable(Money()), byCurrency: Type.Array(CurrencyLine) }),
  portfolio: Type.Object({
    total: Money('Value of all portfolios in the base currency'),
    byCurrency: Type.Array(CurrencyLine, {
      description:
        "The open positions' value per currency (cash balances included), exact; converted is the sum of the positions' values in the base currency (each at today's rate, rounded half-up to the kopeck), so the lines add up to total. Positions without a price count in neither",
    }),
  }),
  credits: Type.Object({ total: Nullable(Money()), byCurrency: Type.Array(CurrencyLine) }),
  missingRates: Type.Array(Type.String(), { description: 'Currencies without a rate to the base currency' }),
  marketData: Type.Ref('MarketStatus'),
  upcoming: Type.Array(UpcomingItem, { description: 'Payments due in the next 30 days' }),
});
export type NetWorthDto = Static<typeof NetWorthDto>;

export const HISTORY_RANGES = ['1M', '6M', '1Y', '5Y', 'ALL'] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

export const NetWorthHistoryQuery = Type.Object(
  {
    range: Type.Optional(
      Type.Enum(HISTORY_RANGES, {
        description: 'The last month, 6 months, year, 5 years (ending today) or everything; default 1Y',
      }),
    ),
  },
  { additionalProperties: false },
);
export type NetWorthHistoryQuery = Static<typeof NetWorthHistoryQuery>;

export const NetWorthHistoryDto = Type.Object({
  baseCurrency: Type.String(),
  range: Type.Enum(HISTORY_RANGES),
  from: CalendarDate('First day shown: the range start, or the first day of the data when later'),
  to: CalendarDate("The user's today"),
  step: Type.Enum(['day', 'week', 'month'], {
    description:
      'One point per day up to a year, per week (counted back from today) up to 5 years, per month beyond',
  }),
  points: Type.Array(
    Type.Object({
      day: CalendarDate('The last day of its step'),
      assets: Nullable(Money('Account balances + portfolio value that day; null while a rate is missing')),
      liabilities: Nullable(Money('Principal outstanding that day; null while a rate is missing')),
      netWorth: Nullable(Money('Assets − liabilities; null while a rate is missing')),
    }),
    { description: 'Oldest first' },
  ),
  missingRates: Type.Array(Type.String(), {
    description: 'Currencies without a rate on some day of the range (those days have no figures)',
  }),
});
export type NetWorthHistoryDto = Static<typeof NetWorthHistoryDto>;
