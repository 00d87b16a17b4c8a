import { Type, type Static } from 'typebox';
import { CalendarDate, Decimal, Id, Timestamp } from '../../platform/schemas.js';

export const ManualPriceDto = Type.Object(
  {
    id: Id(),
    manualAssetId: Id(),
    date: CalendarDate('The day the price is for'),
    price: Decimal('Per piece in the asset’s currency'),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  },
  { $id: 'ManualPrice' },
);
export type ManualPriceDto = Static<typeof ManualPriceDto>;

export const CreateManualPriceBody = Type.Object(
  {
    date: CalendarDate('Not after today'),
    price: Decimal('Per piece in the asset’s currency, above zero'),
  },
  { additionalProperties: false },
);
export type CreateManualPriceBody = Static<typeof CreateManualPriceBody>;

export const UpdateManualPriceBody = Type.Object(
  {
    date: Type.Optional(CalendarDate('Not after today')),
    price: Type.Optional(Decimal('Above zero')),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateManualPriceBody = Static<typeof UpdateManualPriceBody>;

export const ManualPriceParams = Type.Object({ id: Id(), priceId: Id() }, { additionalProperties: false });
