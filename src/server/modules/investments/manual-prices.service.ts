import { dec } from '../../../common/decimal.js';
import { dayInZone } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import type { Market } from '../market/market.js';
import * as mq from './manual-prices.queries.js';
import type {
  CreateManualPriceBody,
  ManualPriceDto,
  UpdateManualPriceBody,
} from './manual-prices.schemas.js';
import * as pq from './portfolios.queries.js';

export interface ManualPricesServiceDeps {
  db: Db;
  market: Market;
  now: () => Date;
}

const toDto = (r: mq.ManualPriceRow): ManualPriceDto => ({
  id: r.id,
  manualAssetId: r.manualAssetId,
  date: r.date,
  price: dec(r.price).toFixed(),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/**
 * The one way a manual asset's price changes: a dated entry is set (or, with null, all of them
 * go), the latest entry becomes the asset's current price, and valuations made before are out of
 * date. Runs inside the caller's transaction.
 */
export async function setManualPrice(
  tx: Db,
  userId: string,
  assetId: string,
  date: string,
  price: string | null,
): Promise<void> {
  if (price === null) await mq.deleteManualPrices(tx, userId, assetId);
  else await mq.putManualPrice(tx, { userId, manualAssetId: assetId, date, price });
  await afterChange(tx, userId, assetId);
}

async function afterChange(tx: Db, userId: string, assetId: string): Promise<void> {
  await mq.syncCurrentPrice(tx, userId, assetId);
  await pq.bumpUserPositionsVersions(tx, userId);
}

const priceExists = (date: string) =>
  new AppError(409, 'MANUAL_PRICE_EXISTS', `The asset already has a price on ${date}; change that one`, {
    fields: [{ field: 'date', message: 'already has a price' }],
  });

/** Dated prices of hand-priced assets: the latest values the asset, the earlier ones are its history. */
export function createManualPricesService({ db, market, now }: ManualPricesServiceDeps) {
  async function ownAsset(userId: string, assetId: string) {
    const asset = await pq.findManualAsset(db, userId, assetId);
    if (!asset) throw notFound('Manual asset');
    return asset;
  }

  async function checkEntry(userId: string, body: { date?: string | undefined; price?: string | undefined }) {
    if (body.price !== undefined && !dec(body.price).gt(0))
      throw validationFailed('price', 'NOT_POSITIVE', 'must be above zero');
    if (body.date !== undefined) {
      const today = dayInZone(now(), (await market.access.context(userId)).timeZone);
      if (body.date > today)
        throw validationFailed('date', 'AFTER_OTHER', 'must not be after today', { other: 'today' });
    }
  }

  return {
    async list(userId: string, assetId: string): Promise<ManualPriceDto[]> {
      await ownAsset(userId, assetId);
      return (await mq.listManualPrices(db, userId, assetId)).map(toDto);
    },

    async create(userId: string, assetId: string, body: CreateManualPriceBody): Promise<ManualPriceDto> {
      await ownAsset(userId, assetId);
      await checkEntry(userId, body);
      return db.transaction(async (tx) => {
        const row = await mq.insertManualPrice(tx, { userId, manualAssetId: assetId, ...body });
        if (!row) throw priceExists(body.date);
        await afterChange(tx, userId, assetId);
        return toDto(row);
      });
    },

    async update(
      userId: string,
      assetId: string,
      id: string,
      body: UpdateManualPriceBody,
    ): Promise<ManualPriceDto> {
      await ownAsset(userId, assetId);
      await checkEntry(userId, body);
      return db.transaction(async (tx) => {
        const row = await mq.findManualPrice(tx, userId, assetId, id);
        if (!row) throw notFound('Manual price');
        if (
          body.date !== undefined &&
          body.date !== row.date &&
          (await mq.manualPriceOn(tx, userId, assetId, body.date))
        )
          throw priceExists(body.date);
        await mq.updateManualPrice(tx, userId, id, body);
        await afterChange(tx, userId, assetId);
        const updated = await mq.findManualPrice(tx, userId, assetId, id);
        if (!updated) throw notFound('Manual price');
        return toDto(updated);
      });
    },

    async remove(userId: string, assetId: string, id: string): Promise<void> {
      await ownAsset(userId, assetId);
      await db.transaction(async (tx) => {
        if (!(await mq.findManualPrice(tx, userId, assetId, id))) throw notFound('Manual price');
        await mq.deleteManualPrice(tx, userId, id);
        await afterChange(tx, userId, assetId);
      });
    },
  };
}

export type ManualPricesService = ReturnType<typeof createManualPricesService>;
