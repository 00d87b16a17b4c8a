import { Type, type Static } from 'typebox';
import { Id, Money, Timestamp } from '../../platform/schemas.js';

export const AccountKind = Type.Union(
  [
    Type.Literal('cash'),
    Type.Literal('card'),
    Type.Literal('savings'),
    Type.Literal('deposit'),
    Type.Literal('credit_card'),
  ],
  { description: 'cash, card, savings, deposit or credit_card' },
);

const AccountName = Type.String({ minLength: 1, maxLength: 100, description: 'Shown in lists and forms' });

export type AccountKind = Static<typeof AccountKind>;

const CurrencyCode = (description: string) =>
  Type.String({ format: 'currency', description, examples: ['RUB'] });

export const AccountDto = Type.Object(
  {
    id: Id(),
    name: Type.String(),
    kind: AccountKind,
    currency: Type.String({ description: 'ISO 4217 code; amounts of the account are in it' }),
    openingBalance: Money('Balance before the first transaction'),
    balance: Money('Opening balance + income − expense − transfers out + transfers in, all dates'),
    archived: Type.Boolean({ description: 'Hidden from forms; history and balance are kept' }),
    transactionCount: Type.Integer({ description: 'Transactions touching the account (either side)' }),
    createdAt: Timestamp(),
  },
  { $id: 'BudgetAccount' },
);
export type AccountDto = Static<typeof AccountDto>;

export const CreateAccountBody = Type.Object(
  {
    name: AccountName,
    kind: AccountKind,
    currency: Type.Optional(CurrencyCode("ISO 4217 code; the user's base currency when omitted")),
    openingBalance: Type.Optional(
      Money('Balance before the first transaction (negative for a debt); 0 when omitted'),
    ),
  },
  { additionalProperties: false },
);
export type CreateAccountBody = Static<typeof CreateAccountBody>;

export const UpdateAccountBody = Type.Object(
  {
    name: Type.Optional(AccountName),
    kind: Type.Optional(AccountKind),
    currency: Type.Optional(
      CurrencyCode('ISO 4217 code; changes only while the account has no transactions'),
    ),
    openingBalance: Type.Optional(Money()),
    archived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAccountBody = Static<typeof UpdateAccountBody>;

export const ListAccountsQuery = Type.Object(
  {
    includeArchived: Type.Optional(
      Type.Boolean({ description: 'Also list archived accounts', default: false }),
    ),
  },
  { additionalProperties: false },
);
