import { Type, type Static } from 'typebox';
import { CalendarDate, Currency, Decimal, Id, Money, Nullable, Timestamp } from '../../platform/schemas.js';
import { OPERATION_TYPES } from './valuation.js';

export const OperationType = Type.Enum(OPERATION_TYPES, { description: OPERATION_TYPES.join(', ') });

export const OperationDto = Type.Object(
  {
    id: Id(),
    portfolioId: Id(),
    type: Type.String({ description: OPERATION_TYPES.join(', ') }),
    instrumentUid: Nullable(Type.String()),
    manualAssetId: Nullable(Id()),
    ticker: Nullable(Type.String()),
    name: Nullable(Type.String()),
    date: CalendarDate(),
    quantity: Decimal('Pieces; for a split the multiplier'),
    price: Nullable(Decimal('Per piece (bonds: money per bond)')),
    amount: Money('In the type’s own direction; a negative tax or fee is a refund'),
    commission: Money(),
    accruedInterest: Money('Bonds: НКД paid with a buy, received with a sale'),
    currency: Type.String(),
    fxRate: Nullable(Decimal('Base currency per unit of `currency` on that day; null when unknown')),
    cashFlow: Money('Signed effect on the cash: negative leaves the portfolio'),
    externalId: Nullable(Type.String({ description: 'Broker operation id of a synced operation' })),
    note: Type.String(),
    createdAt: Timestamp(),
  },
  { $id: 'Operation' },
);
export type OperationDto = Static<typeof OperationDto>;

const fields = {
  instrumentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Instrument uid' })),
  manualAssetId: Type.Optional(Id()),
  quantity: Type.Optional(Decimal('Pieces; for a split the multiplier (2 = each piece became two)')),
  price: Type.Optional(Decimal('Per piece in the currency (bonds: money per bond)')),
  amount: Type.Optional(
    Money('Buy/sell: default quantity × price rounded to 0.01; required for the other types'),
  ),
  commission: Type.Optional(Money()),
  accruedInterest: Type.Optional(Money('Bonds: НКД paid with a buy, received with a sale')),
  currency: Type.Optional(Currency()),
  fxRate: Type.Optional(Nullable(Decimal('Base currency per unit of `currency`; fetched when omitted'))),
  note: Type.Optional(Type.String({ maxLength: 500 })),
};

export const CreateOperationBody = Type.Object(
  { type: OperationType, date: CalendarDate(), ...fields },
  { additionalProperties: false },
);
export type CreateOperationBody = Static<typeof CreateOperationBody>;

export const UpdateOperationBody = Type.Object(
  {
    type: Type.Optional(OperationType),
    date: Type.Optional(CalendarDate()),
    portfolioId: Type.Optional(Id('Move to another portfolio of yours')),
    ...fields,
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateOperationBody = Static<typeof UpdateOperationBody>;

export const OperationsQuery = Type.Object(
  {
    type: Type.Optional(OperationType),
    instrumentId: Type.Optional(Type.String({ maxLength: 64 })),
    manualAssetId: Type.Optional(Id()),
    from: Type.Optional(CalendarDate()),
    to: Type.Optional(CalendarDate('Inclusive')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type OperationsQuery = Static<typeof OperationsQuery>;

export const OperationsPage = Type.Object({
  items: Type.Array(Type.Ref('Operation')),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
