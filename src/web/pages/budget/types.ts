// The API's shapes, taken from the server's schemas (types only: nothing of the server is bundled).
import type { TransactionDto } from '../../../server/modules/budget/transactions.schemas.js';

export type { AccountDto as Account, AccountKind } from '../../../server/modules/budget/accounts.schemas.js';
export type { CategoryDto as Category } from '../../../server/modules/budget/categories.schemas.js';
export type {
  TransactionDto as Transaction,
  TransactionType,
} from '../../../server/modules/budget/transactions.schemas.js';
export type { Charts, MonthSummary } from '../../../server/modules/budget/summary.schemas.js';

export interface TransactionPage {
  items: TransactionDto[];
  total: number;
  limit: number;
  page: number | null;
  nextCursor: string | null;
}
