import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../platform/db.js';
import { instruments, manualAssets, operations } from '../../db/schema.js';

export type OperationRow = typeof operations.$inferSelect;
export type OperationValues = typeof operations.$inferInsert;

export interface OperationWithAsset extends OperationRow {
  ticker: string | null;
  assetName: string | null;
}

/** The columns of an operation that replaying it (positions, daily values) reads. */
export const replayColumns = {
  id: operations.id,
  type: operations.type,
  instrumentUid: operations.instrumentUid,
  manualAssetId: operations.manualAssetId,
  currency: operations.currency,
  date: operations.date,
  quantity: operations.quantity,
  price: operations.price,
  amount: operations.amount,
  commission: operations.commission,
  accruedInterest: operations.accruedInterest,
  fxRate: operations.fxRate,
  fxBase: operations.fxBase,
};

/**
 * What replaying needs, in the order the operations happened: of the whole portfolio, or of some
 * of its assets only.
 */
export async function ledgerOperations(
  db: Db,
  userId: string,
  portfolioId: string,
  assets?: { instrumentUids: string[]; manualAssetIds: string[] },
) {
  return db
    .select({
      ...replayColumns,
      instrumentKind: instruments.kind,
      nominalCurrency: instruments.nominalCurrency,
    })
    .from(operations)
    .leftJoin(instruments, eq(instruments.uid, operations.instrumentUid))
    .where(
      and(
        eq(operations.userId, userId),
        eq(operations.portfolioId, portfolioId),
        assets === undefined
          ? undefined
          : or(
              assets.instrumentUids.length > 0
                ? inArray(operations.instrumentUid, assets.instrumentUids)
                : sql`false`,
              assets.manualAssetIds.length > 0
                ? inArray(operations.manualAssetId, assets.manualAssetIds)
                : sql`false`,
            ),
      ),
    )
    .orderBy(asc(operations.date), asc(operations.occurredAt), asc(operations.createdAt), asc(operations.id));
}

/** A portfolio's operations summed by what decides their cash effect (see valuation.cashLedger). */
export async function cashGroups(db: Db, userId: string, portfolioId: string, base: string) {
  // The rate towards `base`: 1 for the base currency itself, the stored one if it is towards `base`.
  const rate = sql`case when ${operations.currency} = ${base} then 1
    when ${operations.fxBase} = ${base} then ${operations.fxRate} end`;
  const rows = await rowsOf<{
    type: string;
    currency: string;
    cash_only: boolean;
    asset_iso: string | null;
    rate_known: boolean;
    count: string;
    quantity: string;
    amount: string;
    commission: string;
    accrued_interest: string;
    amount_base: string | null;
    commission_base: string | null;
    accrued_interest_base: string | null;
  }>(
    db.execute(sql`
      select ${operations.type} as type, ${operations.currency} as currency,
        (${operations.instrumentUid} is null and ${operations.manualAssetId} is null) as cash_only,
        case when ${instruments.kind} = 'currency' then ${instruments.nominalCurrency} end as asset_iso,
        (${rate}) is not null as rate_known,
        count(*) as count,
        sum(${operations.quantity}) as quantity,
        sum(${operations.amount}) as amount,
        sum(${operations.commission}) as commission,
        sum(${operations.accruedInterest}) as accrued_interest,
        sum(${operations.amount} * ${rate}) as amount_base,
        sum(${operations.commission} * ${rate}) as commission_base,
        sum(${operations.accruedInterest} * ${rate}) as accrued_interest_base
      from ${operations}
      left join ${instruments} on ${instruments.uid} = ${operations.instrumentUid}
      where ${operations.userId} = ${userId} and ${operations.portfolioId} = ${portfolioId}
      group by 1, 2, 3, 4, 5`),
  );
  return rows.map((r) => ({
    type: r.type,
    currency: r.currency,
    cashOnly: r.cash_only,
    assetIso: r.asset_iso,
    rateKnown: r.rate_known,
    count: Number(r.count),
    quantity: String(r.quantity),
    amount: String(r.amount),
    commission: String(r.commission),
    accruedInterest: String(r.accrued_interest),
    amountBase: String(r.amount_base ?? '0'),
    commissionBase: String(r.commission_base ?? '0'),
    accruedInterestBase: String(r.accrued_interest_base ?? '0'),
  }));
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

/** Inserts many operations, a thousand per statement. */
export async function insertOperations(db: Db, values: OperationValues[]): Promise<void> {
  for (let i = 0; i < values.length; i += 1000) await db.insert(operations).values(values.slice(i, i + 1000));
}

/** Deletes operations of a portfolio by id; returns what they were about. */
export async function deleteOperations(db: Db, userId: string, portfolioId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .delete(operations)
    .where(
      and(
        eq(operations.userId, userId),
        eq(operations.portfolioId, portfolioId),
        inArray(operations.id, ids),
      ),
    )
    .returning({ instrumentUid: operations.instrumentUid, manualAssetId: operations.manualAssetId });
}

/** What a sync needs to recognise the operations it stored before. */
export async function syncedOperations(db: Db, userId: string, portfolioId: string) {
  return db
    .select({ id: operations.id, syncKey: operations.syncKey, externalId: operations.externalId })
    .from(operations)
    .where(
      and(
        eq(operations.userId, userId),
        eq(operations.portfolioId, portfolioId),
        or(sql`${operations.syncKey} is not null`, sql`${operations.externalId} is not null`),
      ),
    );
}

/** Inserts synced operations; one whose sync key is already stored is left alone. Returns how many were new. */
export async function insertSyncedOperations(db: Db, rows: OperationValues[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const done = await db
      .insert(operations)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing({ target: [operations.portfolioId, operations.syncKey] })
      .returning({ id: operations.id });
    inserted += done.length;
  }
  return inserted;
}

/** Records the broker's current ids of stored operations, in one statement per 500. */
export async function setExternalIds(
  db: Db,
  userId: string,
  pairs: { id: string; externalId: string }[],
): Promise<void> {
  for (let i = 0; i < pairs.length; i += 500) {
    const values = sql.join(
      pairs.slice(i, i + 500).map((p) => sql`(${p.id}::uuid, ${p.externalId})`),
      sql`, `,
    );
    await db.execute(sql`
      update ${operations} set external_id = v.external_id, updated_at = now()
      from (values ${values}) as v(id, external_id)
      where ${operations.id} = v.id and ${operations.userId} = ${userId}`);
  }
}

/** The instruments some operations are about (to name the asset a replay issue concerns). */
export async function instrumentsOfOperations(db: Db, userId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: operations.id, instrumentUid: operations.instrumentUid })
    .from(operations)
    .where(and(eq(operations.userId, userId), inArray(operations.id, ids)));
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
