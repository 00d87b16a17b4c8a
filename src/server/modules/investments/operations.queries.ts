import { and, asc, desc, eq, gte, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { instruments, manualAssets, operations } from '../../db/schema.js';

export type OperationRow = typeof operations.$inferSelect;
export type OperationValues = typeof operations.$inferInsert;

export interface OperationWithAsset extends OperationRow {
  ticker: string | null;
  assetName: string | null;
}

/** What replaying a portfolio needs, in the order the operations happened. */
export async function ledgerOperations(db: Db, userId: string, portfolioId: string) {
  return db
    .select({
      id: operations.id,
      type: operations.type,
      instrumentUid: operations.instrumentUid,
      manualAssetId: operations.manualAssetId,
      instrumentKind: instruments.kind,
      nominalCurrency: instruments.nominalCurrency,
      currency: operations.currency,
      date: operations.date,
      quantity: operations.quantity,
      price: operations.price,
      amount: operations.amount,
      commission: operations.commission,
      accruedInterest: operations.accruedInterest,
      fxRate: operations.fxRate,
      fxBase: operations.fxBase,
    })
    .from(operations)
    .leftJoin(instruments, eq(instruments.uid, operations.instrumentUid))
    .where(and(eq(operations.userId, userId), eq(operations.portfolioId, portfolioId)))
    .orderBy(asc(operations.date), asc(operations.occurredAt), asc(operations.createdAt), asc(operations.id));
}

export interface OperationFilters {
  type?: string;
  instrumentUid?: string;
  manualAssetId?: string;
  from?: string;
  to?: string;
}

function filtersOf(userId: string, portfolioId: string, f: OperationFilters): SQL | undefined {
  return and(
    eq(operations.userId, userId),
    eq(operations.portfolioId, portfolioId),
    f.type === undefined ? undefined : eq(operations.type, f.type),
    f.instrumentUid === undefined ? undefined : eq(operations.instrumentUid, f.instrumentUid),
    f.manualAssetId === undefined ? undefined : eq(operations.manualAssetId, f.manualAssetId),
    f.from === undefined ? undefined : gte(operations.date, f.from),
    f.to === undefined ? undefined : lte(operations.date, f.to),
  );
}

const withAsset = {
  op: operations,
  ticker: sql<string | null>`coalesce(${instruments.ticker}, ${manualAssets.ticker})`,
  assetName: sql<string | null>`coalesce(${instruments.name}, ${manualAssets.name})`,
};

export async function listOperations(
  db: Db,
  userId: string,
  portfolioId: string,
  filters: OperationFilters,
  limit: number,
  offset: number,
): Promise<{ rows: OperationWithAsset[]; total: number }> {
  const where = filtersOf(userId, portfolioId, filters);
  const rows = await db
    .select(withAsset)
    .from(operations)
    .leftJoin(instruments, eq(instruments.uid, operations.instrumentUid))
    .leftJoin(manualAssets, eq(manualAssets.id, operations.manualAssetId))
    .where(where)
    .orderBy(
      desc(operations.date),
      desc(operations.occurredAt),
      desc(operations.createdAt),
      desc(operations.id),
    )
    .limit(limit)
    .offset(offset);
  const [count] = await db
    .select({ n: sql<string>`count(*)` })
    .from(operations)
    .where(where);
  return {
    rows: rows.map((r) => ({ ...r.op, ticker: r.ticker, assetName: r.assetName })),
    total: Number(count?.n ?? 0),
  };
}

export async function findOperation(
  db: Db,
  userId: string,
  id: string,
): Promise<OperationWithAsset | undefined> {
  const [row] = await db
    .select(withAsset)
    .from(operations)
    .leftJoin(instruments, eq(instruments.uid, operations.instrumentUid))
    .leftJoin(manualAssets, eq(manualAssets.id, operations.manualAssetId))
    .where(and(eq(operations.userId, userId), eq(operations.id, id)))
    .limit(1);
  return row === undefined ? undefined : { ...row.op, ticker: row.ticker, assetName: row.assetName };
}

export async function insertOperation(db: Db, values: OperationValues): Promise<OperationRow> {
  const [row] = await db.insert(operations).values(values).returning();
  if (!row) throw new Error('operation insert returned nothing');
  return row;
}

/** Inserts synced operations; one already imported (same broker id) is left alone. Returns how many were new. */
export async function insertOperationsOnce(db: Db, rows: OperationValues[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const done = await db
      .insert(operations)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing({ target: [operations.portfolioId, operations.externalId] })
      .returning({ id: operations.id });
    inserted += done.length;
  }
  return inserted;
}

export async function updateOperation(
  db: Db,
  userId: string,
  id: string,
  values: Partial<OperationValues>,
): Promise<OperationRow | undefined> {
  const [row] = await db
    .update(operations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(operations.userId, userId), eq(operations.id, id)))
    .returning();
  return row;
}

export async function deleteOperation(db: Db, userId: string, id: string): Promise<OperationRow | undefined> {
  const [row] = await db
    .delete(operations)
    .where(and(eq(operations.userId, userId), eq(operations.id, id)))
    .returning();
  return row;
}

/** Deletes every operation of one asset in a portfolio (removing a position). */
export async function deleteAssetOperations(
  db: Db,
  userId: string,
  portfolioId: string,
  asset: { instrumentUid: string | null; manualAssetId: string | null },
): Promise<number> {
  const rows = await db
    .delete(operations)
    .where(
      and(
        eq(operations.userId, userId),
        eq(operations.portfolioId, portfolioId),
        asset.instrumentUid !== null
          ? eq(operations.instrumentUid, asset.instrumentUid)
          : asset.manualAssetId !== null
            ? eq(operations.manualAssetId, asset.manualAssetId)
            : sql`false`,
      ),
    )
    .returning({ id: operations.id });
  return rows.length;
}

/** Operations in a foreign currency whose rate to `base` is not known yet. */
export async function operationsMissingRate(db: Db, userId: string, base: string, limit: number) {
  return db
    .select({
      id: operations.id,
      portfolioId: operations.portfolioId,
      currency: operations.currency,
      date: operations.date,
    })
    .from(operations)
    .where(
      and(
        eq(operations.userId, userId),
        sql`${operations.currency} <> ${base}`,
        or(isNull(operations.fxRate), sql`${operations.fxBase} is distinct from ${base}`),
      ),
    )
    .limit(limit);
}

export async function setOperationRate(
  db: Db,
  userId: string,
  id: string,
  rate: string,
  base: string,
): Promise<void> {
  await db
    .update(operations)
    .set({ fxRate: rate, fxBase: base })
    .where(and(eq(operations.userId, userId), eq(operations.id, id)));
}
