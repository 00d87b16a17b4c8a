import { Type, type Static, type TSchema } from 'typebox';
import { MAX_INTEGER_DIGITS, MAX_MONEY } from '../../common/money.js';

// Shared wire types: money and quantities travel as decimal strings, days as YYYY-MM-DD.
// The `money` and `decimal` formats check the grammar and, in requests, the limit. Answers may
// carry longer figures: sums (balances, totals, net worth) have no limit of their own.
const LIMIT = `; in a request at most ${MAX_INTEGER_DIGITS} digits before the point`;
export const Money = (description = 'Amount, decimal string with up to 2 places') =>
  Type.String({
    format: 'money',
    description: `${description}${LIMIT} (largest ${MAX_MONEY})`,
    examples: ['1234.50'],
  });
export const Decimal = (description = 'Decimal string with up to 9 places') =>
  Type.String({ format: 'decimal', description: description + LIMIT, examples: ['12.345'] });
export const CalendarDate = (description = 'Calendar day YYYY-MM-DD') =>
  Type.String({ format: 'date', description, examples: ['2026-01-31'] });
export const Month = (description = 'Month YYYY-MM') =>
  Type.String({ format: 'month', description, examples: ['2026-01'] });
export const Id = (description = 'Id') => Type.String({ format: 'uuid', description });
export const Timestamp = (description = 'Instant, ISO 8601 UTC') =>
  Type.String({ format: 'date-time', description });
export const Currency = () =>
  Type.String({ format: 'currency', description: 'ISO 4217 currency code', examples: ['RUB'] });

export const IdParams = Type.Object({ id: Id() }, { additionalProperties: false });

const FieldError = Type.Object({
  field: Type.String({
    description: 'The field, dotted inside objects and lists',
    examples: ['items.17.amount'],
  }),
  code: Type.Optional(
    Type.String({
      description: 'Stable UPPER_SNAKE code of the problem, e.g. REQUIRED, TOO_LONG, FORMAT',
      examples: ['TOO_LONG'],
    }),
  ),
  params: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'Facts behind the problem, e.g. the remaining debt',
    }),
  ),
  message: Type.String(),
});

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable UPPER_SNAKE code', examples: ['VALIDATION_FAILED'] }),
      message: Type.String({ description: 'For people; on a 422 it starts with the first field' }),
      details: Type.Optional(
        Type.Object(
          { fields: Type.Optional(Type.Array(FieldError, { description: 'Every invalid field of a 422' })) },
          { additionalProperties: true, description: 'Facts behind the code; the fields of a 422' },
        ),
      ),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every error has this shape' },
);

/** Response map with the usual error statuses documented. */
export function responses<T extends Record<number, TSchema>>(ok: T): T & Record<number, TSchema> {
  const err = Type.Ref('ErrorResponse');
  return { 400: err, 401: err, 404: err, 422: err, 429: err, 500: err, ...ok };
}

/**
 * A value or null in a response. Strings, numbers and booleans list `null` among their types
 * rather than using `anyOf`: the response serializer writes those directly, while an `anyOf`
 * makes it run a validator per value to pick a branch (for every row of a list).
 */
export const Nullable = <T extends TSchema>(schema: T) => {
  const type = (schema as { type?: unknown }).type;
  return type === 'string' || type === 'integer' || type === 'number' || type === 'boolean'
    ? Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] })
    : Type.Union([schema, Type.Null()]);
};
