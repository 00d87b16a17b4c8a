import { Type, type Static } from 'typebox';
import { Decimal, Nullable, Timestamp } from '../../platform/schemas.js';

export const MarketStatus = Type.Object(
  {
    configured: Type.Boolean({
      description: 'Whether a market data source is available (a server token or the user’s own)',
    }),
    source: Type.Union(
      [Type.Literal('server'), Type.Literal('user'), Type.Literal('moex'), Type.Literal('none')],
      {
        description:
          'Where market data comes from: T-Invest with the server’s or the user’s token, or MOEX ISS (no token, 15 minutes delayed)',
      },
    ),
    stale: Type.Boolean({
      description: 'Prices could not be refreshed just now; the last known ones are shown',
    }),
    asOf: Nullable(Timestamp('Newest price time among those shown')),
    error: Nullable(
      Type.Object({
        code: Type.String({ description: 'Why prices are stale or missing, e.g. MARKET_DATA_RATE_LIMITED' }),
        message: Type.String(),
      }),
    ),
    message: Type.String({ description: 'A sentence to show to the user' }),
  },
  { $id: 'MarketStatus' },
);
export type MarketStatus = Static<typeof MarketStatus>;

export const InstrumentKind = Type.Enum(
  ['share', 'bond', 'etf', 'currency', 'futures', 'option', 'sp', 'other'],
  { description: 'share, bond, etf, currency, futures, option, sp, other' },
);

export const InstrumentDto = Type.Object(
  {
    uid: Type.String({
      description:
        'The app’s instrument id: the T-Invest uid, or moex:BOARD:TICKER for one MOEX ISS described first',
    }),
    figi: Type.String(),
    ticker: Type.String(),
    classCode: Type.String(),
    isin: Type.String(),
    name: Type.String(),
    kind: Type.String({ description: 'share, bond, etf, currency, futures, option, sp, other' }),
    currency: Nullable(Type.String({ description: 'Trading currency; null when not known yet' })),
    lot: Type.Integer(),
    nominal: Nullable(Decimal('Bonds: nominal per bond')),
    aci: Nullable(Decimal('Bonds: accrued coupon interest (НКД) per bond')),
    tradable: Type.Boolean(),
    inCatalogue: Type.Boolean({ description: 'False for a provider search hit not stored yet' }),
    lastPrice: Nullable(
      Type.Object({
        price: Decimal('Per piece; bonds in % of the nominal'),
        percentOfNominal: Type.Boolean(),
        time: Timestamp(),
      }),
    ),
  },
  { $id: 'Instrument' },
);
export type InstrumentDto = Static<typeof InstrumentDto>;

export const InstrumentSearchQuery = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 100, description: 'Ticker, name, ISIN or FIGI' }),
    kind: Type.Optional(InstrumentKind),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

export const InstrumentSearchResponse = Type.Object({
  marketData: Type.Ref('MarketStatus'),
  items: Type.Array(Type.Ref('Instrument')),
});

export const CatalogueRefreshResponse = Type.Object({
  instruments: Type.Integer({ description: 'Instruments in the catalogue after the refresh' }),
  refreshedAt: Timestamp(),
});

export const CANDLE_INTERVALS = ['1min', '5min', '15min', '1hour', '4hour', 'day', 'week', 'month'] as const;
export const CHART_RANGES = ['day', 'week', 'month', 'year'] as const;

export const CandlesQuery = Type.Object(
  {
    instrumentId: Type.String({ minLength: 1, maxLength: 64, description: 'Instrument uid' }),
    range: Type.Optional(
      Type.Enum(CHART_RANGES, {
        description: 'A chart range ending now; picks the interval. Overrides interval/from/to.',
      }),
    ),
    interval: Type.Optional(Type.Enum(CANDLE_INTERVALS)),
    from: Type.Optional(Timestamp('Start, inclusive')),
    to: Type.Optional(Timestamp('End, exclusive; default now')),
  },
  { additionalProperties: false },
);
export type CandlesQuery = Static<typeof CandlesQuery>;

export const CandleDto = Type.Object({
  time: Timestamp('Open time'),
  open: Decimal(),
  high: Decimal(),
  low: Decimal(),
  close: Decimal(),
  volume: Type.String({ description: 'In lots' }),
});

export const CandlesResponse = Type.Object({
  instrumentUid: Type.String(),
  interval: Type.String(),
  from: Timestamp(),
  to: Timestamp(),
  percentOfNominal: Type.Boolean({ description: 'Bond prices are in % of the nominal' }),
  candles: Type.Array(CandleDto),
});
export type CandlesResponse = Static<typeof CandlesResponse>;

export const QuotesQuery = Type.Object(
  {
    instrumentIds: Type.String({
      minLength: 1,
      maxLength: 4000,
      description: 'Comma-separated instrument uids from the catalogue (at most 300)',
    }),
  },
  { additionalProperties: false },
);

export const QuoteDto = Type.Object({
  instrumentUid: Type.String(),
  price: Decimal('Per piece; bonds in % of the nominal'),
  percentOfNominal: Type.Boolean(),
  time: Timestamp('When the exchange printed it'),
  stale: Type.Boolean({ description: 'The last known price; a fresh one could not be fetched' }),
});

export const QuotesResponse = Type.Object({
  marketData: Type.Ref('MarketStatus'),
  quotes: Type.Array(QuoteDto),
});
