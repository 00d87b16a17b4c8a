import { dayInZone } from '../../../common/dates.js';
import { parseDecimal } from '../../../common/money.js';
import type { SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { validationFailed } from '../../platform/errors.js';
import { adjustMonthSums } from './accounts.queries.js';
import { retryOnConflict } from '../../platform/retry.js';
import { accountNotFound, categoryNotFound, transactionNotFound } from './budget-errors.js';
import type { Profile } from './profile.js';
import type { HistoryChangedHook } from '../networth/history-changed.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import { newTransactionId } from './transaction-ids.js';
import { checkTransaction, type TransactionInput, type TransactionValues } from './transaction-rules.js';
import * as q from './transactions.queries.js';
import { csvLine, csvStart, type CsvStyle } from './transactions-csv.js';
import type {
  CreateTransactionBody,
  ExportTransactionsQuery,
  ListTransactionsQuery,
  TransactionFiltersQuery,
  TransactionDto,
  UpdateTransactionBody,
} from './transactions.schemas.js';

export function toTransactionDto(row: q.TransactionRow): TransactionDto {
  return {
    id: row.id,
    type: row.type as TransactionDto['type'],
    date: row.date,
    occurredAt: row.occurredAt?.toISOString() ?? null,
    accountId: row.accountId,
    toAccountId: row.toAccountId,
    categoryId: row.categoryId,
    amount: row.amount,
    amountReceived: row.amountReceived,
    currency: row.currency,
    toCurrency: row.toCurrency,
    description: row.description,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The columns of checked values (the currencies belong to the accounts). */
function stored(values: TransactionValues) {
  return {
    type: values.type,
    date: values.date,
    occurredAt: values.occurredAt,
    accountId: values.accountId,
    toAccountId: values.toAccountId,
    categoryId: values.categoryId,
    amount: values.amount,
    amountReceived: values.amountReceived,
    description: values.description,
  };
}

/** Rows read per statement by the CSV export. */
const EXPORT_PAGE = 1000;

export interface TransactionPage {
  items: TransactionDto[];
  total: number;
  limit: number;
  page: number | null;
  nextCursor: string | null;
}

/** A transaction just entered or imported, as the created hooks see it. */
export type CreatedTransaction = q.InsertedTransaction;

/** Runs in the database transaction that inserts entered or imported transactions (schedules link them to expected occurrences). */
export type TransactionsCreatedHook = (
  tx: Db,
  userId: string,
  created: CreatedTransaction[],
) => Promise<void>;

export function createTransactionsService({
  db,
  profile,
  now,
  onCreated = [],
  onHistoryChanged = [],
}: {
  db: Db;
  profile: Profile;
  now: () => Date;
  onCreated?: readonly TransactionsCreatedHook[];
  onHistoryChanged?: readonly HistoryChangedHook[];
}) {
  /**
   * Every write of transactions goes through here, in its database transaction, after an insert and
   * before a delete (an edit: both): the month sums follow, and the history hooks learn the earliest
   * day whose balances changed.
   */
  async function written(tx: Db, userId: string, ids: string[], sign: 1 | -1): Promise<void> {
    await adjustMonthSums(tx, userId, ids, sign);
    if (onHistoryChanged.length === 0 || ids.length === 0) return;
    const from = await q.earliestDay(tx, userId, ids);
    if (from !== null) for (const hook of onHistoryChanged) await hook(tx, userId, from);
  }

  /** The user's accounts and categories that `inputs` refer to, for checkTransaction. */
  async function references(tx: Db, userId: string, inputs: TransactionInput[]) {
    const accountIds = new Set<string>();
    const categoryIds = new Set<string>();
    for (const i of inputs) {
      accountIds.add(i.accountId);
      if (i.toAccountId) accountIds.add(i.toAccountId);
      if (i.categoryId) categoryIds.add(i.categoryId);
    }
    const refs = await q.findReferences(tx, userId, [...accountIds], [...categoryIds]);
    return {
      accounts: new Map(refs.accounts.map((a) => [a.id, a])),
      categories: new Map(refs.categories.map((c) => [c.id, c])),
    };
  }

  /** The list's filters, checked; a group category stands for its categories. */
  async function filtersOf(userId: string, query: TransactionFiltersQuery): Promise<q.TransactionFilters> {
    if (query.dateFrom !== undefined && query.dateTo !== undefined && query.dateTo < query.dateFrom) {
      throw validationFailed('dateTo', 'BEFORE_OTHER', 'must not be before dateFrom', { other: 'dateFrom' });
    }
    if (
      query.amountMin !== undefined &&
      query.amountMax !== undefined &&
      parseDecimal(query.amountMax, 2).lt(parseDecimal(query.amountMin, 2))
    ) {
      throw validationFailed('amountMax', 'BEFORE_OTHER', 'must not be less than amountMin', {
        other: 'amountMin',
      });
    }
    const filters: q.TransactionFilters = {
      dateFrom: query.dateFrom,
      dateTo: query.dateTo,
      type: query.type,
      q: query.q,
      amountMin: query.amountMin,
      amountMax: query.amountMax,
    };
    if (query.accountId !== undefined) filters.accountId = query.accountId;
    if (query.categoryId !== undefined) {
      const ids = await q.categoryWithChildren(db, userId, query.categoryId);
      if (ids.length === 0) throw categoryNotFound('categoryId');
      filters.categoryIds = ids;
    }
    return filters;
  }

  async function find(tx: Db, userId: string, id: string): Promise<q.TransactionRow> {
    const row = await q.findTransaction(tx, userId, id);
    if (!row) throw transactionNotFound();
    return row;
  }

  /** Inserts checked transactions in one statement, with their month sums, inside `tx`. */
  async function insertIn(
    tx: Db,
    userId: string,
    timeZone: string,
    inputs: TransactionInput[],
    bulk: boolean,
  ) {
    const refs = await references(tx, userId, inputs);
    const rows = inputs.map((input, i) => ({
      id: newTransactionId(),
      userId,
      ...stored(checkTransaction(input, { timeZone, ...refs, prefix: bulk ? `items.${i}.` : '' })),
    }));
    await q.insertTransactions(tx, rows);
    await written(
      tx,
      userId,
      rows.map((r) => r.id),
      1,
    );
    return rows;
  }

  /** Inserts checked transactions and runs the created hooks: all of them or none. */
  async function insertAll(userId: string, inputs: TransactionInput[], bulk: boolean): Promise<string[]> {
    const { timeZone } = await profile(userId);
    return retryOnConflict(() =>
      db.transaction(async (tx) => {
        const rows = await insertIn(tx, userId, timeZone, inputs, bulk);
        const created = rows.map((r) => ({
          id: r.id,
          type: r.type,
          date: r.date,
          accountId: r.accountId,
          toAccountId: r.toAccountId ?? null,
          amount: r.amount,
        }));
        for (const hook of onCreated) await hook(tx, userId, created);
        return created.map((r) => r.id);
      }),
    );
  }

  return {
    /**
     * Writes transactions another module has already checked (a statement import: the user's own
     * account, categories of the right kind) inside its database transaction, in one statement from
     * `source` (a select of the columns of q.insertSelected): the one insert of the budget, then the
     * month sums, the history mark from the earliest day and the created hooks, like transactions
     * entered by hand. However many rows, none of them passes through here.
     */
    async insertChecked(tx: Db, userId: string, source: SQL): Promise<number> {
      const created = await q.insertSelected(tx, userId, source);
      if (created.length === 0) return 0;
      await written(
        tx,
        userId,
        created.map((r) => r.id),
        1,
      );
      for (const hook of onCreated) await hook(tx, userId, created);
      return created.length;
    },

    /** Removes transactions inside another module's database transaction, with their month sums (undoing an import). */
    async removeWithin(tx: Db, userId: string, ids: string[]) {
      if (ids.length === 0) return;
      await written(tx, userId, ids, -1);
      await q.deleteTransactions(tx, userId, ids);
    },

    get: async (userId: string, id: string) => toTransactionDto(await find(db, userId, id)),

    async create(userId: string, body: CreateTransactionBody): Promise<TransactionDto> {
      const [id] = await insertAll(userId, [body], false);
      return toTransactionDto(await find(db, userId, id!));
    },

    /** Inserts one transaction inside the caller's database transaction, without the created hooks: a schedule posting its own occurrence. */
    async createWithin(tx: Db, userId: string, body: CreateTransactionBody): Promise<string> {
      const { timeZone } = await profile(userId);
      const [row] = await insertIn(tx, userId, timeZone, [body], false);
      return row!.id;
    },

    async createMany(
      userId: string,
      items: CreateTransactionBody[],
    ): Promise<{ created: number; ids: string[] }> {
      const ids = await insertAll(userId, items, true);
      return { created: ids.length, ids };
    },

    async update(userId: string, id: string, body: UpdateTransactionBody): Promise<TransactionDto> {
      const { timeZone } = await profile(userId);
      return retryOnConflict(() =>
        db.transaction(async (tx) => {
          if (!(await q.lockTransaction(tx, userId, id))) throw transactionNotFound();
          const current = await find(tx, userId, id);
          const type = body.type ?? (current.type as TransactionInput['type']);
          const typeChanged = type !== current.type;
          // A date alone moves the day; the stored instant stays only if it still falls on that day.
          let occurredAt: string | null | undefined = body.occurredAt;
          if (occurredAt === undefined && current.occurredAt !== null) {
            const keep = body.date === undefined || dayInZone(current.occurredAt, timeZone) === body.date;
            occurredAt = keep ? current.occurredAt.toISOString() : null;
          }
          const input: TransactionInput = {
            type,
            date: body.date ?? (occurredAt ? undefined : current.date),
            occurredAt,
            accountId: body.accountId ?? current.accountId,
            // Fields that do not fit a new type are dropped unless the patch sets them.
            toAccountId:
              body.toAccountId !== undefined ? body.toAccountId : typeChanged ? null : current.toAccountId,
            categoryId:
              body.categoryId !== undefined ? body.categoryId : typeChanged ? null : current.categoryId,
            amount: body.amount ?? current.amount,
            amountReceived: body.amountReceived ?? null,
            description: body.description ?? current.description,
          };
          const refs = await references(tx, userId, [input]);
          const values = checkTransaction(input, {
            timeZone,
            ...refs,
            kept: {
              accountIds: new Set([current.accountId, current.toAccountId ?? current.accountId]),
              categoryId: current.categoryId,
              currency: current.currency,
              toCurrency: current.toCurrency,
              amountReceived: current.amountReceived,
              amountGiven: body.amount !== undefined,
            },
          });
          // The month sums follow the edit: the old legs out, the new legs in.
          await written(tx, userId, [id], -1);
          const updated = await q.updateTransaction(tx, userId, id, stored(values));
          if (!updated) throw transactionNotFound();
          await written(tx, userId, [id], 1);
          return toTransactionDto({ id, ...values, ...updated });
        }),
      );
    },

    async remove(userId: string, id: string): Promise<void> {
      await retryOnConflict(() =>
        db.transaction(async (tx) => {
          if (!(await q.lockTransaction(tx, userId, id))) throw transactionNotFound();
          await written(tx, userId, [id], -1);
          await q.deleteTransaction(tx, userId, id);
        }),
      );
    },

    async list(userId: string, query: ListTransactionsQuery): Promise<TransactionPage> {
      const sort = query.sort ?? 'date';
      const order = query.order ?? 'desc';
      const limit = query.limit ?? 50;
      if (query.cursor !== undefined && query.page !== undefined) {
        throw validationFailed('page', 'EITHER_OR', 'give either cursor or page, not both');
      }
      const filters = await filtersOf(userId, query);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort, order);
      const page = query.page ?? null;
      // One row more than asked tells whether a next page exists.
      const { rows, total } = await q.listTransactions(db, userId, filters, {
        sort,
        order,
        limit: limit + 1,
        after,
        offset: page === null ? 0 : (page - 1) * limit,
      });
      // Rows of the account prove it is the user's; without any, an account of someone else is a 404.
      if (rows.length === 0 && query.accountId !== undefined) {
        const refs = await q.findReferences(db, userId, [query.accountId], []);
        if (refs.accounts.length === 0) throw accountNotFound('accountId');
      }
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      const nextCursor =
        rows.length > limit && last !== undefined
          ? encodeCursor(sort, order, { value: sort === 'date' ? last.date : last.amount, id: last.id })
          : null;
      return { items: items.map(toTransactionDto), total, limit, page, nextCursor };
    },

    /**
     * The filtered list as CSV, newest first, read from the database a page at a time: the text
     * comes out line by line and the list is never held whole. `day` is the user's today (names the file).
     */
    async exportCsv(
      userId: string,
      query: ExportTransactionsQuery,
    ): Promise<{ day: string; lines: AsyncGenerator<string> }> {
      const filters = await filtersOf(userId, query);
      if (query.accountId !== undefined) {
        const refs = await q.findReferences(db, userId, [query.accountId], []);
        if (refs.accounts.length === 0) throw accountNotFound('accountId');
      }
      const { timeZone } = await profile(userId);
      const style: CsvStyle = { delimiter: query.delimiter ?? ';', decimal: query.decimal ?? 'comma' };
      async function* lines(): AsyncGenerator<string> {
        yield csvStart(style);
        let after: { date: string; id: string } | undefined;
        for (;;) {
          const rows = await q.exportPage(db, userId, filters, EXPORT_PAGE, after);
          if (rows.length > 0) yield rows.map((r) => csvLine(r, style, timeZone, query.accountId)).join('');
          if (rows.length < EXPORT_PAGE) return;
          const last = rows[rows.length - 1]!;
          after = { date: last.date, id: last.id };
        }
      }
      return { day: dayInZone(now(), timeZone), lines: lines() };
    },
  };
}

export type TransactionsService = ReturnType<typeof createTransactionsService>;
