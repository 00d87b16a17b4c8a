import type { Db } from '../../platform/db.js';
import { AppError, validationFailed } from '../../platform/errors.js';
import { FOREIGN_KEY_VIOLATION, pgErrorCode } from '../../platform/pg-errors.js';
import { accountNotFound } from './budget-errors.js';
import * as q from './accounts.queries.js';
import type { AccountDto, AccountKind, CreateAccountBody, UpdateAccountBody } from './accounts.schemas.js';
import type { Profile } from './profile.js';
import type { HistoryChangedHook } from '../networth/history-changed.js';

export function toAccountDto(row: q.AccountWithBalance): AccountDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as AccountKind,
    currency: row.currency,
    openingBalance: row.openingBalance,
    balance: row.balance,
    archived: row.archived,
    transactionCount: row.transactionCount,
    createdAt: row.createdAt.toISOString(),
  };
}

const hasTransactions = () =>
  new AppError(
    409,
    'ACCOUNT_HAS_TRANSACTIONS',
    'The account has transactions; archive it instead (PATCH {"archived": true}) to keep its history',
  );

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw validationFailed('name', 'BLANK', 'must not be blank');
  return trimmed;
}

export function createAccountsService({
  db,
  profile,
  onHistoryChanged = [],
}: {
  db: Db;
  profile: Profile;
  onHistoryChanged?: readonly HistoryChangedHook[];
}) {
  /** An opening balance counts from the first day of the history: all of it changes. */
  async function openingChanged(tx: Db, userId: string): Promise<void> {
    for (const hook of onHistoryChanged) await hook(tx, userId, null);
  }

  async function withBalance(tx: Db, userId: string, id: string): Promise<AccountDto> {
    const [row] = await q.listAccountsWithBalances(tx, userId, { includeArchived: true, accountId: id });
    if (!row) throw accountNotFound();
    return toAccountDto(row);
  }

  return {
    async list(userId: string, includeArchived: boolean): Promise<AccountDto[]> {
      return (await q.listAccountsWithBalances(db, userId, { includeArchived })).map(toAccountDto);
    },

    get: (userId: string, id: string) => withBalance(db, userId, id),

    /** Balances per currency before `from` and their change per day over [from, to] (net-worth history). */
    balanceChanges: (userId: string, from: string, to: string) => q.balanceChanges(db, userId, from, to),

    firstTransactionDay: (userId: string) => q.firstTransactionDay(db, userId),

    async create(userId: string, body: CreateAccountBody): Promise<AccountDto> {
      const currency = body.currency ?? (await profile(userId)).baseCurrency;
      const row = await q.insertAccount(db, {
        userId,
        name: cleanName(body.name),
        kind: body.kind,
        currency,
        openingBalance: body.openingBalance ?? '0',
      });
      await openingChanged(db, userId);
      return withBalance(db, userId, row.id);
    },

    async update(userId: string, id: string, body: UpdateAccountBody): Promise<AccountDto> {
      return db.transaction(async (tx) => {
        const current = await q.findAccount(tx, userId, id);
        if (!current) throw accountNotFound();
        // Amounts are stored in the account's currency: changing it would silently relabel them.
        if (
          body.currency !== undefined &&
          body.currency !== current.currency &&
          (await q.accountHasTransactions(tx, userId, id))
        ) {
          throw new AppError(
            409,
            'ACCOUNT_CURRENCY_LOCKED',
            'currency: the account has transactions in its currency; open a new account instead',
            { field: 'currency' },
          );
        }
        await q.updateAccount(tx, userId, id, {
          ...body,
          name: body.name === undefined ? undefined : cleanName(body.name),
        });
        if (body.openingBalance !== undefined || body.currency !== undefined)
          await openingChanged(tx, userId);
        return withBalance(tx, userId, id);
      });
    },

    /** Deletes an account without history; one with transactions answers 409 (archive it): history is never erased. */
    async remove(userId: string, id: string): Promise<void> {
      if (!(await q.findAccount(db, userId, id))) throw accountNotFound();
      if (await q.accountHasTransactions(db, userId, id)) throw hasTransactions();
      try {
        await q.deleteAccount(db, userId, id);
        await openingChanged(db, userId);
      } catch (err) {
        // A transaction arrived between the check and the delete.
        if (pgErrorCode(err) === FOREIGN_KEY_VIOLATION) throw hasTransactions();
        throw err;
      }
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
