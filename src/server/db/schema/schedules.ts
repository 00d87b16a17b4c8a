import { sql } from 'drizzle-orm';
import {
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
} from 'drizzle-orm/pg-core';
import { budgetAccounts, budgetCategories, budgetTransactions } from './budget.js';
import { users } from './users.js';

/** A recurring income, expense or transfer; its occurrences are computed from the rule. */
export const schedules = pgTable(
  'schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** income | expense | transfer */
    type: text('type').notNull(),
    title: text('title').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => budgetAccounts.id, { onDelete: 'cascade' }),
    toAccountId: uuid('to_account_id').references(() => budgetAccounts.id, { onDelete: 'cascade' }),
    categoryId: uuid('category_id').references(() => budgetCategories.id),
    amount: numeric('amount', { precision: 20, scale: 2 }).notNull(),
    /** 0 for a fixed amount; otherwise a matching transaction may differ by this many percent. */
    tolerancePercent: integer('tolerance_percent').notNull().default(0),
    every: integer('every').notNull(),
    /** day | week | month | year */
    unit: text('unit').notNull(),
    monthDay: integer('month_day'),
    weekday: integer('weekday'),
    /** none | before | after: where a day off moves to */
    shift: text('shift').notNull().default('none'),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    count: integer('count'),
    /** auto: posted on the day; confirm: waits for the user */
    mode: text('mode').notNull(),
    /** Occurrences before this day are never posted (the user recorded them before the schedule existed). */
    postFrom: date('post_from', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('schedules_user_idx').on(t.userId),
    index('schedules_account_idx').on(t.accountId),
    check('schedules_type_check', sql`${t.type} in ('income', 'expense', 'transfer')`),
    check('schedules_unit_check', sql`${t.unit} in ('day', 'week', 'month', 'year')`),
    check('schedules_shift_check', sql`${t.shift} in ('none', 'before', 'after')`),
    check('schedules_mode_check', sql`${t.mode} in ('auto', 'confirm')`),
    check('schedules_every_check', sql`${t.every} > 0`),
  ],
);

/** What happened to one occurrence, keyed by its nominal day (the posting job's unique key). */
export const scheduleOccurrences = pgTable(
  'schedule_occurrences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    nominalDate: date('nominal_date', { mode: 'string' }).notNull(),
    /** posted | matched | skipped | changed (still expected, on another day or amount) */
    status: text('status').notNull(),
    date: date('date', { mode: 'string' }),
    amount: numeric('amount', { precision: 20, scale: 2 }),
    transactionId: uuid('transaction_id').references(() => budgetTransactions.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('schedule_occurrences_key').on(t.scheduleId, t.nominalDate),
    uniqueIndex('schedule_occurrences_transaction_key')
      .on(t.transactionId)
      .where(sql`${t.transactionId} is not null`),
    check(
      'schedule_occurrences_status_check',
      sql`${t.status} in ('posted', 'matched', 'skipped', 'changed')`,
    ),
  ],
);
