import { Decimal } from '../../../common/decimal.js';
import type { Db } from '../../platform/db.js';
import { rateOn, type FxTables } from '../fx/fx-core.js';
import type { OperationType } from '../investments/valuation.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import * as q from './results.queries.js';
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

/** A portfolio's operations with the catalogue or hand-entered facts of every asset they touch. */
export async function loadPortfolio(db: Db, userId: string, portfolio: PortfolioRow): Promise<Loaded> {
  const ops = await q.seriesOperations(db, userId, portfolio.id);
  const instrumentUids = [
    ...new Set(ops.flatMap((o) => (o.instrumentUid === null ? [] : [o.instrumentUid]))),
  ];
  const manualIds = [...new Set(ops.flatMap((o) => (o.manualAssetId === null ? [] : [o.manualAssetId])))];
  const [info, manual] = await Promise.all([
    q.instrumentInfo(db, instrumentUids),
    q.manualAssetInfo(db, userId, manualIds),
  ]);
  const tradeCurrency = new Map<string, string>();
  for (const o of ops) {
    const k = keyOf(o);
    if (k !== null && !tradeCurrency.has(k)) tradeCurrency.set(k, o.currency);
  }
  const assets = new Map<string, AssetMeta>();
  for (const i of info)
    assets.set(i.uid, {
      ticker: i.ticker,
      name: i.name,
      kind: i.kind,
      currency: (tradeCurrency.get(i.uid) ?? i.currency) || 'RUB',
      percentOfNominal: i.kind === 'bond',
      nominal: i.nominal,
      currencyInstrument: i.kind === 'currency',
    });
  for (const m of manual)
    assets.set(m.id, {
      ticker: m.ticker,
      name: m.name,
      kind: m.kind,
      currency: m.currency,
      percentOfNominal: false,
      nominal: null,
      currencyInstrument: false,
    });
  const isoOf = new Map(info.filter((i) => i.kind === 'currency').map((i) => [i.uid, i.nominal_currency]));
  const series: SeriesOperation[] = ops.map((o) => ({
    type: o.type as OperationType,
    assetKey: keyOf(o),
    assetIso: o.instrumentUid === null ? null : (isoOf.get(o.instrumentUid) ?? null),
    currency: o.currency,
    date: o.date,
    quantity: o.quantity,
    price: o.price,
    amount: o.amount,
    commission: o.commission,
    accruedInterest: o.accruedInterest,
  }));
  const currencies = new Set<string>(ops.map((o) => o.currency));
  for (const a of assets.values()) currencies.add(a.currency);
  for (const s of series) if (s.assetIso !== null) currencies.add(s.assetIso);
  return { portfolio, ops, series, assets, instrumentUids, manualIds, currencies: [...currencies].sort() };
}

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
