import { and, asc, eq, sql } from 'drizzle-orm';
import { activityImportBatches, activityImportRows, manualAssets, operations } from '../../db/schema.js';
import { rowsOf, type Db } from '../../platform/db.js';

const r = activityImportRows;
const b = activityImportBatches;

/** What a staged row keeps: the operation as prepared, and the asset to make when it has none. */
export interface StagedOperation {
  values: Record<string, unknown>;
  /** An instrument the catalogue lacks: a hand-priced asset of this ticker and currency. */
  newAsset: { ticker: string; currency: string } | null;
}

export interface StagedActivity {
  line: number;
  status: 'new' | 'duplicate';
  dedupeKey: string;
  symbol: string;
  name: string | null;
  operation: StagedOperation;
  operationId: string;
}

export async function insertRows(
  db: Db,
  batchId: string,
  userId: string,
  portfolioId: string,
  rows: StagedActivity[],
) {
  for (let i = 0; i < rows.length; i += 1000)
    await db.insert(r).values(rows.slice(i, i + 1000).map((x) => ({ ...x, batchId, userId, portfolioId })));
}

/** Rows committed before into the portfolio whose operation is still there, by fingerprint. */
const committedAlike = sql`exists (select 1 from ${r} o join ${operations} op on op.id = o.operation_id
  where o.portfolio_id = ${r.portfolioId} and o.committed and o.dedupe_key = ${r.dedupeKey})`;

/** Flags the rows imported before (and still there). */
export async function markDuplicates(db: Db, batchId: string) {
  await db.execute(sql`update ${r} set status = 'duplicate'
    where ${r.batchId} = ${batchId} and ${r.status} = 'new' and ${committedAlike}`);
}

/** Among a batch's rows per status: the distinct hand-priced assets they would make. */
export const newAssetsCounted = sql`count(distinct operation->'newAsset') filter (where operation->'newAsset' <> 'null'::jsonb)`;

/** The new rows of a batch in file order, for the dry run of the preview and for the commit. */
export async function newRows(db: Db, batchId: string) {
  return db
    .select()
    .from(r)
    .where(and(eq(r.batchId, batchId), eq(r.status, 'new')))
    .orderBy(asc(r.line));
}

/** Claims the new rows nobody committed meanwhile; the others turn duplicates. Returns the lines claimed. */
export async function claimRows(db: Db, batchId: string): Promise<Set<number>> {
  await markDuplicates(db, batchId);
  const rows = await rowsOf<{ line: number }>(
    db.execute(sql`update ${r} set committed = true where ${r.batchId} = ${batchId} and ${r.status} = 'new'
      returning line`),
  );
  return new Set(rows.map((x) => x.line));
}

export async function markCommitted(db: Db, id: string, at: Date, createdAssets: string[]) {
  await db.update(b).set({ status: 'committed', committedAt: at, createdAssets }).where(eq(b.id, id));
}

/** Ids of the operations a committed batch wrote. */
export async function batchOperationIds(db: Db, batchId: string): Promise<string[]> {
  const rows = await db
    .select({ id: r.operationId })
    .from(r)
    .where(and(eq(r.batchId, batchId), eq(r.committed, true)));
  return rows.map((x) => x.id);
}

/** The user's hand-priced assets by ticker (upper case) and currency. */
export async function manualAssetsByTicker(db: Db, userId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: manualAssets.id, ticker: manualAssets.ticker, currency: manualAssets.currency })
    .from(manualAssets)
    .where(eq(manualAssets.userId, userId))
    .orderBy(asc(manualAssets.createdAt));
  const map = new Map<string, string>();
  for (const a of rows) {
    const key = `${a.ticker.toUpperCase()}|${a.currency}`;
    if (!map.has(key)) map.set(key, a.id);
  }
  return map;
}

/** Removes the assets an import made that no operation names any more. */
export async function deleteUnusedAssets(db: Db, userId: string, ids: string[]) {
  if (ids.length === 0) return;
  await db.execute(sql`delete from ${manualAssets} a where a.user_id = ${userId}
    and a.id = any(${sql.param(ids)}::uuid[])
    and not exists (select 1 from ${operations} o where o.manual_asset_id = a.id)`);
}
