import { and, eq, sql, type SQL } from 'drizzle-orm';
import { budgetCategories, budgetTransactions, importBatches, importRows } from '../../db/schema.js';
import { rowsOf, type Db } from '../../platform/db.js';

const r = importRows;
const b = importBatches;

export interface StagedRow {
  line: number;
  status: 'new' | 'duplicate' | 'skipped';
  dedupeKey: string;
  date: string;
  occurredAt: Date | null;
  type: 'income' | 'expense';
  amount: string;
  toAccountId: string | null;
  categoryId: string | null;
  categorySource: string | null;
  description: string;
  payee: string;
  payeeKey: string;
  mcc: string | null;
  bankCategory: string | null;
  bankId: string | null;
  transactionId: string;
}

/**
 * An import runs thousands of short statements on rows the planner has no statistics for yet (they
 * were staged in the same transaction): its guesses make PostgreSQL compile some of them to machine
 * code, which takes longer than running them. Off for the rest of the transaction.
 */
export async function withoutJit(db: Db) {
  await db.execute(sql`set local jit = off`);
}

/**
 * Stages rows in one statement (column arrays through unnest: a few parameters, any row count). A
 * row whose key was committed before is a duplicate; a row without a category gets the bank's when
 * one of the user's categories has that name and kind. Both are decided here, as the row is
 * written: an update of rows inserted in the same transaction checks their foreign keys again.
 */
export async function insertRows(
  db: Db,
  batchId: string,
  userId: string,
  accountId: string,
  rows: StagedRow[],
) {
  const col = <T>(pick: (x: StagedRow) => T) => sql.param(rows.map(pick));
  await db.execute(sql`insert into ${r} (batch_id, user_id, account_id, line, status, dedupe_key, date,
      occurred_at, type, amount, to_account_id, category_id, category_source, description, payee, payee_key,
      mcc, bank_category, bank_id, transaction_id)
    select ${batchId}::uuid, ${userId}::uuid, ${accountId}::uuid, u.line,
      case when u.status = 'new' and exists (select 1 from ${r} o
        where o.account_id = ${accountId} and o.committed and o.dedupe_key = u.dedupe_key) then 'duplicate' else u.status end,
      u.dedupe_key, u.date, u.occurred_at, u.type, u.amount, u.to_account_id,
      coalesce(u.category_id, bank.id), case when u.category_id is null and bank.id is not null then 'bank' else u.category_source end,
      u.description, u.payee, u.payee_key, u.mcc, u.bank_category, u.bank_id, u.transaction_id
    from unnest(
      ${col((x) => x.line)}::int[], ${col((x) => x.status)}::text[], ${col((x) => x.dedupeKey)}::text[],
      ${col((x) => x.date)}::date[], ${col((x) => x.occurredAt?.toISOString() ?? null)}::timestamptz[],
      ${col((x) => x.type)}::text[], ${col((x) => x.amount)}::numeric[], ${col((x) => x.toAccountId)}::uuid[],
      ${col((x) => x.categoryId)}::uuid[], ${col((x) => x.categorySource)}::text[],
      ${col((x) => x.description)}::text[], ${col((x) => x.payee)}::text[], ${col((x) => x.payeeKey)}::text[],
      ${col((x) => x.mcc)}::text[], ${col((x) => x.bankCategory)}::text[], ${col((x) => x.bankId)}::text[],
      ${col((x) => x.transactionId)}::uuid[]) as u (line, status, dedupe_key, date, occurred_at, type, amount,
        to_account_id, category_id, category_source, description, payee, payee_key, mcc, bank_category, bank_id,
        transaction_id)
    left join lateral (select c.id from ${budgetCategories} c
      where u.category_id is null and u.to_account_id is null and u.bank_category is not null
        and c.user_id = ${userId} and c.deleted_at is null and c.kind = u.type
        and lower(c.name) = lower(u.bank_category) limit 1) bank on true`);
}

/**
 * Rows without a category of their own (none or the bank's) take the user's most frequent choice
 * for the same payee on earlier imports (as the transactions are now, after any edits).
 */
export async function suggestCategories(db: Db, userId: string, batchId: string) {
  await db.execute(sql`update ${r} set category_id = l.category_id, category_source = 'learned'
    from (select distinct on (p.payee_key, t.type) p.payee_key, t.type, t.category_id
      from ${r} p join ${budgetTransactions} t on t.id = p.transaction_id and t.user_id = ${userId}
      join ${budgetCategories} c on c.id = t.category_id and c.deleted_at is null
      where p.user_id = ${userId} and p.committed and p.payee_key <> ''
      group by p.payee_key, t.type, t.category_id
      order by p.payee_key, t.type, count(*) desc, max(t.date) desc) l
    where ${r.batchId} = ${batchId} and (${r.categoryId} is null or ${r.categorySource} = 'bank')
      and ${r.toAccountId} is null and l.payee_key = ${r.payeeKey} and l.type = ${r.type}`);
}

/**
 * Proposes transfers: a new row and an imported, still plain operation of another own account with
 * the same amount in the opposite direction within three days.
 */
export async function matchTransfers(db: Db, userId: string, batchId: string, accountId: string) {
  const t = budgetTransactions;
  await db.execute(sql`update ${r} set transfer_match_id = m.id
    from (select distinct on (n.line) n.line, t.id
      from ${r} n
      join ${r} o on o.user_id = ${userId} and o.committed and o.account_id <> ${accountId}
        and o.amount = n.amount and o.type <> n.type and o.to_account_id is null
        and o.date between n.date - 3 and n.date + 3
      join ${t} t on t.id = o.transaction_id and t.user_id = ${userId} and t.type = o.type
        and t.account_id = o.account_id and t.amount = o.amount
      join budget_accounts a on a.id = o.account_id and a.currency = (select currency from budget_accounts where id = ${accountId})
      where n.batch_id = ${batchId} and n.status = 'new' and n.to_account_id is null
      order by n.line, abs(o.date - n.date), o.line) m
    where ${r.batchId} = ${batchId} and ${r.line} = m.line`);
  // One operation is the other side of one transfer only.
  await db.execute(sql`update ${r} set transfer_match_id = null
    where ${r.batchId} = ${batchId} and ${r.line} in (select line from (select line,
      row_number() over (partition by transfer_match_id order by line) as n
      from ${r} where batch_id = ${batchId} and transfer_match_id is not null) x where x.n > 1)`);
}

/** Among a batch's rows per status: those offered as the other side of a transfer. */
export const transfersCounted = sql`count(transfer_match_id)`;

export async function findRow(db: Db, batchId: string, line: number) {
  const [row] = await db
    .select()
    .from(r)
    .where(and(eq(r.batchId, batchId), eq(r.line, line)));
  return row;
}

export async function updateRow(
  db: Db,
  batchId: string,
  line: number,
  values: Partial<
    Pick<
      typeof r.$inferInsert,
      'status' | 'categoryId' | 'categorySource' | 'description' | 'transferMatchId'
    >
  >,
) {
  await db
    .update(r)
    .set(values)
    .where(and(eq(r.batchId, batchId), eq(r.line, line)));
}

/**
 * Commits the new rows whose key nobody committed meanwhile: plain rows become income or expense,
 * rows with an accepted transfer match become one transfer and the matched operation goes.
 * Returns the ids written and the ids of matched operations removed.
 */
export async function commitRows(db: Db, userId: string, batchId: string, accountId: string) {
  const claimed = await rowsOf<{ transaction_id: string; transfer_match_id: string | null }>(
    db.execute(sql`update ${r} set committed = true
      where ${r.batchId} = ${batchId} and ${r.status} = 'new' and not exists (
        select 1 from ${r} o where o.account_id = ${accountId} and o.committed and o.dedupe_key = ${r.dedupeKey})
      returning transaction_id, transfer_match_id`),
  );
  const matched = claimed.flatMap((c) => (c.transfer_match_id ? [c.transfer_match_id] : []));
  return { ids: claimed.map((c) => c.transaction_id), matched };
}

/**
 * The committed rows of a batch as the transactions they become, in the columns of the budget's
 * insertSelected (matched ones as transfers with the account of their other side, read from its
 * import row: the operation itself is gone by then), last line first (a statement lists newest first).
 */
export function committedTransactions(userId: string, batchId: string): SQL {
  return sql`select n.transaction_id, case when x.other is null then n.type else 'transfer' end, n.date, n.occurred_at,
      case when x.other is not null and n.type = 'income' then x.other else n.account_id end,
      case when x.other is null then null when n.type = 'income' then n.account_id else x.other end,
      case when x.other is null then n.category_id end,
      n.amount, case when x.other is not null then n.amount end, n.description
    from ${r} n cross join lateral (select case when n.transfer_match_id is null then n.to_account_id
        else coalesce((select m.account_id from ${r} m
          where m.transaction_id = n.transfer_match_id and m.user_id = ${userId} and m.committed), n.to_account_id)
      end as other) x
    where n.batch_id = ${batchId} and n.committed
    order by n.line desc`;
}

/** Ids of the transactions a committed batch wrote that still exist. */
export async function batchTransactionIds(db: Db, userId: string, batchId: string) {
  const rows = await rowsOf<{ id: string }>(
    db.execute(sql`select t.id from ${r} n join ${budgetTransactions} t on t.id = n.transaction_id and t.user_id = ${userId}
      where n.batch_id = ${batchId} and n.committed`),
  );
  return rows.map((x) => x.id);
}

/**
 * The operations a batch merged into transfers, as they were imported and not back already
 * (undoing the batch gives the other account its own row again), in the columns of the budget's
 * insertSelected.
 */
export function matchedOperations(userId: string, batchId: string): SQL {
  return sql`select o.transaction_id, o.type, o.date, o.occurred_at, o.account_id, null, o.category_id, o.amount,
      null, o.description
    from ${r} n join ${r} o on o.user_id = ${userId} and o.committed and o.transaction_id = n.transfer_match_id
    where n.batch_id = ${batchId} and n.committed
      and not exists (select 1 from ${budgetTransactions} t where t.id = o.transaction_id)`;
}

export async function markCommitted(db: Db, id: string, at: Date) {
  await db.update(b).set({ status: 'committed', committedAt: at }).where(eq(b.id, id));
}
