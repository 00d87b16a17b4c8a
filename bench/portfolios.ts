import type { ApiClient } from './api-client.js';
import { monthOffset, random } from './household.js';

export const PORTFOLIOS = { portfolios: 3, positions: 300, operations: 5_000 } as const;

/** Exchange-traded instruments of the fake T-Invest server; every other position is an asset priced by hand. */
const TICKERS = [
  'SBER',
  'GAZP',
  'LKOH',
  'YDEX',
  'TCSG',
  'SU26238RMFS4',
  'SU26243RMFS4',
  'SU26222RMFS8',
  'TMOS',
  'TGLD',
];

interface Position {
  portfolioId: string;
  instrumentId?: string;
  manualAssetId?: string;
  price: number;
}

/**
 * Three portfolios, 300 positions and 5 000 operations in all, through the API: each position is
 * added with a first buy, the other operations are more buys and dividends over ten years.
 */
export async function createPortfolios(api: ApiClient, uidOf: (ticker: string) => string): Promise<number> {
  const next = random(11);
  const portfolios: string[] = [];
  for (const name of ['Брокерский счёт', 'ИИС', 'Долгосрочный']) {
    portfolios.push((await api.ok<{ id: string }>('POST', '/api/portfolios', { name })).id);
  }
  const instruments = TICKERS.map(uidOf);
  const perPortfolio = PORTFOLIOS.positions / PORTFOLIOS.portfolios;
  const manualCount = perPortfolio - instruments.length;
  const manual: string[] = [];
  for (let i = 0; i < manualCount; i++) {
    const asset = await api.ok<{ id: string }>('POST', '/api/manual-assets', {
      ticker: `PRIV${i}`,
      name: `Актив ${i + 1}`,
      kind: i % 3 === 0 ? 'bond' : 'share',
      currency: 'RUB',
      price: (100 + i * 7.5).toFixed(2),
    });
    manual.push(asset.id);
  }
  const positions: Position[] = [];
  for (const portfolioId of portfolios) {
    for (const instrumentId of instruments) positions.push({ portfolioId, instrumentId, price: 100 });
    manual.forEach((manualAssetId, i) =>
      positions.push({ portfolioId, manualAssetId, price: 100 + i * 7.5 }),
    );
  }
  let operations = 0;
  for (const p of positions) {
    await api.ok('POST', `/api/portfolios/${p.portfolioId}/assets`, {
      ...(p.instrumentId ? { instrumentId: p.instrumentId } : { manualAssetId: p.manualAssetId }),
      quantity: String(10 + Math.floor(next() * 90)),
      price: p.price.toFixed(2),
      date: '2016-12-15',
    });
    operations++;
  }
  // The rest in a few parallel streams: each request is small, the round trips dominate.
  const rest = Array.from({ length: PORTFOLIOS.operations - operations }, (_, i) => {
    const p = positions[i % positions.length]!;
    const date = `${monthOffset('2017-01', Math.floor(next() * 118))}-${String(1 + Math.floor(next() * 27)).padStart(2, '0')}`;
    const asset = p.instrumentId ? { instrumentId: p.instrumentId } : { manualAssetId: p.manualAssetId };
    return i % 5 === 4
      ? {
          portfolioId: p.portfolioId,
          body: {
            type: 'dividend',
            date,
            ...asset,
            amount: (50 + next() * 2000).toFixed(2),
            currency: 'RUB',
          },
        }
      : {
          portfolioId: p.portfolioId,
          body: {
            type: 'buy',
            date,
            ...asset,
            quantity: String(1 + Math.floor(next() * 5)),
            price: (p.price * (0.8 + next() * 0.4)).toFixed(2),
          },
        };
  });
  let index = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (index < rest.length) {
        const op = rest[index++]!;
        await api.ok('POST', `/api/portfolios/${op.portfolioId}/operations`, op.body);
        operations++;
      }
    }),
  );
  return operations;
}
