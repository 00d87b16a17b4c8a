import type { AppInstance } from '../../platform/app-instance.js';
import type { Db } from '../../platform/db.js';
import type { FxService } from '../fx/fx.service.js';
import type { HistoryChangedHook } from '../networth/history-changed.js';
import { accountsRoutes } from './accounts.routes.js';
import { createAccountsService } from './accounts.service.js';
import { categoriesRoutes } from './categories.routes.js';
import { createCategoriesService } from './categories.service.js';
import type { Profile } from './profile.js';
import { summaryRoutes } from './summary.routes.js';
import { createSummaryService } from './summary.service.js';
import { transactionsRoutes } from './transactions.routes.js';
import { createTransactionsService, type TransactionsCreatedHook } from './transactions.service.js';

export type { Profile } from './profile.js';

export function createBudget(deps: {
  db: Db;
  profile: Profile;
  now: () => Date;
  fx: FxService;
  /** Filled by modules created later (schedules); read when transactions are created. */
  onTransactionsCreated?: readonly TransactionsCreatedHook[];
  /** Told of every write that changes balances (the net-worth history). */
  onHistoryChanged?: readonly HistoryChangedHook[];
}) {
  return {
    accounts: createAccountsService(deps),
    categories: createCategoriesService(deps),
    transactions: createTransactionsService({ ...deps, onCreated: deps.onTransactionsCreated ?? [] }),
    summary: createSummaryService(deps),
  };
}

export type Budget = ReturnType<typeof createBudget>;

export function budgetRoutes(app: AppInstance, budget: Budget): void {
  accountsRoutes(app, budget.accounts);
  categoriesRoutes(app, budget.categories);
  transactionsRoutes(app, budget.transactions);
  summaryRoutes(app, budget.summary);
}
