import { Decimal } from '../../../common/decimal.js';
import { rateOn, type FxTables } from '../fx/fx-core.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import type * as q from './results.queries.js';
import type { SeriesAsset, SeriesOperation } from './series.js';

// What the results' parts share: a user's portfolios loaded with their operations and assets.

export type OpRow = Awaited<ReturnType<typeof q.seriesOperations>>[number];
export type PortfolioRow = Awaited<ReturnType<typeof q.portfoliosOf>>[number];

export interface AssetMeta extends SeriesAsset {
  ticker: string;
  name: string;
  kind: string;
}

export interface Loaded {
  portfolio: PortfolioRow;
  ops: OpRow[];
  series: SeriesOperation[];
  assets: Map<string, AssetMeta>;
  instrumentUids: string[];
  manualIds: string[];
  currencies: string[];
}

export const keyOf = (op: Pick<OpRow, 'instrumentUid' | 'manualAssetId'>) =>
  op.instrumentUid ?? op.manualAssetId;

/** The portfolios asked for, loaded, with the user's market context and today in their time zone. */
export interface Prepared {
  ctx: UserMarketContext;
  today: string;
  loaded: Loaded[];
}

/** Rates into the base currency per (currency, day), memoised; null where none is known. */
export function rateFn(tables: FxTables, base: string) {
  const memo = new Map<string, Decimal | null>();
  /** One object per distinct rate, so that an unchanged rate is recognised by identity. */
  const values = new Map<string, Decimal>();
  return (currency: string, day: string): Decimal | null => {
    if (currency === base) return Decimal.ONE;
    const key = `${currency}|${day}`;
    let r = memo.get(key);
    if (r === undefined) {
      const found = rateOn(tables, currency, base, day);
      if (found === null) r = null;
      else {
        r = values.get(found.rate);
        if (r === undefined) {
          r = Decimal.of(found.rate);
          values.set(found.rate, r);
        }
      }
      memo.set(key, r);
    }
    return r;
  };
}
