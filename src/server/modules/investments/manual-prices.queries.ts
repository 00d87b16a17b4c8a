import { and, desc, eq, sql } from 'drizzle-orm';
import { manualAssetPrices, manualAssets } from '../../db/schema.js';
import type { Db } from '../../platform/db.js';

export type ManualPriceRow = typeof manualAssetPrices.$inferSelect;

/** Newest day first. */
export async function listManualPrices(db: Db, userId: string, assetId: string): Promise<ManualPriceRow[]> {
  return db
    .select()
    .from(manualAssetPrices)
    .where(and(eq(manualAssetPrices.userId, userId), eq(manualAssetPrices.manualAssetId, assetId)))
    .orderBy(desc(manualAssetPrices.date));
}

export async function findManualPrice(
  db: Db,
  userId: string,
  assetId: string,
  id: string,
): Promise<ManualPriceRow | undefined> {
  const [row] = await db
    .select()
    .from(manualAssetPrices)
    .where(
      and(
        eq(manualAssetPrices.userId, userId),
        eq(manualAssetPrices.manualAssetId, assetId),
        eq(manualAssetPrices.id, id),
      ),
    )
    .limit(1);
  return row;
}

/** Undefined when the asset already has a price on that day. */
export async function insertManualPrice(
  db: Db,
  values: { userId: string; manualAssetId: string; date: string; price: string },
): Promise<ManualPriceRow | undefined> {
  const [row] = await db.insert(manualAssetPrices).values(values).onConflictDoNothing().returning();
  return row;
}

/** The day's price of an asset, set or replaced. */
export async function putManualPrice(
  db: Db,
  values: { userId: string; manualAssetId: string; date: string; price: string },
): Promise<void> {
  await db
    .insert(manualAssetPrices)
    .values(values)
    .onConflictDoUpdate({
      target: [manualAssetPrices.manualAssetId, manualAssetPrices.date],
      set: { price: sql`excluded.price`, updatedAt: sql`now()` },
    });
}

export async function updateManualPrice(
  db: Db,
  id: string,
  values: { date?: string | undefined; price?: string | undefined },
): Promise<void> {
  await db
    .update(manualAssetPrices)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(manualAssetPrices.id, id));
}

export async function deleteManualPrice(db: Db, id: string): Promise<void> {
  await db.delete(manualAssetPrices).where(eq(manualAssetPrices.id, id));
}

export async function deleteManualPrices(db: Db, assetId: string): Promise<void> {
  await db.delete(manualAssetPrices).where(eq(manualAssetPrices.manualAssetId, assetId));
}

export async function manualPriceOn(
  db: Db,
  assetId: string,
  date: string,
): Promise<ManualPriceRow | undefined> {
  const [row] = await db
    .select()
    .from(manualAssetPrices)
    .where(and(eq(manualAssetPrices.manualAssetId, assetId), eq(manualAssetPrices.date, date)))
    .limit(1);
  return row;
}

/** The asset's current price becomes its latest entry (none: unpriced), dated that entry's day. */
export async function syncCurrentPrice(db: Db, assetId: string): Promise<void> {
  const latest = (column: ReturnType<typeof sql>) => sql`(
    select ${column} from ${manualAssetPrices}
    where ${manualAssetPrices.manualAssetId} = ${assetId}
    order by ${manualAssetPrices.date} desc limit 1)`;
  await db
    .update(manualAssets)
    .set({
      price: latest(sql`${manualAssetPrices.price}`),
      pricedAt: latest(sql`${manualAssetPrices.date}::timestamp at time zone 'UTC'`),
      updatedAt: sql`now()`,
    })
    .where(eq(manualAssets.id, assetId));
}
