import { parseDecimal, toFixed } from '../../../common/money.js';
import { dayInZone } from '../../../common/dates.js';
import { validationFailed } from '../../platform/errors.js';
import { accountNotFound, categoryNotFound } from './budget-errors.js';
import type { TransactionType } from './transactions.schemas.js';

export interface AccountRef {
  id: string;
  currency: string;
  archived: boolean;
}

export interface CategoryRef {
  id: string;
  kind: string;
  deleted: boolean;
}

/** A transaction as a client describes it (a create body, or a stored row merged with a patch). */
export interface TransactionInput {
  type: TransactionType;
  date?: string;
  occurredAt?: string | null;
  accountId: string;
  toAccountId?: string | null;
  categoryId?: string | null;
  amount: string;
  amountReceived?: string | null;
  description?: string;
}

export interface RuleContext {
  timeZone: string;
  accounts: ReadonlyMap<string, AccountRef>;
  categories: ReadonlyMap<string, CategoryRef>;
  /** Prefix of field names in errors, e.g. `items.3.` in a bulk request. */
  prefix?: string;
  /** On edit, the stored transaction. */
  kept?: {
    /** References it already has: they may stay even if archived or deleted since. */
    accountIds: ReadonlySet<string>;
    categoryId: string | null;
    /** Its currencies and amount received: amounts are kept only while the currencies stay. */
    currency: string;
    toCurrency: string | null;
    amountReceived: string | null;
    /** Whether the edit gives `amount` again. */
    amountGiven: boolean;
  };
}

export interface TransactionValues {
  type: TransactionType;
  date: string;
  occurredAt: Date | null;
  accountId: string;
  toAccountId: string | null;
  categoryId: string | null;
  amount: string;
  amountReceived: string | null;
  description: string;
  currency: string;
  toCurrency: string | null;
}

function positive(value: string, field: string): string {
  const amount = parseDecimal(value, 2);
  if (amount.lte(0)) throw validationFailed(field, 'NOT_POSITIVE', 'must be greater than 0');
  return toFixed(amount, 2);
}

/**
 * Checks a transaction against the rules and the user's accounts and categories, and returns what
 * is stored. Unknown (or another user's) references are 404s naming the field; rule breaks are 422s.
 */
export function checkTransaction(input: TransactionInput, ctx: RuleContext): TransactionValues {
  const p = ctx.prefix ?? '';
  const fail = (field: string, code: string, message: string) =>
    validationFailed(`${p}${field}`, code, message);
  const keptAccount = (id: string) => ctx.kept?.accountIds.has(id) === true;

  const amount = positive(input.amount, `${p}amount`);

  let date = input.date;
  let occurredAt: Date | null = null;
  if (input.occurredAt !== undefined && input.occurredAt !== null) {
    occurredAt = new Date(input.occurredAt);
    if (Number.isNaN(occurredAt.getTime()))
      throw fail('occurredAt', 'INVALID', 'must be an ISO 8601 timestamp');
    // The day is the one the user lived it: the instant read in the user's time zone.
    const day = dayInZone(occurredAt, ctx.timeZone);
    if (date !== undefined && date !== day) {
      throw fail('date', 'INVALID', `does not match occurredAt, which is ${day} in ${ctx.timeZone}`);
    }
    date = day;
  }
  if (date === undefined) throw fail('date', 'INVALID', 'is required (or give occurredAt)');

  const account = ctx.accounts.get(input.accountId);
  if (!account) throw accountNotFound(`${p}accountId`);
  if (account.archived && !keptAccount(account.id))
    throw fail('accountId', 'INVALID', 'the account is archived');
  // An amount is in its account's currency: moved to another currency, it is never reinterpreted.
  if (ctx.kept && !ctx.kept.amountGiven && account.currency !== ctx.kept.currency) {
    throw fail(
      'amount',
      'INVALID',
      `is required again: the account is in ${account.currency}, not ${ctx.kept.currency}`,
    );
  }

  const description = (input.description ?? '').trim();

  if (input.type === 'transfer') {
    if (input.toAccountId === undefined || input.toAccountId === null) {
      throw fail('toAccountId', 'REQUIRED', 'is required for a transfer');
    }
    if (input.categoryId !== undefined && input.categoryId !== null) {
      throw fail('categoryId', 'TRANSFER_HAS_NO_CATEGORY', 'a transfer has no category');
    }
    const to = ctx.accounts.get(input.toAccountId);
    if (!to) throw accountNotFound(`${p}toAccountId`);
    if (to.id === account.id) throw fail('toAccountId', 'INVALID', 'must be another account than accountId');
    if (to.archived && !keptAccount(to.id)) throw fail('toAccountId', 'INVALID', 'the account is archived');
    let amountReceived: string;
    if (to.currency === account.currency) {
      if (input.amountReceived !== undefined && input.amountReceived !== null) {
        if (!parseDecimal(input.amountReceived, 2).eq(amount)) {
          throw fail('amountReceived', 'INVALID', 'must equal amount between accounts in the same currency');
        }
      }
      amountReceived = amount;
    } else {
      const sameCurrencies = ctx.kept?.currency === account.currency && ctx.kept.toCurrency === to.currency;
      const received = input.amountReceived ?? (sameCurrencies ? ctx.kept?.amountReceived : undefined);
      if (received === undefined || received === null) {
        throw fail(
          'amountReceived',
          'REQUIRED',
          `is required for a transfer from ${account.currency} to ${to.currency}`,
        );
      }
      amountReceived = positive(received, `${p}amountReceived`);
    }
    return {
      type: 'transfer',
      date,
      occurredAt,
      accountId: account.id,
      toAccountId: to.id,
      categoryId: null,
      amount,
      amountReceived,
      description,
      currency: account.currency,
      toCurrency: to.currency,
    };
  }

  if (input.toAccountId !== undefined && input.toAccountId !== null) {
    throw fail('toAccountId', 'ONLY_TRANSFER', 'only a transfer has a receiving account');
  }
  if (input.amountReceived !== undefined && input.amountReceived !== null) {
    throw fail('amountReceived', 'INVALID', 'only a transfer has an amount received');
  }
  let categoryId: string | null = null;
  if (input.categoryId !== undefined && input.categoryId !== null) {
    const category = ctx.categories.get(input.categoryId);
    if (!category) throw categoryNotFound(`${p}categoryId`);
    if (category.deleted && ctx.kept?.categoryId !== category.id)
      throw fail('categoryId', 'INVALID', 'the category is deleted');
    if (category.kind !== input.type) {
      throw fail(
        'categoryId',
        'INVALID',
        `is an ${category.kind} category; an ${input.type} needs an ${input.type} category`,
      );
    }
    categoryId = category.id;
  }
  return {
    type: input.type,
    date,
    occurredAt,
    accountId: account.id,
    toAccountId: null,
    categoryId,
    amount,
    amountReceived: null,
    description,
    currency: account.currency,
    toCurrency: null,
  };
}
