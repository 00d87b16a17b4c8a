import {
  boolean,
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
import { users } from './users.js';

// Prices, quantities and rates: numeric(30,9); money amounts: numeric(20,2). Drivers return strings.
const decimal9 = (name: string) => numeric(name, { precision: 30, scale: 9 });
/** Figures summed over many operations: room for any number of them (single values have 15 digits). */
const sum9 = (name: string) => numeric(name, { precision: 1000, scale: 9 });
const money = (name: string) => numeric(name, { precision: 20, scale: 2 });

/**
 * The instrument catalogue. Written only from the market-data provider (list refresh, or the details
 * of one instrument a user picked); no client ever writes it.
 */
export const instruments = pgTable(
  'instruments',
  {
    /**
     * The app's id of the instrument: the uid of the provider that first described it (a T-Invest
     * uid, or `moex:BOARD:SECID`). It never changes when the provider does.
     */
    uid: text('uid').primaryKey(),
    figi: text('figi').notNull().default(''),
    ticker: text('ticker').notNull(),
    classCode: text('class_code').notNull().default(''),
    isin: text('isin').notNull().default(''),
    name: text('name').notNull(),
    /** share, bond, etf, currency, futures, option, sp, other. */
    kind: text('kind').notNull(),
    /** Trading currency, ISO upper case; '' when the provider left it empty. */
    currency: text('currency').notNull().default(''),
    lot: integer('lot').notNull().default(1),
    /** Bonds: current nominal per bond; currencies: units one quote is for. */
    nominal: decimal9('nominal'),
    /** Currency of the nominal; for currency instruments the ISO code the instrument trades. */
    nominalCurrency: text('nominal_currency'),
    /** Bonds: accrued coupon interest (НКД) per bond as of aci_date. */
    aciValue: decimal9('aci_value'),
    aciDate: date('aci_date'),
    minPriceIncrement: decimal9('min_price_increment'),
    maturityDate: date('maturity_date'),
    couponsPerYear: integer('coupons_per_year'),
    tradable: boolean('tradable').notNull().default(false),
    /** The instrument's T-Invest uid once known (MOEX ISS needs none: ticker + class code). */
    tinvestUid: text('tinvest_uid'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('instruments_ticker_idx').on(t.ticker),
    index('instruments_figi_idx').on(t.figi),
    index('instruments_kind_idx').on(t.kind),
    uniqueIndex('instruments_tinvest_uid_key').on(t.tinvestUid),
    index('instruments_ticker_class_idx').on(t.ticker, t.classCode),
    index('instruments_isin_idx').on(t.isin),
  ],
);

/** The last known price of an instrument: survives restarts and provider outages. */
export const lastPrices = pgTable('last_prices', {
  instrumentUid: text('instrument_uid')
    .primaryKey()
    .references(() => instruments.uid, { onDelete: 'cascade' }),
  /** Per piece in the instrument currency; bonds in % of the nominal. */
  price: decimal9('price').notNull(),
  /** When the exchange printed it. */
  priceTime: timestamp('price_time', { withTimezone: true }).notNull(),
  /** When we asked the provider. */
  fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull(),
  /** Close of the previous trading day (for the day change) and that day. */
  prevClose: decimal9('prev_close'),
  prevCloseDate: date('prev_close_date'),
  /** The provider that priced it: tinvest or moex. */
  source: text('source').notNull().default('tinvest'),
});

export const portfolios = pgTable(
  'portfolios',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** manual, or tinvest (synced from a broker account). */
    kind: text('kind').notNull().default('manual'),
    /** T-Invest broker account id of a synced portfolio. */
    accountId: text('account_id'),
    /** Whether cash balances (deposits, sale proceeds, income) are part of the portfolio value. */
    cashTracking: boolean('cash_tracking').notNull().default(false),
    lastSyncedAt: timestamp('last_synced_at', { withTimezone: true }),
    /** Bumped whenever its positions are derived again: a valuation made before is out of date. */
    positionsVersion: integer('positions_version').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('portfolios_user_idx').on(t.userId),
    uniqueIndex('portfolios_user_account_key').on(t.userId, t.accountId),
  ],
);

/** An asset a user describes by hand (no market data for it): priced manually. */
export const manualAssets = pgTable(
  'manual_assets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ticker: text('ticker').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    currency: text('currency').notNull(),
    /**
     * Current price per piece in `currency`: the latest entry of manual_asset_prices, rewritten in
     * the same transaction as every change to them; priced_at is that entry's day.
     */
    price: decimal9('price'),
    pricedAt: timestamp('priced_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('manual_assets_user_idx').on(t.userId)],
);

/** Dated prices of a manual asset, one per day. */
export const manualAssetPrices = pgTable(
  'manual_asset_prices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    manualAssetId: uuid('manual_asset_id')
      .notNull()
      .references(() => manualAssets.id, { onDelete: 'cascade' }),
    date: date('date').notNull(),
    /** Per piece in the asset's currency. */
    price: decimal9('price').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('manual_asset_prices_asset_date_key').on(t.manualAssetId, t.date),
    index('manual_asset_prices_user_idx').on(t.userId),
  ],
);

export const operations = pgTable(
  'operations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    /**
     * buy, sell, dividend, coupon, bond_redemption, fee, tax, deposit, withdrawal, split,
     * transfer_in, transfer_out, income.
     */
    type: text('type').notNull(),
    instrumentUid: text('instrument_uid').references(() => instruments.uid),
    manualAssetId: uuid('manual_asset_id').references(() => manualAssets.id),
    /** The calendar day in the user's time zone. */
    date: date('date').notNull(),
    /** Exact instant, to order operations within a day. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** Pieces; for a split, the multiplier of the quantity. */
    quantity: decimal9('quantity').notNull().default('0'),
    /** Per piece in `currency` (bonds: money per bond, not %). */
    price: decimal9('price'),
    /** Magnitude in the type's own direction (a negative tax or fee is a refund). */
    amount: money('amount').notNull().default('0'),
    commission: money('commission').notNull().default('0'),
    /** Bonds: НКД paid with a buy or received with a sale. */
    accruedInterest: money('accrued_interest').notNull().default('0'),
    currency: text('currency').notNull(),
    /** Units of `fx_base` per unit of `currency` on the operation's date; null when unknown. */
    fxRate: decimal9('fx_rate'),
    fxBase: text('fx_base'),
    /** The broker's current id of a synced operation; it may change, so it is not a key. */
    externalId: text('external_id'),
    /**
     * A synced operation's identity: a hash of what the broker never changes about it (account,
     * instrument, type, time, amount, quantity, trade numbers), so a later sync finds it again.
     */
    syncKey: text('sync_key'),
    note: text('note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('operations_portfolio_date_idx').on(t.portfolioId, t.date, t.occurredAt),
    index('operations_user_idx').on(t.userId),
    index('operations_portfolio_instrument_idx').on(t.portfolioId, t.instrumentUid),
    index('operations_manual_asset_idx').on(t.manualAssetId),
    index('operations_portfolio_external_idx').on(t.portfolioId, t.externalId),
    uniqueIndex('operations_portfolio_sync_key').on(t.portfolioId, t.syncKey),
  ],
);

/**
 * Positions and cash balances derived from the operations by valuation.ts, rewritten in the same
 * transaction as every change to a portfolio's operations, so reading a portfolio never replays
 * its history. Exactly one of instrument_uid, manual_asset_id, cash_currency is set.
 */
export const positions = pgTable(
  'positions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    instrumentUid: text('instrument_uid').references(() => instruments.uid),
    manualAssetId: uuid('manual_asset_id').references(() => manualAssets.id, { onDelete: 'cascade' }),
    cashCurrency: text('cash_currency'),
    /** The base currency the *_base columns are in. */
    baseCurrency: text('base_currency').notNull(),
    /** Currency of the trades (cash: the balance's currency). */
    currency: text('currency').notNull(),
    quantity: sum9('quantity').notNull(),
    /** Cost of what is held, in `currency`, with commissions and НКД paid. */
    cost: sum9('cost').notNull(),
    /** The same at the rates of the operations' dates; null when a rate is missing. */
    costBase: sum9('cost_base'),
    realized: sum9('realized').notNull(),
    realizedBase: sum9('realized_base'),
    incomeBase: sum9('income_base'),
    taxesBase: sum9('taxes_base'),
    feesBase: sum9('fees_base'),
    /** Fallback price per piece when the market has none. */
    lastTradePrice: decimal9('last_trade_price'),
    lastTradeDate: date('last_trade_date'),
    operationsCount: integer('operations_count').notNull(),
    /** Operations whose rate to the base currency is unknown. */
    missingRates: integer('missing_rates').notNull(),
  },
  (t) => [
    index('positions_user_idx').on(t.userId),
    uniqueIndex('positions_portfolio_instrument_key').on(t.portfolioId, t.instrumentUid),
    uniqueIndex('positions_portfolio_manual_key').on(t.portfolioId, t.manualAssetId),
    uniqueIndex('positions_portfolio_cash_key').on(t.portfolioId, t.cashCurrency),
  ],
);
