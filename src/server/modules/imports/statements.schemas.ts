import { Type, type Static } from 'typebox';
import { CalendarDate, Id, Money, Nullable, Timestamp } from '../../platform/schemas.js';

/** An optional column of a CSV mapping, by its header. */
export const Column = (what: string) =>
  Type.Optional(Type.String({ maxLength: 200, description: `Header of the ${what} column` }));

/** How a CSV mapping reads days and decimal marks. */
export const DateAndDecimal = {
  dateFormat: Type.Union(
    [
      Type.Literal('dd.mm.yyyy'),
      Type.Literal('dd.mm.yy'),
      Type.Literal('yyyy-mm-dd'),
      Type.Literal('dd/mm/yyyy'),
      Type.Literal('mm/dd/yyyy'),
      Type.Literal('iso'),
    ],
    { description: 'How days are written; a time after the day is always read' },
  ),
  decimal: Type.Union([Type.Literal('auto'), Type.Literal('comma'), Type.Literal('dot')]),
};

export const CsvMappingSchema = Type.Object(
  {
    columns: Type.Object(
      {
        date: Type.String({
          minLength: 1,
          maxLength: 200,
          description: 'Header of the date (and time) column',
        }),
        time: Column('time (when apart from the date)'),
        amount: Column('signed amount (minus is money out)'),
        debit: Column('money out'),
        credit: Column('money in'),
        currency: Column('currency'),
        description: Column('description'),
        payee: Column('payee'),
        category: Column("bank's category"),
        bankId: Column("bank's own operation id"),
        mcc: Column('MCC'),
        status: Column('status'),
      },
      { additionalProperties: false },
    ),
    ...DateAndDecimal,
    skipStatuses: Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 }),
    sourceTimeZone: Type.Optional(
      Type.String({ maxLength: 64, description: 'Zone of the times in the file' }),
    ),
  },
  { additionalProperties: false, $id: 'ImportCsvMapping' },
);

export const Encoding = Type.Union([Type.Literal('utf-8'), Type.Literal('windows-1251')]);
export const Delimiter = Type.Union([Type.Literal(';'), Type.Literal(','), Type.Literal('\t')]);

export const UploadQuery = Type.Object(
  {
    accountId: Id('The budget account the statement belongs to'),
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
    format: Type.Optional(
      Type.Union([Type.Literal('csv'), Type.Literal('ofx'), Type.Literal('qif')], {
        description: 'Detected from the content when omitted',
      }),
    ),
    encoding: Type.Optional(Encoding),
    delimiter: Type.Optional(Delimiter),
    presetId: Type.Optional(Id('A saved CSV mapping')),
    mapping: Type.Optional(
      Type.String({
        maxLength: 4000,
        description: 'A CSV mapping as JSON (ImportCsvMapping); overrides the preset',
      }),
    ),
    qifDates: Type.Optional(
      Type.Union([Type.Literal('mm/dd/yyyy'), Type.Literal('dd/mm/yyyy')], {
        description: 'How QIF slash dates read; month first by default',
      }),
    ),
  },
  { additionalProperties: false },
);
export type UploadQuery = Static<typeof UploadQuery>;

export const ImportPreview = Type.Object(
  {
    id: Id(),
    accountId: Id(),
    format: Type.String(),
    fileName: Type.String(),
    status: Type.Union([Type.Literal('preview'), Type.Literal('committed')]),
    encoding: Nullable(Type.String()),
    delimiter: Nullable(Type.String()),
    preset: Nullable(Type.String({ description: 'Built-in preset recognised by the header (tbank)' })),
    header: Type.Array(Type.String()),
    counts: Type.Object({
      new: Type.Integer(),
      duplicate: Type.Integer(),
      skipped: Type.Integer({ description: 'Set aside by the user or failed at the bank' }),
      transfers: Type.Integer({ description: 'New rows offered as one transfer with another own account' }),
    }),
    createdAt: Timestamp(),
    committedAt: Nullable(Timestamp()),
  },
  { $id: 'ImportPreview' },
);
export type ImportPreview = Static<typeof ImportPreview>;

export const ImportRow = Type.Object(
  {
    line: Type.Integer(),
    status: Type.Union([Type.Literal('new'), Type.Literal('duplicate'), Type.Literal('skipped')]),
    date: CalendarDate(),
    occurredAt: Nullable(Timestamp()),
    type: Type.Union([Type.Literal('income'), Type.Literal('expense')], {
      description: 'Money in or out of the account',
    }),
    amount: Money(),
    toAccountId: Nullable(Id('Set by a transfer rule: the other own account of the transfer')),
    categoryId: Nullable(Id()),
    categorySource: Nullable(Type.String({ description: 'rule, learned, bank or user' })),
    description: Type.String(),
    payee: Type.String(),
    mcc: Nullable(Type.String()),
    bankCategory: Nullable(Type.String()),
    bankId: Nullable(Type.String()),
    transferMatchId: Nullable(Id('The other side offered for one transfer')),
  },
  { $id: 'ImportRow' },
);
export type ImportRow = Static<typeof ImportRow>;

export const RowsQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union([Type.Literal('new'), Type.Literal('duplicate'), Type.Literal('skipped')]),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);
export type RowsQuery = Static<typeof RowsQuery>;

export const RowsPage = Type.Object({ items: Type.Array(ImportRow), total: Type.Integer() });

export const RowParams = Type.Object(
  { id: Id(), line: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const UpdateRowBody = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('new'), Type.Literal('skipped')])),
    categoryId: Type.Optional(Nullable(Id())),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    transfer: Type.Optional(Type.Boolean({ description: 'false declines the transfer offered' })),
  },
  { additionalProperties: false },
);
export type UpdateRowBody = Static<typeof UpdateRowBody>;

export const CommitResult = Type.Object({
  created: Type.Integer(),
  transfers: Type.Integer({ description: 'Operations of another account merged into one transfer' }),
});

export const BatchSummary = Type.Object({
  id: Id(),
  accountId: Id(),
  format: Type.String(),
  fileName: Type.String(),
  status: Type.String(),
  created: Type.Integer({ description: 'Transactions the batch wrote' }),
  createdAt: Timestamp(),
  committedAt: Nullable(Timestamp()),
});
