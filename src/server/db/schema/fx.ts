import { date, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/** Bank of Russia rates as published: `value` roubles for `nominal` units, from `day` on. */
export const fxOfficialRates = pgTable(
  'fx_official_rates',
  {
    currency: text('currency').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    value: numeric('value', { precision: 20, scale: 4 }).notNull(),
    nominal: integer('nominal').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('fx_official_rates_currency_day_key').on(t.currency, t.day)],
);

/** Which days of a currency are known completely; beyond `toDay` a rate is stale. */
export const fxOfficialCoverage = pgTable('fx_official_coverage', {
  currency: text('currency').primaryKey(),
  cbrId: text('cbr_id'),
  fromDay: date('from_day', { mode: 'string' }),
  toDay: date('to_day', { mode: 'string' }),
  checkedAt: timestamp('checked_at', { withTimezone: true }),
  failedAt: timestamp('failed_at', { withTimezone: true }),
});

/** The daily refresh: who holds it (across instances) and how it last went. */
export const fxRefreshState = pgTable('fx_refresh_state', {
  source: text('source').primaryKey(),
  claimedUntil: timestamp('claimed_until', { withTimezone: true }),
  okAt: timestamp('ok_at', { withTimezone: true }),
  failedAt: timestamp('failed_at', { withTimezone: true }),
  error: text('error'),
});

/** A user's own rate for a currency and day, in roubles per unit. */
export const fxUserRates = pgTable(
  'fx_user_rates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    currency: text('currency').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    rate: numeric('rate', { precision: 30, scale: 9 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('fx_user_rates_user_currency_day_key').on(t.userId, t.currency, t.day)],
);
