import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rowsOf, type Db } from '../../platform/db.js';
import { budgetAccounts, budgetCategories, budgetTransactions } from '../../db/schema.js';
import type { CursorPosition, SortKey, SortOrder } from '../../platform/cursor.js';
import { escapeLike } from './listing.js';

const t = budgetTransactions;
const fromAccount = alias(budgetAccounts, 'from_account');
const toAccount = alias(budgetAccounts, 'to_account');

export type NewTransaction = typeof budgetTransactions.$inferInsert;

const transactionFields = {
  id: t.id,
  type: t.type,
  date: t.date,
  occurredAt: t.occurredAt,
  accountId: t.accountId,
  toAccountId: t.toAccountId,
  categoryId: t.categoryId,
  amount: t.amount,
  amountReceived: t.amountReceived,
  description: t.description,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  currency: fromAccount.currency,
  toCurrency: toAccount.currency,
};

function withCurrencies(db: Db) {
  return db
    .select(transactionFields)
    .from(t)
    .innerJoin(fromAccount, eq(fromAccount.id, t.accountId))
    .leftJoin(toAccount, eq(toAccount.id, t.toAccountId));
}

/** A transaction with the currencies of its accounts. */
export type TransactionRow = Awaited<ReturnType<typeof withCurrencies>>[number];

export async function findTransaction(
  db: Db,
  userId: string,
  id: string,
): Promise<TransactionRow | undefined> {
  const [row] = await withCurrencies(db)
    .where(and(eq(t.userId, userId), eq(t.id, id)))
    .limit(1);
  return row;
}

/** The user's accounts and categories among `ids`: what a batch of transactions refers to. */
export async function findReferences(
  db: Db,
  userId: string,
  accountIds: string[],
  categoryIds: string[],
): Promise<{
  accounts: { id: string; currency: string; archived: boolean }[];
  categories: { id: string; kind: string; deleted: boolean }[];
}> {
  const a = budgetAccounts;
  const c = budgetCategories;
  const [accounts, categories] = await Promise.all([
    accountIds.length === 0
      ? []
      : db
          .select({ id: a.id, currency: a.currency, archived: a.archived })
          .from(a)
          .where(and(eq(a.userId, userId), inArray(a.id, accountIds))),
    categoryIds.length === 0
      ? []
      : db
          .select({ id: c.id, kind: c.kind, deleted: sql<boolean>`${c.deletedAt} is not null` })
          .from(c)
          .where(and(eq(c.userId, userId), inArray(c.id, categoryIds))),
  ]);
  return { accounts, categories };
}

export interface TransactionColumns {
  id: string;
  userId: string;
  type: string;
  date: string;
  occurredAt: Date | null;
  accountId: string;
  toAccountId: string | null;
  categoryId: string | null;
  amount: string;
  amountReceived: string | null;
  description: string;
}

/** One statement for any number of rows: one array parameter per column, whatever the count. */
export async function insertTransactions(db: Db, rows: TransactionColumns[]): Promise<void> {
  const column = <T>(pick: (r: TransactionColumns) => T) => sql.param(rows.map(pick));
  await db.execute(sql`insert into ${t} (id, user_id, type, date, occurred_at, account_id, to_account_id,
      category_id, amount, amount_received, description)
    select * from unnest(
      ${column((r) => r.id)}::uuid[], ${column((r) => r.userId)}::uuid[], ${column((r) => r.type)}::text[],
      ${column((r) => r.date)}::date[], ${column((r) => r.occurredAt?.toISOString() ?? null)}::timestamptz[],
      ${column((r) => r.accountId)}::uuid[], ${column((r) => r.toAccountId)}::uuid[],
      ${column((r) => r.categoryId)}::uuid[], ${column((r) => r.amount)}::numeric[],
      ${column((r) => r.amountReceived)}::numeric[], ${column((r) => r.description)}::text[])`);
}

/** A transaction just written, as the created hooks see it. */
export interface InsertedTransaction {
  id: string;
  type: 'income' | 'expense' | 'transfer';
  date: string;
  accountId: string;
  toAccountId: string | null;
  amount: string;
}

/**
 * Inserts the user's transactions that `source` selects, in one statement, in its order: a select
 * of id, type, date, occurred_at, account_id, to_account_id, category_id, amount, amount_received,
 * description (of the types of these columns or text that casts to them).
 */
export async function insertSelected(db: Db, userId: string, source: SQL): Promise<InsertedTransaction[]> {
  return rowsOf<InsertedTransaction>(
    db.execute(sql`insert into ${t} (id, user_id, type, date, occurred_at, account_id, to_account_id,
        category_id, amount, amount_received, description)
      select s.id::uuid, ${userId}::uuid, s.type, s.date::date, s.occurred_at::timestamptz, s.account_id::uuid,
        s.to_account_id::uuid, s.category_id::uuid, s.amount::numeric, s.amount_received::numeric, s.description
      from (${source}) s (id, type, date, occurred_at, account_id, to_account_id, category_id, amount,
        amount_received, description)
      returning id, type, to_char(date, 'YYYY-MM-DD') as date, account_id as "accountId",
        to_account_id as "toAccountId", amount::text as amount`),
  );
}

/** The earliest day among the user's given transactions; null when none is found. */
export async function earliestDay(db: Db, userId: string, ids: string[]): Promise<string | null> {
  const [row] = await db
    .select({ day: sql<string | null>`min(${budgetTransactions.date})::text` })
    .from(budgetTransactions)
    .where(and(eq(budgetTransactions.userId, userId), inArray(budgetTransactions.id, ids)));
  return row?.day ?? null;
}

export async function deleteTransactions(db: Db, userId: string, ids: string[]): Promise<void> {
  await db.execute(sql`delete from ${t} where user_id = ${userId} and id = any(${sql.param(ids)}::uuid[])`);
}

/** Locks the row until the end of the database transaction (edits of one transaction queue up). */
export async function lockTransaction(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.userId, userId), eq(t.id, id)))
    .for('update');
  return rows.length > 0;
}

export async function updateTransaction(
  db: Db,
  userId: string,
  id: string,
  values: Omit<NewTransaction, 'id' | 'userId' | 'createdAt' | 'updatedAt'>,
): Promise<{ createdAt: Date; updatedAt: Date } | undefined> {
  const [row] = await db
    .update(t)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(t.userId, userId), eq(t.id, id)))
    .returning({ createdAt: t.createdAt, updatedAt: t.updatedAt });
  return row;
}

export async function deleteTransaction(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(t)
    .where(and(eq(t.userId, userId), eq(t.id, id)))
    .returning({ id: t.id });
  return rows.length > 0;
}

/** Ids of a category and, for a group, of its categories (deleted ones too: they have history). */
export async function categoryWithChildren(db: Db, userId: string, id: string): Promise<string[]> {
  const c = budgetCategories;
  const rows = await db
    .select({ id: c.id })
    .from(c)
    .where(and(eq(c.userId, userId), or(eq(c.id, id), eq(c.parentId, id))));
  return rows.map((r) => r.id);
}

export interface TransactionFilters {
  dateFrom?: string;
  dateTo?: string;
  accountId?: string;
  categoryIds?: string[];
  type?: string;
  q?: string;
  amountMin?: string;
  amountMax?: string;
}

function filtersSql(userId: string, f: TransactionFilters): SQL[] {
  const where: SQL[] = [sql`${t.userId} = ${userId}`];
  if (f.dateFrom !== undefined) where.push(sql`${t.date} >= ${f.dateFrom}`);
  // The last day is included: dateTo is a calendar day, not an instant.
  if (f.dateTo !== undefined) where.push(sql`${t.date} <= ${f.dateTo}`);
  if (f.accountId !== undefined) {
    where.push(sql`(${t.accountId} = ${f.accountId} or ${t.toAccountId} = ${f.accountId})`);
  }
  if (f.categoryIds !== undefined) where.push(inArray(t.categoryId, f.categoryIds));
  if (f.type !== undefined) where.push(sql`${t.type} = ${f.type}`);
  if (f.amountMin !== undefined) where.push(sql`${t.amount} >= ${f.amountMin}`);
  if (f.amountMax !== undefined) where.push(sql`${t.amount} <= ${f.amountMax}`);
  if (f.q !== undefined) {
    const pattern = `%${escapeLike(f.q)}%`;
    const c = budgetCategories;
    where.push(sql`(${t.description} ilike ${pattern} escape '\\' or ${t.categoryId} in (
      select ${c.id} from ${c} where ${c.userId} = ${userId} and ${c.name} ilike ${pattern} escape '\\'))`);
  }
  return where;
}

export async function countTransactions(db: Db, userId: string, f: TransactionFilters): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(t)
    .where(and(...filtersSql(userId, f)));
  return Number(row?.n ?? 0);
}

/**
 * A page of matches and, in the same statement, the count of all matches (an uncorrelated subquery
 * the planner runs once). With no row on the page the count comes from a query of its own.
 */
export async function listTransactions(
  db: Db,
  userId: string,
  f: TransactionFilters,
  page: { sort: SortKey; order: SortOrder; limit: number; after?: CursorPosition; offset?: number },
): Promise<{ rows: TransactionRow[]; total: number }> {
  const matches = filtersSql(userId, f);
  const where = [...matches];
  const key = page.sort === 'date' ? t.date : t.amount;
  if (page.after !== undefined) {
    // Keyset: rows strictly after the last one of the previous page in (key, id) order.
    const value = page.sort === 'date' ? sql`${page.after.value}::date` : sql`${page.after.value}::numeric`;
    where.push(
      page.order === 'desc'
        ? sql`(${key}, ${t.id}) < (${value}, ${page.after.id}::uuid)`
        : sql`(${key}, ${t.id}) > (${value}, ${page.after.id}::uuid)`,
    );
  }
  const direction = page.order === 'desc' ? desc : asc;
  const found = await db
    .select({
      ...transactionFields,
      total: sql<number>`(select count(*)::int from ${t} where ${and(...matches)})`,
    })
    .from(t)
    .innerJoin(fromAccount, eq(fromAccount.id, t.accountId))
    .leftJoin(toAccount, eq(toAccount.id, t.toAccountId))
    .where(and(...where))
    .orderBy(direction(key), direction(t.id))
    .limit(page.limit)
    .offset(page.offset ?? 0);
  const first = found[0];
  if (first === undefined) {
    const beyondStart = page.after !== undefined || (page.offset ?? 0) > 0;
    return { rows: [], total: beyondStart ? await countTransactions(db, userId, f) : 0 };
  }
  return { rows: found.map(({ total: _total, ...row }) => row), total: first.total };
}

/** A transaction as the CSV export writes it: with its accounts' names and currencies and its category's name. */
export interface ExportedTransaction {
  id: string;
  type: string;
  date: string;
  occurredAt: Date | null;
  accountId: string;
  toAccountId: string | null;
  amount: string;
  amountReceived: string | null;
  description: string;
  accountName: string;
  currency: string;
  toAccountName: string | null;
  toCurrency: string | null;
  categoryName: string | null;
}

/**
 * One page of the matches, newest first, strictly after `after` in (date, id) order: the export
 * reads the list page by page and never holds it whole.
 */
export async function exportPage(
  db: Db,
  userId: string,
  f: TransactionFilters,
  limit: number,
  after?: { date: string; id: string },
): Promise<ExportedTransaction[]> {
  const where = filtersSql(userId, f);
  if (after !== undefined) where.push(sql`(${t.date}, ${t.id}) < (${after.date}::date, ${after.id}::uuid)`);
  const c = budgetCategories;
  return db
    .select({
      id: t.id,
      type: t.type,
      date: t.date,
      occurredAt: t.occurredAt,
      accountId: t.accountId,
      toAccountId: t.toAccountId,
      amount: t.amount,
      amountReceived: t.amountReceived,
      description: t.description,
      accountName: fromAccount.name,
      currency: fromAccount.currency,
      toAccountName: toAccount.name,
      toCurrency: toAccount.currency,
      categoryName: c.name,
    })
    .from(t)
    .innerJoin(fromAccount, eq(fromAccount.id, t.accountId))
    .leftJoin(toAccount, eq(toAccount.id, t.toAccountId))
    .leftJoin(c, eq(c.id, t.categoryId))
    .where(and(...where))
    .orderBy(desc(t.date), desc(t.id))
    .limit(limit);
}
