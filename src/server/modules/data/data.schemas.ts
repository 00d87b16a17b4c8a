import { Type, type Static } from 'typebox';
import { Currency } from '../../platform/schemas.js';

export const DataFile = Type.Object(
  {
    format: Type.String({ maxLength: 100, description: '`wealthtracker-export`' }),
    version: Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'The format version; this build writes 2 and reads 1 and 2',
    }),
    exportedAt: Type.Optional(Type.String({ maxLength: 40 })),
    profile: Type.Optional(
      Type.Object({
        baseCurrency: Currency(),
        timeZone: Type.String({ minLength: 1, maxLength: 64 }),
        locale: Type.Union([Type.Literal('ru'), Type.Literal('en')]),
      }),
    ),
    tables: Type.Record(
      Type.String({ maxLength: 64 }),
      Type.Array(Type.Record(Type.String(), Type.Unknown()), {
        description: 'Rows with the columns of the table',
      }),
      { description: 'Rows by table name' },
    ),
  },
  { additionalProperties: false },
);
export type DataFile = Static<typeof DataFile>;

export const ImportSummary = Type.Object(
  {
    tables: Type.Record(Type.String(), Type.Integer(), { description: 'Rows written by table' }),
  },
  {},
);
export type ImportSummary = Static<typeof ImportSummary>;
