import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { RecurrenceRule } from '../../modules/schedules/recurrence.js';
import { users } from './users.js';

/** A mandatory payment: rent, a tax, a fee. Its status (planned / overdue / paid) is computed. */
export const obligations = pgTable(
  'obligations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    amount: numeric('amount', { precision: 20, scale: 2 }).notNull(),
    currency: text('currency').notNull().default('RUB'),
    done: boolean('done').notNull().default(false),
    /** Day it was paid; set exactly when `done`. */
    paidDate: date('paid_date', { mode: 'string' }),
    /** The repeat rule of a repeating payment (the schedules' rule; its start is the series' first day). */
    recurrence: jsonb('recurrence').$type<RecurrenceRule>(),
    /** Id of the series' first payment; the next one is added when one is paid. */
    seriesId: uuid('series_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('obligations_user_due_idx').on(t.userId, t.dueDate),
    uniqueIndex('obligations_series_due_key')
      .on(t.seriesId, t.dueDate)
      .where(sql`${t.seriesId} is not null`),
  ],
);

/** A loan (mortgage, consumer, car, credit card, private debt); its schedule is computed from the terms. */
export const creditBlocks = pgTable(
  'credit_blocks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** mortgage | consumer | car | credit_card | private */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    principal: numeric('principal', { precision: 20, scale: 2 }).notNull(),
    /** Nominal annual rate in percent. */
    annualRatePercent: numeric('annual_rate_percent', { precision: 30, scale: 9 }).notNull(),
    /** Always set; derived from `closeDate` when the loan was entered with one. */
    termMonths: integer('term_months').notNull(),
    closeDate: date('close_date', { mode: 'string' }),
    issueDate: date('issue_date', { mode: 'string' }).notNull(),
    paymentDay: integer('payment_day').notNull(),
    /** annuity | differentiated */
    paymentType: text('payment_type').notNull(),
    /** days | monthly */
    interestMethod: text('interest_method').notNull().default('days'),
    /** next | previous | none: where a payment day that is not a working day goes */
    paymentShift: text('payment_shift').notNull().default('next'),
    /** Penalty for overdue payments, percent a year; null: none. */
    penaltyRatePercent: numeric('penalty_rate_percent', { precision: 30, scale: 9 }),
    currency: text('currency').notNull().default('RUB'),
    /** active | closed */
    status: text('status').notNull().default('active'),
    notes: text('notes').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('credit_blocks_user_idx').on(t.userId)],
);

/** A scheduled payment of a credit block marked paid; owned through its block. */
export const creditPayments = pgTable(
  'credit_payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    blockId: uuid('block_id')
      .notNull()
      .references(() => creditBlocks.id, { onDelete: 'cascade' }),
    /** Scheduled payment number, 1-based. */
    number: integer('number').notNull(),
    paidDate: date('paid_date', { mode: 'string' }).notNull(),
    amount: numeric('amount', { precision: 20, scale: 2 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('credit_payments_block_number_key').on(t.blockId, t.number)],
);

/** A repayment beyond the schedule that shortens the term or lowers the payment; owned through its block. */
export const creditEarlyRepayments = pgTable(
  'credit_early_repayments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    blockId: uuid('block_id')
      .notNull()
      .references(() => creditBlocks.id, { onDelete: 'cascade' }),
    repaymentDate: date('repayment_date', { mode: 'string' }).notNull(),
    amount: numeric('amount', { precision: 20, scale: 2 }).notNull(),
    /** reduce_term | reduce_payment */
    mode: text('mode').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('credit_early_repayments_block_idx').on(t.blockId, t.repaymentDate)],
);
