import { dayInZone } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import type { Market } from '../market/market.js';
import { setManualPrice } from './manual-prices.service.js';
import { plain } from './operations.service.js';
import * as pq from './portfolios.queries.js';
import type { CreateManualAssetBody, ManualAssetDto, UpdateManualAssetBody } from './portfolios.schemas.js';

export interface ManualAssetsServiceDeps {
  db: Db;
  market: Pick<Market, 'access'>;
  now: () => Date;
}

function toManualAssetDto(row: pq.ManualAssetRow): ManualAssetDto {
  return {
    id: row.id,
    ticker: row.ticker,
    name: row.name,
    kind: row.kind,
    currency: row.currency,
    price: row.price === null ? null : plain(row.price),
    pricedAt: row.pricedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Assets the user describes and prices by hand. */
export function createManualAssetsService({ db, market, now }: ManualAssetsServiceDeps) {
  const service = {
    async listManualAssets(userId: string): Promise<ManualAssetDto[]> {
      return (await pq.listManualAssets(db, userId)).map(toManualAssetDto);
    },

    async createManualAsset(userId: string, body: CreateManualAssetBody): Promise<ManualAssetDto> {
      const ticker = body.ticker.trim();
      const name = body.name.trim();
      if (ticker === '') throw validationFailed('ticker', 'BLANK', 'must not be blank');
      if (name === '') throw validationFailed('name', 'BLANK', 'must not be blank');
      const today = dayInZone(now(), (await market.access.context(userId)).timeZone);
      const row = await db.transaction(async (tx) => {
        const asset = await pq.insertManualAsset(tx, {
          userId,
          ticker,
          name,
          kind: body.kind,
          currency: body.currency,
        });
        if (body.price === undefined) return asset;
        await setManualPrice(tx, userId, asset.id, today, body.price);
        return pq.findManualAsset(tx, userId, asset.id);
      });
      if (!row) throw notFound('Manual asset');
      return toManualAssetDto(row);
    },

    async updateManualAsset(
      userId: string,
      id: string,
      body: UpdateManualAssetBody,
    ): Promise<ManualAssetDto> {
      const ticker = body.ticker?.trim();
      const name = body.name?.trim();
      if (ticker === '') throw validationFailed('ticker', 'BLANK', 'must not be blank');
      if (name === '') throw validationFailed('name', 'BLANK', 'must not be blank');
      const today = dayInZone(now(), (await market.access.context(userId)).timeZone);
      const row = await db.transaction(async (tx) => {
        const updated = await pq.updateManualAsset(tx, userId, id, { ticker, name, kind: body.kind });
        if (!updated) return undefined;
        // Its positions show the new name and price: valuations made before are out of date.
        await pq.bumpUserPositionsVersions(tx, userId);
        if (body.price === undefined) return updated;
        // A price given here is today's entry of the history; null clears the history.
        await setManualPrice(tx, userId, id, today, body.price);
        return pq.findManualAsset(tx, userId, id);
      });
      if (!row) throw notFound('Manual asset');
      return toManualAssetDto(row);
    },

    async removeManualAsset(userId: string, id: string): Promise<void> {
      if (await pq.manualAssetInUse(db, userId, id)) {
        throw new AppError(
          409,
          'MANUAL_ASSET_IN_USE',
          'Operations still refer to this asset; delete its position first',
        );
      }
      if (!(await pq.deleteManualAsset(db, userId, id))) throw notFound('Manual asset');
    },
  };
  return service;
}

export type ManualAssetsService = ReturnType<typeof createManualAssetsService>;
