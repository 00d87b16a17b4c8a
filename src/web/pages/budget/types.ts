// Wire types of the budget API, generated from the OpenAPI document.
import type { Answer, Schema } from '../../lib/api.js';

export type Account = Schema<'BudgetAccount'>;
export type AccountKind = Account['kind'];
export type Category = Schema<'BudgetCategory'>;
export type Transaction = Schema<'BudgetTransaction'>;
export type TransactionType = Transaction['type'];
export type TransactionPage = Answer<'/budget/transactions', 'get'>;
export type MonthSummary = Answer<'/budget/summary/month', 'get'>;
export type Charts = Answer<'/budget/summary/charts', 'get'>;
