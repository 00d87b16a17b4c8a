import { Type, type Static } from 'typebox';
import { CalendarDate, Id, Money, Nullable, Timestamp } from '../../platform/schemas.js';

export const TransactionType = Type.Union(
  [Type.Literal('income'), Type.Literal('expense'), Type.Literal('transfer')],
  { description: 'income, expense or transfer between own accounts' },
);
export type TransactionType = Static<typeof TransactionType>;

const Description = Type.String({ maxLength: 500, description: 'Free text; searched by `q`' });

export const TransactionDto = Type.Object(
  {
    id: Id(),
    type: TransactionType,
    date: CalendarDate("The day in the user's time zone; months and day charts count by it"),
    occurredAt: Nullable(Timestamp()),
    accountId: Id('The account money leaves (expense, transfer) or arrives at (income)'),
    toAccountId: Nullable(Id('Transfers: the receiving account')),
    categoryId: Nullable(Id()),
    amount: Money('Positive, in the currency of accountId'),
    amountReceived: Nullable(Money('Transfers: what arrived, in the currency of toAccountId')),
    currency: Type.String({ description: 'Currency of accountId' }),
    toCurrency: Nullable(Type.String({ description: 'Currency of toAccountId' })),
    description: Type.String(),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  },
  { $id: 'BudgetTransaction' },
);
export type TransactionDto = Static<typeof TransactionDto>;

export const CreateTransactionBody = Type.Object(
  {
    type: TransactionType,
    date: Type.Optional(CalendarDate('Required unless occurredAt is given')),
    occurredAt: Type.Optional(
      Timestamp("The instant; the date is then the day of this instant in the user's time zone"),
    ),
    accountId: Id(),
    toAccountId: Type.Optional(Id('Required for a transfer; must be another account')),
    categoryId: Type.Optional(
      Type.Union([Id('A category of the same kind as the type'), Type.Null()], {
        description: 'Not for transfers',
      }),
    ),
    amount: Money('Positive, at most 2 decimal places'),
    amountReceived: Type.Optional(
      Money(
        'Transfers between currencies: the amount that arrived; same currency: equal to amount or omitted',
      ),
    ),
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);
export type CreateTransactionBody = Static<typeof CreateTransactionBody>;

export const UpdateTransactionBody = Type.Object(
  {
    type: Type.Optional(TransactionType),
    date: Type.Optional(CalendarDate()),
    occurredAt: Type.Optional(Type.Union([Timestamp(), Type.Null()])),
    accountId: Type.Optional(Id()),
    toAccountId: Type.Optional(Type.Union([Id(), Type.Null()])),
    categoryId: Type.Optional(Type.Union([Id(), Type.Null()])),
    amount: Type.Optional(Money()),
    amountReceived: Type.Optional(Type.Union([Money(), Type.Null()])),
    description: Type.Optional(Description),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTransactionBody = Static<typeof UpdateTransactionBody>;

export const BULK_MAX = 1000;

export const BulkCreateBody = Type.Object(
  { items: Type.Array(CreateTransactionBody, { minItems: 1, maxItems: BULK_MAX }) },
  { additionalProperties: false },
);

export const BulkCreateResponse = Type.Object({
  created: Type.Integer(),
  ids: Type.Array(Id(), { description: 'In the order of the items' }),
});

/** The list's filters, shared by the list and the CSV export. */
const filterProperties = {
  dateFrom: Type.Optional(CalendarDate('First day, included')),
  dateTo: Type.Optional(CalendarDate('Last day, included')),
  accountId: Type.Optional(Id('Either side of a transfer counts')),
  categoryId: Type.Optional(Id('A group includes its categories')),
  type: Type.Optional(TransactionType),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Text in the description or category name; % and _ are literal',
    }),
  ),
  amountMin: Type.Optional(Money('Smallest amount, included')),
  amountMax: Type.Optional(Money('Largest amount, included')),
};

export type TransactionFiltersQuery = Static<ReturnType<typeof Type.Object<typeof filterProperties>>>;

export const ListTransactionsQuery = Type.Object(
  {
    ...filterProperties,
    sort: Type.Optional(Type.Union([Type.Literal('date'), Type.Literal('amount')], { default: 'date' })),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
    page: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100_000, description: 'Page number instead of a cursor' }),
    ),
  },
  { additionalProperties: false },
);
export type ListTransactionsQuery = Static<typeof ListTransactionsQuery>;

export const ExportTransactionsQuery = Type.Object(
  {
    ...filterProperties,
    delimiter: Type.Optional(
      Type.Union([Type.Literal(';'), Type.Literal(',')], {
        default: ';',
        description: 'Field separator',
      }),
    ),
    decimal: Type.Optional(
      Type.Union([Type.Literal('comma'), Type.Literal('dot')], {
        default: 'comma',
        description: 'Decimal mark of the amounts (`1234,50` or `1234.50`)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ExportTransactionsQuery = Static<typeof ExportTransactionsQuery>;

export const TransactionPage = Type.Object({
  items: Type.Array(TransactionDto),
  total: Type.Integer({ description: 'Transactions matching the filters' }),
  limit: Type.Integer(),
  page: Type.Union([Type.Integer(), Type.Null()], { description: 'The page number when paging by page' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as cursor for the next page; null at the end',
  }),
});
