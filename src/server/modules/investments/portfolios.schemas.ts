import { Type, type Static } from 'typebox';
import { CalendarDate, Currency, Decimal, Id, Money, Nullable, Timestamp } from '../../platform/schemas.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });

export const PortfolioDto = Type.Object(
  {
    id: Id(),
    name: Type.String(),
    kind: Type.Union([Type.Literal('manual'), Type.Literal('tinvest')], {
      description: 'manual, or tinvest (synced from a T-Invest broker account)',
    }),
    accountId: Nullable(Type.String({ description: 'T-Invest broker account of a synced portfolio' })),
    cashTracking: Type.Boolean({
      description: 'Cash balances (deposits, sale proceeds, income) count in the value',
    }),
    lastSyncedAt: Nullable(Timestamp()),
    createdAt: Timestamp(),
  },
  { $id: 'Portfolio' },
);
export type PortfolioDto = Static<typeof PortfolioDto>;

export const CreatePortfolioBody = Type.Object(
  { name: Name, cashTracking: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);
export const UpdatePortfolioBody = Type.Object(
  { name: Type.Optional(Name), cashTracking: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);

const AssetClass = Type.Enum(['shares', 'bonds', 'funds', 'currencies', 'other'], {
  description: 'shares, bonds (OFZ and corporate), funds (ETFs), currencies (and cash), other',
});

export const TotalsDto = Type.Object(
  {
    value: Money('Value in the base currency'),
    cost: Money('What the held positions cost, at the rates of their dates'),
    unrealizedPnl: Money(),
    unrealizedPnlPercent: Nullable(Type.String({ description: '% of the cost, 2 places' })),
    realizedPnl: Money('From sales, in the base currency'),
    income: Money('Dividends and coupons received'),
    taxes: Money(),
    fees: Money('Fees not included in a trade'),
    totalPnl: Money('Unrealised + realised + income − taxes − fees'),
    dayChange: Money('Since the previous trading day’s close'),
    dayChangePercent: Nullable(Type.String()),
    byClass: Type.Object({
      shares: Money(),
      bonds: Money(),
      funds: Money(),
      currencies: Money(),
      other: Money(),
    }),
    byCurrency: Type.Array(Type.Object({ currency: Type.String(), value: Money('In the base currency') })),
    incomplete: Type.Integer({ description: 'Lines left out of a total for a missing price or rate' }),
  },
  { $id: 'Totals' },
);

export const PositionDto = Type.Object(
  {
    id: Id(),
    portfolioId: Id(),
    instrumentUid: Nullable(Type.String()),
    manualAssetId: Nullable(Id()),
    cashCurrency: Nullable(Type.String({ description: 'Set for a cash balance line' })),
    ticker: Type.String(),
    name: Type.String(),
    kind: Type.String({ description: 'share, bond, etf, currency, other, cash' }),
    assetClass: AssetClass,
    currency: Type.String(),
    quantity: Decimal('Pieces (cash: the amount)'),
    averagePrice: Nullable(
      Decimal('Cost per piece in the position currency, commissions and НКД paid included'),
    ),
    price: Nullable(
      Type.Object({
        price: Decimal('Per piece; bonds from the market in % of the nominal'),
        percentOfNominal: Type.Boolean(),
        time: Nullable(Timestamp()),
        source: Type.Enum(['market', 'stale', 'manual', 'trade'], {
          description:
            'market: fresh quote; stale: last known quote (provider unavailable); manual: set by hand; trade: last trade price',
        }),
        provider: Nullable(
          Type.Enum(['tinvest', 'moex'], {
            description:
              'Who priced a quote: T-Invest or MOEX ISS (15 minutes delayed); null for manual and trade prices',
          }),
        ),
      }),
    ),
    piecePrice: Nullable(Decimal('Money per piece (bonds: price % × nominal / 100)')),
    aci: Nullable(Decimal('Bonds: НКД per bond')),
    nominal: Nullable(Decimal('Bonds: nominal per bond')),
    value: Nullable(Money('In the position currency, НКД included')),
    valueBase: Nullable(Money('In the base currency at today’s rate')),
    rate: Nullable(Decimal('Base currency per unit of the position currency today')),
    costBase: Nullable(Money()),
    unrealizedPnl: Nullable(Money()),
    unrealizedPnlPercent: Nullable(Type.String()),
    realizedPnl: Nullable(Money()),
    income: Nullable(Money('Dividends and coupons, base currency')),
    dayChange: Nullable(Money()),
    dayChangePercent: Nullable(Type.String()),
    closed: Type.Boolean({ description: 'Everything was sold; kept for its realised result' }),
    missingRates: Type.Integer({ description: 'Operations whose exchange rate is unknown' }),
  },
  { $id: 'Position' },
);
export type PositionDto = Static<typeof PositionDto>;

export const ValuedPortfolioDto = Type.Object(
  {
    ...PortfolioDto.properties,
    totals: Type.Ref('Totals'),
    positions: Type.Array(Type.Ref('Position')),
  },
  { $id: 'ValuedPortfolio' },
);

const Slice = Type.Object({
  key: Type.String(),
  label: Type.String(),
  value: Money(),
  percent: Type.String({ description: '% of the total, 2 places' }),
});

export const PortfolioOverviewDto = Type.Object({
  baseCurrency: Type.String(),
  marketData: Type.Ref('MarketStatus'),
  totals: Type.Ref('Totals'),
  allocation: Type.Object({
    byClass: Type.Array(Slice),
    byTicker: Type.Array(Slice),
    byCurrency: Type.Array(Slice),
  }),
  missingRates: Type.Array(Type.String(), {
    description: 'Currencies without a rate to the base currency today',
  }),
  portfolios: Type.Array(Type.Ref('ValuedPortfolio')),
});

export const PortfolioDetailDto = Type.Object({
  baseCurrency: Type.String(),
  marketData: Type.Ref('MarketStatus'),
  missingRates: Type.Array(Type.String()),
  portfolio: Type.Ref('ValuedPortfolio'),
});

export const PortfolioSummaryDto = Type.Object({
  ...PortfolioDto.properties,
  positions: Type.Integer({ description: 'Open positions' }),
  operations: Type.Integer(),
});

export const QuotesRefreshResponse = Type.Object({
  marketData: Type.Ref('MarketStatus'),
  instruments: Type.Integer({
    description: 'Instruments asked for (held ones and the exchange rates they need)',
  }),
  refreshed: Type.Integer({ description: 'How many got a fresh price' }),
});

export const CalendarQuery = Type.Object(
  {
    from: Type.Optional(CalendarDate('Default: 30 days ago')),
    to: Type.Optional(CalendarDate('Default: a year ahead')),
  },
  { additionalProperties: false },
);

export const CalendarEventDto = Type.Object({
  date: CalendarDate('Payment day (maturity day for a redemption)'),
  type: Type.Union([
    Type.Literal('coupon'),
    Type.Literal('dividend'),
    Type.Literal('amortization'),
    Type.Literal('maturity'),
  ]),
  instrumentUid: Type.String(),
  ticker: Type.String(),
  name: Type.String(),
  currency: Type.String(),
  perPiece: Nullable(Decimal('Per bond or share; null when not announced yet (floating coupons)')),
  quantity: Decimal('Held now, all portfolios'),
  expectedAmount: Nullable(Money('perPiece × quantity, before tax')),
  recordDate: Nullable(CalendarDate()),
  status: Type.String({ description: 'e.g. Regular Cash, Cancelled, constant, floating' }),
});

export const CalendarResponse = Type.Object({
  marketData: Type.Ref('MarketStatus'),
  from: CalendarDate(),
  to: CalendarDate(),
  events: Type.Array(CalendarEventDto),
});

export const ManualAssetKind = Type.Enum(['share', 'bond', 'etf', 'currency', 'other']);

export const ManualAssetDto = Type.Object(
  {
    id: Id(),
    ticker: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    currency: Type.String(),
    price: Nullable(Decimal('Current price per piece, set by hand')),
    pricedAt: Nullable(Timestamp()),
    createdAt: Timestamp(),
  },
  { $id: 'ManualAsset' },
);
export type ManualAssetDto = Static<typeof ManualAssetDto>;

export const CreateManualAssetBody = Type.Object(
  {
    ticker: Type.String({ minLength: 1, maxLength: 20 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: ManualAssetKind,
    currency: Currency(),
    price: Type.Optional(Decimal('Current price per piece')),
  },
  { additionalProperties: false },
);
export type CreateManualAssetBody = Static<typeof CreateManualAssetBody>;

export const UpdateManualAssetBody = Type.Object(
  {
    ticker: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    kind: Type.Optional(ManualAssetKind),
    price: Type.Optional(Nullable(Decimal())),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateManualAssetBody = Static<typeof UpdateManualAssetBody>;

export const AddAssetBody = Type.Object(
  {
    instrumentId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'From the catalogue search' }),
    ),
    manualAssetId: Type.Optional(Id('An asset described by hand earlier')),
    manualAsset: Type.Optional(CreateManualAssetBody),
    quantity: Decimal('Pieces'),
    price: Decimal('Average price per piece (bonds: money per bond, not %)'),
    date: Type.Optional(CalendarDate('Default: today')),
    commission: Type.Optional(Money()),
    accruedInterest: Type.Optional(Money('Bonds: НКД paid')),
    fxRate: Type.Optional(Decimal('Base currency per unit of the asset currency on that day')),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  {
    additionalProperties: false,
    description: 'Adds an asset as one buy. Give exactly one of instrumentId, manualAssetId, manualAsset.',
  },
);
export type AddAssetBody = Static<typeof AddAssetBody>;
