import type { Db } from '../../platform/db.js';

/**
 * Runs in the database transaction of a write that changes the net-worth history from `from` on
 * (null: all of it); the writing modules are given these hooks, the net-worth history provides one.
 */
export type HistoryChangedHook = (tx: Db, userId: string, from: string | null) => Promise<void>;
