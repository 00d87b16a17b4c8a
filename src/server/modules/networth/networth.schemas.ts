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
  portfolio: Type.Object({ total: Money('Value of all portfolios in the base currency') }),
  credits: Type.Object({ total: Nullable(Money()), byCurrency: Type.Array(CurrencyLine) }),
  missingRates: Type.Array(Type.String(), { description: 'Currencies without a rate to the base currency' }),
  marketData: Type.Ref('MarketStatus'),
  upcoming: Type.Array(UpcomingItem, { description: 'Payments due in the next 30 days' }),
  history: Type.Array(
    Type.Object({
      day: CalendarDate(),
      baseCurrency: Type.String(),
      assets: Money(),
      liabilities: Money(),
      netWorth: Money(),
    }),
    { description: 'One figure per day the overview was computed with every rate known, oldest first' },
  ),
});
export type NetWorthDto = Static<typeof NetWorthDto>;
