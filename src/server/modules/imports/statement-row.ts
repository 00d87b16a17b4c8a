import type { FileProblem } from './file-problems.js';

/** One operation read from a statement, before rules, duplicates and categories. */
export interface StatementRow {
  line: number;
  /** The user's calendar day. */
  date: string;
  occurredAt: Date | null;
  /** Signed, 2 places: minus is money out of the account. */
  amount: string;
  /** The currency of `amount` when the file says it. */
  currency: string | null;
  description: string;
  payee: string;
  mcc: string | null;
  bankCategory: string | null;
  bankId: string | null;
}

export type StatementItem = { row: StatementRow } | { problem: FileProblem } | { skipped: number };

/** What every reader needs besides the text. */
export interface ReadContext {
  /** The user's time zone: the day of an instant is taken there. */
  timeZone: string;
  maxRows: number;
}
