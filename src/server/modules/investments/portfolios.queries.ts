import { and, asc, eq, gt, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import { dec } from '../../../common/decimal.js';
import type { Db } from '../../platform/db.js';
import { instruments, manualAssets, operations, portfolios, positions } from '../../db/schema.js';

export type PortfolioRow = typeof portfolios.$inferSelect;
export type PositionRow = typeof positions.$inferSelect;
export type PositionValues = typeof positions.$inferInsert;
export type ManualAssetRow = typeof manualAssets.$inferSelect;
type InstrumentRow = typeof instruments.$inferSelect;

export async function listPortfolios(
  db: Db,
  userId: string,
): Promise<(PortfolioRow & { openPositions: number; operationsCount: number })[]> {
  const rows = await db
    .select({
      p: portfolios,
      // Drizzle writes the columns of a one-table select without their table, so the subqueries
      // name theirs through aliases and the portfolio's id through the table.
      openPositions: sql<string>`(select count(*) from ${positions} pos where pos.portfolio_id = ${portfolios}.id
        and pos.user_id = ${userId} and pos.cash_currency is null and pos.quantity <> 0)`,
      operationsCount: sql<string>`(select count(*) from ${operations} op where op.portfolio_id = ${portfolios}.id
        and op.user_id = ${userId})`,
    })
    .from(portfolios)
    .where(eq(portfolios.userId, userId))
    .orderBy(asc(portfolios.createdAt), asc(portfolios.id));
  return rows.map((r) => ({
    ...r.p,
    openPositions: Number(r.openPositions),
    operationsCount: Number(r.operationsCount),
  }));
}

/** The user's portfolios, oldest first. */
export async function userPortfolios(db: Db, userId: string): Promise<PortfolioRow[]> {
  return db
    .select()
    .from(portfolios)
    .where(eq(portfolios.userId, userId))
    .orderBy(asc(portfolios.createdAt), asc(portfolios.id));
}

export async function findPortfolio(db: Db, userId: string, id: string): Promise<PortfolioRow | undefined> {
  const [row] = await db
    .select()
    .from(portfolios)
    .where(and(eq(portfolios.userId, userId), eq(portfolios.id, id)))
    .limit(1);
  return row;
}

/** Locks the portfolio row so concurrent changes to its operations rebuild positions one at a time. */
export async function lockPortfolio(db: Db, userId: string, id: string): Promise<PortfolioRow | undefined> {
  const [row] = await db
    .select()
    .from(portfolios)
    .where(and(eq(portfolios.userId, userId), eq(portfolios.id, id)))
    .for('update')
    .limit(1);
  return row;
}

export async function findPortfolioByAccount(
  db: Db,
  userId: string,
  accountId: string,
): Promise<PortfolioRow | undefined> {
  const [row] = await db
    .select()
    .from(portfolios)
    .where(and(eq(portfolios.userId, userId), eq(portfolios.accountId, accountId)))
    .limit(1);
  return row;
}

export async function insertPortfolio(
  db: Db,
  values: {
    userId: string;
    name: string;
    kind: 'manual' | 'tinvest';
    accountId?: string;
    cashTracking: boolean;
  },
): Promise<PortfolioRow> {
  const [row] = await db.insert(portfolios).values(values).returning();
  if (!row) throw new Error('portfolio insert returned nothing');
  return row;
}

export async function updatePortfolio(
  db: Db,
  userId: string,
  id: string,
  values: Partial<Pick<PortfolioRow, 'name' | 'cashTracking' | 'lastSyncedAt'>>,
): Promise<PortfolioRow | undefined> {
  const [row] = await db
    .update(portfolios)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(portfolios.userId, userId), eq(portfolios.id, id)))
    .returning();
  return row;
}

/** Marks a portfolio's positions as derived again (in the transaction that derived them). */
export async function bumpPositionsVersion(db: Db, userId: string, portfolioId: string): Promise<void> {
  await db
    .update(portfolios)
    .set({ positionsVersion: sql`${portfolios.positionsVersion} + 1` })
    .where(and(eq(portfolios.userId, userId), eq(portfolios.id, portfolioId)));
}

/** Every portfolio of the user is to be valued again (a manual price changed). */
export async function bumpUserPositionsVersions(db: Db, userId: string): Promise<void> {
  await db
    .update(portfolios)
    .set({ positionsVersion: sql`${portfolios.positionsVersion} + 1` })
    .where(eq(portfolios.userId, userId));
}

export async function deletePortfolio(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(portfolios)
    .where(and(eq(portfolios.userId, userId), eq(portfolios.id, id)))
    .returning({ id: portfolios.id });
  return rows.length > 0;
}

const assetColumns = {
  position: {
    id: positions.id,
    portfolioId: positions.portfolioId,
    instrumentUid: positions.instrumentUid,
    manualAssetId: positions.manualAssetId,
    cashCurrency: positions.cashCurrency,
    baseCurrency: positions.baseCurrency,
    currency: positions.currency,
    quantity: positions.quantity,
    cost: positions.cost,
    costBase: positions.costBase,
    realizedBase: positions.realizedBase,
    incomeBase: positions.incomeBase,
    taxesBase: positions.taxesBase,
    feesBase: positions.feesBase,
    lastTradePrice: positions.lastTradePrice,
    lastTradeDate: positions.lastTradeDate,
    missingRates: positions.missingRates,
  },
  instrument: {
    uid: instruments.uid,
    ticker: instruments.ticker,
    classCode: instruments.classCode,
    tinvestUid: instruments.tinvestUid,
    name: instruments.name,
    kind: instruments.kind,
    currency: instruments.currency,
    nominal: instruments.nominal,
    nominalCurrency: instruments.nominalCurrency,
    aciValue: instruments.aciValue,
    aciDate: instruments.aciDate,
    maturityDate: instruments.maturityDate,
  },
  manualAsset: {
    id: manualAssets.id,
    ticker: manualAssets.ticker,
    name: manualAssets.name,
    kind: manualAssets.kind,
    price: manualAssets.price,
    pricedAt: manualAssets.pricedAt,
  },
};

export type HeldInstrument = Pick<InstrumentRow, keyof (typeof assetColumns)['instrument']>;

export type HeldPosition = Pick<PositionRow, keyof (typeof assetColumns)['position']>;

export interface PositionWithAsset {
  position: HeldPosition;
  instrument: HeldInstrument | null;
  manualAsset: Pick<ManualAssetRow, keyof (typeof assetColumns)['manualAsset']> | null;
}

/** The user's portfolios with positions derived in another currency than `base`. */
export async function portfoliosInOtherBase(
  db: Db,
  { userId, base }: { userId: string; base: string },
): Promise<{ portfolioId: string }[]> {
  return db
    .selectDistinct({ portfolioId: positions.portfolioId })
    .from(positions)
    .where(and(eq(positions.userId, userId), ne(positions.baseCurrency, base)));
}

/**
 * Portfolios with positions and the currencies those are derived in (lowest and highest), in
 * portfolio order after `after`: the start-up check reads them a batch at a time.
 */
export async function positionBases(
  db: Db,
  after: string | undefined,
  limit: number,
): Promise<{ portfolioId: string; userId: string; lowest: string; highest: string }[]> {
  return db
    .select({
      portfolioId: positions.portfolioId,
      userId: positions.userId,
      lowest: sql<string>`min(${positions.baseCurrency})`,
      highest: sql<string>`max(${positions.baseCurrency})`,
    })
    .from(positions)
    .where(after === undefined ? undefined : gt(positions.portfolioId, after))
    .groupBy(positions.portfolioId, positions.userId)
    .orderBy(asc(positions.portfolioId))
    .limit(limit);
}

/** Every position of the user (or of one portfolio) with what it holds: one query. */
export async function positionsWithAssets(
  db: Db,
  userId: string,
  portfolioId?: string,
): Promise<PositionWithAsset[]> {
  return db
    .select(assetColumns)
    .from(positions)
    .leftJoin(instruments, eq(instruments.uid, positions.instrumentUid))
    .leftJoin(
      manualAssets,
      and(eq(manualAssets.id, positions.manualAssetId), eq(manualAssets.userId, userId)),
    )
    .where(
      and(
        eq(positions.userId, userId),
        portfolioId === undefined ? undefined : eq(positions.portfolioId, portfolioId),
      ),
    );
}

export async function findPosition(
  db: Db,
  userId: string,
  portfolioId: string,
  id: string,
): Promise<PositionRow | undefined> {
  const [row] = await db
    .select()
    .from(positions)
    .where(and(eq(positions.userId, userId), eq(positions.portfolioId, portfolioId), eq(positions.id, id)))
    .limit(1);
  return row;
}

const positionKey = (p: Pick<PositionRow, 'instrumentUid' | 'manualAssetId' | 'cashCurrency'>) =>
  p.instrumentUid ?? p.manualAssetId ?? `cash:${p.cashCurrency}`;

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** Whether two column values are the same; decimals compare by value ("10.000000000" = "10"). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string' && DECIMAL_TEXT.test(a) && DECIMAL_TEXT.test(b)) {
    return dec(a).eq(b);
  }
  return false;
}

/**
 * Makes the stored positions of one portfolio equal to `rows`, writing only what changed (so a
 * new operation costs a couple of row writes, and position ids stay the same).
 */
export async function replacePositions(
  db: Db,
  userId: string,
  portfolioId: string,
  rows: PositionValues[],
  /** Only these assets' positions (and the cash balances) were derived; leave the others alone. */
  scope?: { instrumentUids: string[]; manualAssetIds: string[] },
): Promise<void> {
  const existing = await db
    .select()
    .from(positions)
    .where(
      and(
        eq(positions.userId, userId),
        eq(positions.portfolioId, portfolioId),
        scope === undefined
          ? undefined
          : or(
              isNotNull(positions.cashCurrency),
              scope.instrumentUids.length > 0
                ? inArray(positions.instrumentUid, scope.instrumentUids)
                : undefined,
              scope.manualAssetIds.length > 0
                ? inArray(positions.manualAssetId, scope.manualAssetIds)
                : undefined,
            ),
      ),
    );
  const byKey = new Map(existing.map((p) => [positionKey(p), p]));
  const inserts: PositionValues[] = [];
  for (const row of rows) {
    const key = positionKey({
      instrumentUid: row.instrumentUid ?? null,
      manualAssetId: row.manualAssetId ?? null,
      cashCurrency: row.cashCurrency ?? null,
    });
    const old = byKey.get(key);
    byKey.delete(key);
    if (old === undefined) {
      inserts.push(row);
      continue;
    }
    const changed = (Object.keys(row) as (keyof PositionValues)[]).some((k) => !same(old[k], row[k] ?? null));
    if (changed) await db.update(positions).set(row).where(eq(positions.id, old.id));
  }
  const gone = [...byKey.values()].map((p) => p.id);
  if (gone.length > 0)
    await db.delete(positions).where(and(eq(positions.userId, userId), inArray(positions.id, gone)));
  for (let i = 0; i < inserts.length; i += 500) await db.insert(positions).values(inserts.slice(i, i + 500));
}

// Manual assets

export async function listManualAssets(db: Db, userId: string): Promise<ManualAssetRow[]> {
  return db
    .select()
    .from(manualAssets)
    .where(eq(manualAssets.userId, userId))
    .orderBy(asc(manualAssets.ticker), asc(manualAssets.id));
}

export async function findManualAsset(
  db: Db,
  userId: string,
  id: string,
): Promise<ManualAssetRow | undefined> {
  const [row] = await db
    .select()
    .from(manualAssets)
    .where(and(eq(manualAssets.userId, userId), eq(manualAssets.id, id)))
    .limit(1);
  return row;
}

export async function insertManualAsset(
  db: Db,
  values: {
    userId: string;
    ticker: string;
    name: string;
    kind: string;
    currency: string;
  },
): Promise<ManualAssetRow> {
  const [row] = await db.insert(manualAssets).values(values).returning();
  if (!row) throw new Error('manual asset insert returned nothing');
  return row;
}

export async function updateManualAsset(
  db: Db,
  userId: string,
  id: string,
  values: Partial<Pick<ManualAssetRow, 'ticker' | 'name' | 'kind'>>,
): Promise<ManualAssetRow | undefined> {
  const [row] = await db
    .update(manualAssets)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(manualAssets.userId, userId), eq(manualAssets.id, id)))
    .returning();
  return row;
}

export async function deleteManualAsset(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(manualAssets)
    .where(and(eq(manualAssets.userId, userId), eq(manualAssets.id, id)))
    .returning({ id: manualAssets.id });
  return rows.length > 0;
}

export async function manualAssetInUse(db: Db, userId: string, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: operations.id })
    .from(operations)
    .where(and(eq(operations.userId, userId), eq(operations.manualAssetId, id)))
    .limit(1);
  return row !== undefined;
}
