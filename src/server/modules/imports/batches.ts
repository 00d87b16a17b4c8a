import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type {
  activityImportBatches,
  activityImportRows,
  importBatches,
  importRows,
} from '../../db/schema.js';
import { rowsOf, type Db } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';

type BatchTable = typeof importBatches | typeof activityImportBatches;
type RowTable = typeof importRows | typeof activityImportRows;

export const batchNotFound = () => notFound('Import', 'IMPORT_NOT_FOUND');
export const alreadyCommitted = () =>
  new AppError(409, 'IMPORT_ALREADY_COMMITTED', 'the import is committed');

/** A batch of the list, with the count of rows it committed. */
export interface Listed<Batch> {
  batch: Batch;
  created: number;
  createdAt: string;
  committedAt: string | null;
}

export interface RowsFilter {
  status?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/**
 * The life of an import batch, the same for statements and activities: a preview of staged rows
 * until committed, undone as a whole. `b` holds the batches, `r` their rows.
 */
export function batchStore<B extends BatchTable, R extends RowTable>(db: Db, b: B, r: R) {
  type Batch = B['$inferSelect'];
  // The two tables share the columns read here; the union keeps the query builder typed.
  const bt: BatchTable = b;
  const rt: RowTable = r;
  const ofUser = (userId: string, id: string) => and(eq(bt.userId, userId), eq(bt.id, id));

  async function find(userId: string, id: string): Promise<Batch> {
    const [row] = await db.select().from(bt).where(ofUser(userId, id));
    if (!row) throw batchNotFound();
    return row;
  }

  /** Locks the batch for a commit or an undo: two at once would write rows twice. */
  async function lock(tx: Db, userId: string, id: string): Promise<Batch> {
    const [row] = await tx.select().from(bt).where(ofUser(userId, id)).for('update');
    if (!row) throw batchNotFound();
    return row;
  }

  return {
    find,
    lock,

    /** A new batch, a preview until committed. */
    async insert(tx: Db, values: Omit<B['$inferInsert'], 'status'>): Promise<string> {
      const [row] = await tx
        .insert(bt)
        .values({ ...values, status: 'preview' } as B['$inferInsert'])
        .returning({ id: bt.id });
      return row!.id;
    },

    /** The batch locked for its commit: a committed one answers 409. */
    async lockPreview(tx: Db, userId: string, id: string): Promise<Batch> {
      const batch = await lock(tx, userId, id);
      if (batch.status !== 'preview') throw alreadyCommitted();
      return batch;
    },

    /** Rows per status, with one more count of the import's own (`extra`) among them. */
    async counts(batchId: string, extra: SQL) {
      return rowsOf<{ status: string; n: number; extra: number }>(
        db.execute(sql`select status, count(*)::int as n, (${extra})::int as extra
          from ${rt} where batch_id = ${batchId} group by status`),
      );
    },

    /** A page of the rows of a batch in file order, with their total. */
    async rows(userId: string, id: string, filter: RowsFilter) {
      await find(userId, id);
      const where = filter.status
        ? and(eq(rt.batchId, id), eq(rt.status, filter.status))
        : eq(rt.batchId, id);
      const [rows, [count]] = await Promise.all([
        db
          .select()
          .from(rt)
          .where(where)
          .orderBy(asc(rt.line))
          .limit(filter.limit ?? 100)
          .offset(filter.offset ?? 0),
        db
          .select({ n: sql<number>`count(*)::int` })
          .from(rt)
          .where(where),
      ]);
      return { rows: rows as R['$inferSelect'][], total: count?.n ?? 0 };
    },

    /** Undoes a committed batch (`undo` removes what it wrote) or drops a preview. */
    async remove(userId: string, id: string, undo: (tx: Db, batch: Batch) => Promise<void>) {
      await db.transaction(async (tx) => {
        const batch = await lock(tx, userId, id);
        if (batch.status === 'committed') await undo(tx, batch);
        await tx.delete(bt).where(ofUser(userId, id));
      });
    },

    /** The user's recent batches, newest first, with the count of rows each committed. */
    async list(userId: string) {
      const rows = await db
        .select({
          batch: bt,
          created: sql<number>`(select count(*)::int from ${rt} where ${rt.batchId} = ${bt.id} and ${rt.committed})`,
        })
        .from(bt)
        .where(eq(bt.userId, userId))
        .orderBy(desc(bt.createdAt))
        .limit(100);
      return rows.map(({ batch, created }): Listed<Batch> => ({
        batch,
        created,
        createdAt: batch.createdAt.toISOString(),
        committedAt: batch.committedAt?.toISOString() ?? null,
      }));
    },
  };
}
