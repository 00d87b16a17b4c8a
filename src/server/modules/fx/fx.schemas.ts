import { Type, type Static } from 'typebox';
import { CalendarDate, Currency, Decimal, Id, Nullable } from '../../platform/schemas.js';

export const RateSource = Type.Union(
  [Type.Literal('manual'), Type.Literal('official'), Type.Literal('market')],
  {
    description:
      'manual: entered by the user for that day; official: the Bank of Russia; market: the market-data provider',
  },
);

/** How a figure was converted: present beside every converted amount. */
export const RateUsed = Type.Object(
  {
    rate: Type.String({ description: 'Units of the base currency for one unit' }),
    day: CalendarDate('The day the rate was set for'),
    source: RateSource,
    stale: Type.Boolean({ description: 'The source could not be asked about this day: the last known rate' }),
  },
  { $id: 'RateUsed' },
);

export type RateUsed = Static<typeof RateUsed>;

/** A reference to RateUsed that keeps its type for the pages. */
export const RateUsedRef = (description?: string) =>
  Type.Unsafe<RateUsed>(Type.Ref('RateUsed', description === undefined ? {} : { description }));

export const RatesQuery = Type.Object(
  {
    currencies: Type.String({
      pattern: '^[A-Z]{3}(,[A-Z]{3})*$',
      description: 'Comma-separated currency codes',
    }),
    day: Type.Optional(CalendarDate("Default: the user's today")),
  },
  { additionalProperties: false },
);

export const RatesDto = Type.Object({
  baseCurrency: Type.String(),
  day: CalendarDate(),
  rates: Type.Array(
    Type.Object(
      { currency: Type.String(), rate: Nullable(Type.Ref('RateUsed')) },
      { description: 'null: unknown' },
    ),
  ),
});
export type RatesDto = Static<typeof RatesDto>;

export const UserRateBody = Type.Object(
  {
    currency: Currency(),
    day: CalendarDate(),
    rate: Decimal('Roubles for one unit of the currency on that day'),
  },
  { additionalProperties: false },
);
export type UserRateBody = Static<typeof UserRateBody>;

export const UserRateDto = Type.Object({
  id: Id(),
  currency: Type.String(),
  day: CalendarDate(),
  rate: Type.String({ description: 'Roubles for one unit' }),
});
