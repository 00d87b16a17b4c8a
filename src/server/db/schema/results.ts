import {
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
import { portfolios } from './investments.js';
import { users } from './users.js';

/**
 * Daily closes of instruments (and of the IMOEX index) from the market-data provider's day candles,
 * kept so that value history is computed from the database. Keyed by the app's instrument uid.
 */
export const dailyCloses = pgTable(
  'daily_closes',
  {
    instrumentUid: text('instrument_uid').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    /** As the candle: per piece in the instrument currency, bonds in % of the nominal, index points. */
    close: numeric('close', { precision: 30, scale: 9 }).notNull(),
    source: text('source').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('daily_closes_instrument_day_key').on(t.instrumentUid, t.day),
    index('daily_closes_fetched_idx').on(t.fetchedAt),
  ],
);

/** Which days of an instrument's closes were asked for already (a day without a candle is no gap). */
export const dailyCloseCoverage = pgTable('daily_close_coverage', {
  instrumentUid: text('instrument_uid').primaryKey(),
  fromDay: date('from_day', { mode: 'string' }).notNull(),
  toDay: date('to_day', { mode: 'string' }).notNull(),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A portfolio held on an individual investment account (ИИС): type A, B or III. */
export const portfolioTaxSettings = pgTable('portfolio_tax_settings', {
  portfolioId: uuid('portfolio_id')
    .primaryKey()
    .references(() => portfolios.id, { onDelete: 'cascade' }),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  iisType: text('iis_type'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A portfolio's value per day, a cache derived from operations, closes and rates. Rows from the
 * earliest changed day on are recomputed; nothing here is the only copy of anything.
 */
export const portfolioDailyValues = pgTable(
  'portfolio_daily_values',
  {
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    value: numeric('value', { precision: 20, scale: 2 }).notNull(),
    flow: numeric('flow', { precision: 20, scale: 2 }).notNull(),
    netInvested: numeric('net_invested', { precision: 20, scale: 2 }).notNull(),
    missing: integer('missing').notNull(),
  },
  (t) => [uniqueIndex('portfolio_daily_values_portfolio_day_key').on(t.portfolioId, t.day)],
);

/** How far a portfolio's cached series is valid: up to which day, as of when, in which currency. */
export const portfolioSeriesState = pgTable('portfolio_series_state', {
  portfolioId: uuid('portfolio_id')
    .primaryKey()
    .references(() => portfolios.id, { onDelete: 'cascade' }),
  baseCurrency: text('base_currency').notNull(),
  firstDay: date('first_day', { mode: 'string' }).notNull(),
  computedTo: date('computed_to', { mode: 'string' }).notNull(),
  /** The database time the computation started: anything changed after it is newer than the cache. */
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
  operationsCount: integer('operations_count').notNull(),
  pricesCount: integer('prices_count').notNull(),
  /** The user's own rates as they were (count and a hash of them): any change recomputes all. */
  ratesKey: text('rates_key').notNull(),
});
