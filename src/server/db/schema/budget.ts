import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { users } from './users.js';

/** A place money is kept. The balance is never stored: opening balance plus its transactions. */
export const budgetAccounts = pgTable(
  'budget_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** cash | card | savings | deposit | credit_card */
    kind: text('kind').notNull(),
    currency: text('currency').notNull(),
    openingBalance: numeric('opening_balance', { precision: 20, scale: 2 }).notNull().default('0'),
    archived: boolean('archived').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('budget_accounts_user_idx').on(t.userId),
    check(
      'budget_accounts_kind_check',
      sql`${t.kind} in ('cash', 'card', 'savings', 'deposit', 'credit_card')`,
    ),
  ],
);

/** Two levels: a group (no parent) and its categories. Deleting only sets `deleted_at`. */
export const budgetCategories = pgTable(
  'budget_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => budgetCategories.id),
    /** income | expense */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    color: text('color').notNull(),
    /** In the user's base currency; null means no limit. */
    monthlyLimit: numeric('monthly_limit', { precision: 20, scale: 2 }),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('budget_categories_user_idx').on(t.userId),
    uniqueIndex('budget_categories_active_name_key')
      .on(t.userId, t.kind, t.name)
      .where(sql`${t.deletedAt} is null`),
    check('budget_categories_kind_check', sql`${t.kind} in ('income', 'expense')`),
  ],
);

/**
 * Income, expense or a transfer. A transfer is one row (from `account_id` to `to_account_id`), so
 * its two legs cannot come apart; `amount_received` differs from `amount` across currencies.
 */
export const budgetTransactions = pgTable(
  'budget_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** income | expense | transfer */
    type: text('type').notNull(),
    /** The calendar day in the user's time zone; months and day charts group by it. */
    date: date('date', { mode: 'string' }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => budgetAccounts.id),
    toAccountId: uuid('to_account_id').references(() => budgetAccounts.id),
    categoryId: uuid('category_id').references(() => budgetCategories.id),
    amount: numeric('amount', { precision: 20, scale: 2 }).notNull(),
    amountReceived: numeric('amount_received', { precision: 20, scale: 2 }),
    description: text('description').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('budget_transactions_user_date_idx').on(t.userId, t.date, t.id),
    index('budget_transactions_user_amount_idx').on(t.userId, t.amount, t.id),
    index('budget_transactions_account_idx').on(t.accountId, t.date),
    index('budget_transactions_to_account_idx')
      .on(t.toAccountId, t.date)
      .where(sql`${t.toAccountId} is not null`),
    index('budget_transactions_category_idx')
      .on(t.categoryId, t.date)
      .where(sql`${t.categoryId} is not null`),
    check('budget_transactions_amount_check', sql`${t.amount} > 0`),
    check(
      'budget_transactions_shape_check',
      sql`(${t.type} = 'transfer' and ${t.toAccountId} is not null and ${t.toAccountId} <> ${t.accountId} and ${t.amountReceived} > 0 and ${t.categoryId} is null) or (${t.type} in ('income', 'expense') and ${t.toAccountId} is null and ${t.amountReceived} is null)`,
    ),
  ],
);

/**
 * Per account and calendar month: the sum of the legs of its transactions (SQL numeric), its income
 * and expense, and how many legs there are. Kept in the same database transaction as every write,
 * so balances and month series read a few rows per account instead of the whole history.
 */
export const budgetAccountMonths = pgTable(
  'budget_account_months',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => budgetAccounts.id, { onDelete: 'cascade' }),
    /** First day of the month. */
    month: date('month', { mode: 'string' }).notNull(),
    /** Σ legs: what the month changed the balance by. Sums have room for any number of amounts. */
    delta: numeric('delta', { precision: 1000, scale: 2 }).notNull(),
    /** Income and expense of the account in the month (transfers are in delta only). */
    income: numeric('income', { precision: 1000, scale: 2 }).notNull(),
    expense: numeric('expense', { precision: 1000, scale: 2 }).notNull(),
    legs: integer('legs').notNull(),
    /** Income and expense transactions of the account in the month (legs also count transfers). */
    flows: integer('flows').notNull().default(0),
  },
  // A unique index rather than a composite primary key: drizzle-kit cannot introspect the latter on PGlite.
  (t) => [uniqueIndex('budget_account_months_key').on(t.userId, t.accountId, t.month)],
);

/**
 * Per account, category and calendar month: the sum and number of its income or expense
 * transactions (no category is its own row,
 * keyed by the second index). Kept in the same database transaction as every write,
 * so limits and category reports read a few rows per category instead of every transaction.
 */
export const budgetCategoryMonths = pgTable(
  'budget_category_months',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => budgetAccounts.id, { onDelete: 'cascade' }),
    categoryId: uuid('category_id').references(() => budgetCategories.id, { onDelete: 'cascade' }),
    /** First day of the month. */
    month: date('month', { mode: 'string' }).notNull(),
    /** income | expense */
    type: text('type').notNull(),
    amount: numeric('amount', { precision: 1000, scale: 2 }).notNull(),
    flows: integer('flows').notNull(),
  },
  (t) => [
    uniqueIndex('budget_category_months_key')
      .on(t.userId, t.month, t.accountId, t.type, t.categoryId)
      .where(sql`${t.categoryId} is not null`),
    uniqueIndex('budget_category_months_uncategorised_key')
      .on(t.userId, t.month, t.accountId, t.type)
      .where(sql`${t.categoryId} is null`),
    check('budget_category_months_type_check', sql`${t.type} in ('income', 'expense')`),
  ],
);
