import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { manualAssetPrices, manualAssets } from '../../db/schema.js';
import { rowsOf, type Db } from '../../platform/db.js';

export type ManualPriceRow = typeof manualAssetPrices.$inferSelect;

/** Newest day first. */
export async function listManualPrices(db: Db, userId: string, assetId: string): Promise<ManualPriceRow[]> {
  return db
    .select()
    .from(manualAssetPrices)
    .where(and(eq(manualAssetPrices.userId, userId), eq(manualAssetPrices.manualAssetId, assetId)))
    .orderBy(desc(manualAssetPrices.date));
}

async function onePrice(
  db: Db,
  userId: string,
  assetId: string,
  which: SQL,
): Promise<ManualPriceRow | undefined> {
  const [row] = await db
    .select()
    .from(manualAssetPrices)
    .where(and(eq(manualAssetPrices.userId, userId), eq(manualAssetPrices.manualAssetId, assetId), which))
    .limit(1);
  return row;
}

/** One price of the user's asset: the one with `id`. */
export const findManualPrice = (db: Db, userId: string, assetId: string, id: string) =>
  onePrice(db, userId, assetId, eq(manualAssetPrices.id, id));

/** The user's own manual asset, in SQL: a price row is written only under it. */
function ownAsset(userId: string, assetId: string) {
  return sql`exists (select 1 from ${manualAssets} where ${manualAssets.id} = ${assetId} and ${manualAssets.userId} = ${userId})`;
}

/**
 * Undefined when the asset already has a price on that day, or is not the user's: the row is
 * inserted only when the asset belongs to the user.
 */
export async function insertManualPrice(
  db: Db,
  values: { userId: string; manualAssetId: string; date: string; price: string },
): Promise<ManualPriceRow | undefined> {
  const [inserted] = await rowsOf<{ id: string }>(
    db.execute(sql`
    insert into ${manualAssetPrices} (user_id, manual_asset_id, date, price)
    select ${values.userId}::uuid, ${values.manualAssetId}::uuid, ${values.date}::date, ${values.price}::numeric
    where ${ownAsset(values.userId, values.manualAssetId)}
    on conflict do nothing
    returning id`),
  );
  return inserted && findManualPrice(db, values.userId, values.manualAssetId, inserted.id);
}

/** The day's price of the user's asset, set or replaced; nothing for another user's asset. */
export async function putManualPrice(
  db: Db,
  values: { userId: string; manualAssetId: string; date: string; price: string },
): Promise<void> {
  await db.execute(sql`
    insert into ${manualAssetPrices} (user_id, manual_asset_id, date, price)
    select ${values.userId}::uuid, ${values.manualAssetId}::uuid, ${values.date}::date, ${values.price}::numeric
    where ${ownAsset(values.userId, values.manualAssetId)}
    on conflict (manual_asset_id, date) do update set price = excluded.price, updated_at = now()
    where ${manualAssetPrices.userId} = ${values.userId}`);
}

export async function updateManualPrice(
  db: Db,
  userId: string,
  id: string,
  values: { date?: string | undefined; price?: string | undefined },
): Promise<void> {
  await db
    .update(manualAssetPrices)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(manualAssetPrices.userId, userId), eq(manualAssetPrices.id, id)));
}

export async function deleteManualPrice(db: Db, userId: string, id: string): Promise<void> {
  await db
    .delete(manualAssetPrices)
    .where(and(eq(manualAssetPrices.userId, userId), eq(manualAssetPrices.id, id)));
}

export async function deleteManualPrices(db: Db, userId: string, assetId: string): Promise<void> {
  await db
    .delete(manualAssetPrices)
    .where(and(eq(manualAssetPrices.userId, userId), eq(manualAssetPrices.manualAssetId, assetId)));
}

/** One price of the user's asset: the one of `date`. */
export const manualPriceOn = (db: Db, userId: string, assetId: string, date: string) =>
  onePrice(db, userId, assetId, eq(manualAssetPrices.date, date));

/** The asset's current price becomes its latest entry (none: unpriced), dated that entry's day. */
export async function syncCurrentPrice(db: Db, userId: string, assetId: string): Promise<void> {
  const latest = (column: ReturnType<typeof sql>) => sql`(
    select ${column} from ${manualAssetPrices}
    where ${manualAssetPrices.manualAssetId} = ${assetId} and ${manualAssetPrices.userId} = ${userId}
    order by ${manualAssetPrices.date} desc limit 1)`;
  await db
    .update(manualAssets)
    .set({
      price: latest(sql`${manualAssetPrices.price}`),
      pricedAt: latest(sql`${manualAssetPrices.date}::timestamp at time zone 'UTC'`),
      updatedAt: sql`now()`,
    })
    .where(and(eq(manualAssets.userId, userId), eq(manualAssets.id, assetId)));
}
