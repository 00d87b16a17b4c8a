import { Type, type Static } from 'typebox';
import { OperationType } from '../investments/operations.schemas.js';
import { CalendarDate, Decimal, Id, Money, Nullable, Timestamp } from '../../platform/schemas.js';
import { Column, DateAndDecimal, Delimiter, Encoding } from './statements.schemas.js';

export const ActivityMappingSchema = Type.Object(
  {
    columns: Type.Object(
      {
        date: Type.String({ minLength: 1, maxLength: 200, description: 'Header of the date column' }),
        type: Type.String({
          minLength: 1,
          maxLength: 200,
          description:
            'Header of the type column: buy, sell, dividend, coupon, fee, tax, deposit, withdrawal, income, split… (or Покупка, Продажа, Дивиденд…)',
        }),
        symbol: Column('ticker or ISIN'),
        quantity: Column('quantity (pieces)'),
        price: Column('price per piece'),
        amount: Column('total amount (quantity × price when absent)'),
        fee: Column('fee'),
        accruedInterest: Column('accrued interest (bonds)'),
        nominal: Column('nominal (bonds)'),
        currency: Column('currency'),
        note: Column('note'),
      },
      { additionalProperties: false },
    ),
    ...DateAndDecimal,
  },
  { additionalProperties: false, $id: 'ActivityCsvMapping' },
);

export const ActivityUploadQuery = Type.Object(
  {
    portfolioId: Id('The portfolio the activities go to'),
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
    encoding: Type.Optional(Encoding),
    delimiter: Type.Optional(Delimiter),
    presetId: Type.Optional(Id('A saved activities mapping')),
    mapping: Type.Optional(
      Type.String({
        maxLength: 4000,
        description: 'A mapping as JSON (ActivityCsvMapping); overrides the preset',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ActivityUploadQuery = Static<typeof ActivityUploadQuery>;

export const ActivityImportPreview = Type.Object(
  {
    id: Id(),
    portfolioId: Id(),
    format: Type.Union([Type.Literal('csv'), Type.Literal('json')]),
    preset: Nullable(
      Type.String({ description: 'Built-in export recognised: ghostfolio, intelinvest, snowball' }),
    ),
    fileName: Type.String(),
    status: Type.Union([Type.Literal('preview'), Type.Literal('committed')]),
    counts: Type.Object({
      new: Type.Integer(),
      duplicate: Type.Integer({ description: 'Imported before from this or an overlapping file' }),
      skipped: Type.Integer({ description: 'Left out of the commit by the user' }),
      newAssets: Type.Integer({
        description:
          'Instruments the catalogue lacks (by ticker and currency) that become hand-priced assets',
      }),
    }),
    createdAt: Timestamp(),
    committedAt: Nullable(Timestamp()),
  },
  { $id: 'ActivityImportPreview' },
);
export type ActivityImportPreview = Static<typeof ActivityImportPreview>;

export const ActivityImportRow = Type.Object(
  {
    line: Type.Integer({ description: 'Line of the CSV, or number of the activity in a JSON list' }),
    status: Type.Union([Type.Literal('new'), Type.Literal('duplicate'), Type.Literal('skipped')]),
    date: CalendarDate(),
    type: Type.String(),
    symbol: Type.String({ description: 'As the file names it' }),
    name: Nullable(Type.String({ description: "The catalogue's name; null for a new hand-priced asset" })),
    instrumentUid: Nullable(Type.String()),
    newAsset: Type.Boolean({ description: 'A hand-priced asset of this ticker is made on commit' }),
    quantity: Decimal(),
    price: Nullable(Decimal()),
    amount: Money(),
    commission: Money(),
    currency: Type.String(),
    note: Type.String(),
  },
  { $id: 'ActivityImportRow' },
);
export type ActivityImportRow = Static<typeof ActivityImportRow>;

export const ActivityRowsQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union([Type.Literal('new'), Type.Literal('duplicate'), Type.Literal('skipped')]),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);
export type ActivityRowsQuery = Static<typeof ActivityRowsQuery>;

export const ActivityRowsPage = Type.Object({
  items: Type.Array(ActivityImportRow),
  total: Type.Integer(),
});

export const UpdateActivityRowBody = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('new'), Type.Literal('skipped')])),
    date: Type.Optional(CalendarDate()),
    type: Type.Optional(OperationType),
    quantity: Type.Optional(Decimal('Pieces')),
    price: Type.Optional(Nullable(Decimal('Price per piece'))),
    amount: Type.Optional(Money('Total; for a buy or sell left out, quantity × price')),
  },
  { additionalProperties: false },
);
export type UpdateActivityRowBody = Static<typeof UpdateActivityRowBody>;

export const ActivityBatchSummary = Type.Object({
  id: Id(),
  portfolioId: Id(),
  format: Type.String(),
  preset: Nullable(Type.String()),
  fileName: Type.String(),
  status: Type.String(),
  created: Type.Integer({ description: 'Operations the batch wrote' }),
  createdAt: Timestamp(),
  committedAt: Nullable(Timestamp()),
});

export const ActivityPresetDto = Type.Object(
  {
    id: Id(),
    name: Type.String(),
    encoding: Nullable(Type.String()),
    delimiter: Nullable(Type.String()),
    mapping: ActivityMappingSchema,
    createdAt: Timestamp(),
  },
  { $id: 'ActivityImportPreset' },
);
export type ActivityPresetDto = Static<typeof ActivityPresetDto>;

export const CreateActivityPresetBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    encoding: Type.Optional(Encoding),
    delimiter: Type.Optional(Delimiter),
    mapping: ActivityMappingSchema,
  },
  { additionalProperties: false },
);
export type CreateActivityPresetBody = Static<typeof CreateActivityPresetBody>;
