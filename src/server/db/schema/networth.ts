import { date, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/** One figure per user and day, in the base currency of that day: the net-worth history. */
export const netWorthSnapshots = pgTable(
  'net_worth_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    baseCurrency: text('base_currency').notNull(),
    assets: numeric('assets', { precision: 1000, scale: 2 }).notNull(),
    liabilities: numeric('liabilities', { precision: 1000, scale: 2 }).notNull(),
    netWorth: numeric('net_worth', { precision: 1000, scale: 2 }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('net_worth_snapshots_user_day_key').on(t.userId, t.day)],
);
