import { date, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/**
 * The net-worth history, one row per user and day in the base currency: a cache rebuilt from
 * balances, credits, portfolio values and rates from the earliest changed day on. A day without a
 * rate for a currency it needs has null figures and names the currencies.
 */
export const netWorthSnapshots = pgTable(
  'net_worth_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    baseCurrency: text('base_currency').notNull(),
    assets: numeric('assets', { precision: 1000, scale: 2 }),
    liabilities: numeric('liabilities', { precision: 1000, scale: 2 }),
    netWorth: numeric('net_worth', { precision: 1000, scale: 2 }),
    /** The portfolios' value that day as their own series gave it (compared to find changes). */
    portfolio: numeric('portfolio', { precision: 1000, scale: 2 }).notNull().default('0'),
    missingRates: text('missing_rates').array().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('net_worth_snapshots_user_day_key').on(t.userId, t.day)],
);

/** Bumped by every write that changes a user's history; a computation older than a bump stores nothing. */
export const netWorthState = pgTable('net_worth_state', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  version: integer('version').notNull().default(0),
});
