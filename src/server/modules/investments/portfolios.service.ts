import { dayInZone } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { notFound, validationFailed } from '../../platform/errors.js';
import type { Market } from '../market/market.js';
import type { OperationsService } from './operations.service.js';
import * as pq from './portfolios.queries.js';
import type { AddAssetBody, PortfolioDto } from './portfolios.schemas.js';

export interface PortfoliosServiceDeps {
  db: Db;
  market: Pick<Market, 'access'>;
  operations: Pick<OperationsService, 'create'>;
  now: () => Date;
}

/** Name of the portfolio every new user starts with. */
const DEFAULT_PORTFOLIO_NAME = { ru: 'Мой портфель', en: 'My portfolio' } as const;

export function toPortfolioDto(row: pq.PortfolioRow): PortfolioDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === 'tinvest' ? 'tinvest' : 'manual',
    accountId: row.accountId,
    cashTracking: row.cashTracking,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Portfolios themselves: the default one, list, create, rename, delete, and "add asset". */
export function createPortfoliosService({ db, market, operations, now }: PortfoliosServiceDeps) {
  const service = {
    /** Every new user starts with one empty hand-kept portfolio. */
    async createDefault(tx: Db, userId: string, locale: 'ru' | 'en' = 'ru'): Promise<void> {
      await pq.insertPortfolio(tx, {
        userId,
        name: DEFAULT_PORTFOLIO_NAME[locale],
        kind: 'manual',
        cashTracking: false,
      });
    },

    async list(userId: string) {
      const rows = await pq.listPortfolios(db, userId);
      return rows.map((r) => ({
        ...toPortfolioDto(r),
        positions: r.openPositions,
        operations: r.operationsCount,
      }));
    },

    async create(userId: string, body: { name: string; cashTracking?: boolean }): Promise<PortfolioDto> {
      const name = body.name.trim();
      if (name === '') throw validationFailed('name', 'BLANK', 'must not be blank');
      return toPortfolioDto(
        await pq.insertPortfolio(db, {
          userId,
          name,
          kind: 'manual',
          cashTracking: body.cashTracking ?? false,
        }),
      );
    },

    async update(
      userId: string,
      id: string,
      body: { name?: string; cashTracking?: boolean },
    ): Promise<PortfolioDto> {
      const name = body.name?.trim();
      if (name === '') throw validationFailed('name', 'BLANK', 'must not be blank');
      const row = await pq.updatePortfolio(db, userId, id, { name, cashTracking: body.cashTracking });
      if (!row) throw notFound('Portfolio');
      return toPortfolioDto(row);
    },

    async remove(userId: string, id: string): Promise<void> {
      if (!(await pq.deletePortfolio(db, userId, id))) throw notFound('Portfolio');
    },

    /** "Add asset": one buy of an instrument from the catalogue or of an asset described by hand. */
    async addAsset(userId: string, portfolioId: string, body: AddAssetBody) {
      const given = [body.instrumentId, body.manualAssetId, body.manualAsset].filter(
        (x) => x !== undefined,
      ).length;
      if (given !== 1)
        throw validationFailed(
          'instrumentId',
          'EITHER_OR',
          'give exactly one of instrumentId, manualAssetId, manualAsset',
        );
      const ctx = await market.access.context(userId);
      const date = body.date ?? dayInZone(now(), ctx.timeZone);
      return operations.create(
        userId,
        portfolioId,
        {
          type: 'buy',
          date,
          instrumentId: body.instrumentId,
          manualAssetId: body.manualAssetId,
          quantity: body.quantity,
          price: body.price,
          commission: body.commission,
          accruedInterest: body.accruedInterest,
          fxRate: body.fxRate,
          note: body.note,
        },
        body.manualAsset,
      );
    },
  };
  return service;
}

export type PortfoliosService = ReturnType<typeof createPortfoliosService>;
