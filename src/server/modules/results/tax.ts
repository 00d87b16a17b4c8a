import { Decimal } from '../../../common/decimal.js';
import { rubRate, type FxTables } from '../fx/fx-core.js';
import type { FxService } from '../fx/fx.service.js';
import { TRADE_TYPES, type OperationType } from '../investments/valuation.js';
import { fifo, yearTax, type TaxTrade } from './fifo.js';
import { keyOf, type OpRow, type Prepared } from './loaded.js';
import type { TaxDto } from './results.schemas.js';

/**
 * The НДФЛ estimate: realised results per calendar year by FIFO lots per portfolio (broker
 * account), in roubles at the official rate of each trade's day, ИИС accounts apart.
 */
export async function taxOf(
  fx: FxService,
  userId: string,
  { ctx, today, loaded }: Prepared,
): Promise<TaxDto> {
  const currencies = new Set<string>();
  for (const d of loaded) for (const c of d.currencies) currencies.add(c);
  const first = loaded.flatMap((d) => d.ops.map((o) => o.date)).sort()[0] ?? today;
  const all = await fx.tables(userId, [...currencies], first, today);
  // The official rate only: the user's own and market rates are not what the tax office uses.
  const official: FxTables = { ...all, manual: new Map(), market: new Map() };
  type YearAcc = {
    accounts: TaxDto['years'][number]['accounts'];
    slices: TaxDto['years'][number]['slices'];
  };
  const years = new Map<number, YearAcc>();
  const issues: TaxDto['issues'] = [];
  for (const d of loaded) {
    const trades: TaxTrade[] = [];
    const byId = new Map<string, OpRow>();
    for (const o of d.ops) {
      const key = keyOf(o);
      if (key === null || !TRADE_TYPES.has(o.type as OperationType)) continue;
      byId.set(o.id, o);
      trades.push({
        id: o.id,
        assetKey: key,
        type: o.type as TaxTrade['type'],
        date: o.date,
        quantity: o.quantity,
        amount: o.amount,
        commission: o.commission,
        accruedInterest: o.accruedInterest,
        currency: o.currency,
        rubRate: rubRate(official, o.currency, o.date)?.rate ?? null,
      });
    }
    const r = fifo(trades);
    for (const y of r.years) {
      const acc = years.get(y.year) ?? { accounts: [], slices: [] };
      acc.accounts.push({
        portfolioId: d.portfolio.id,
        name: d.portfolio.name,
        iisType: (d.portfolio.iisType as 'A' | 'B' | 'III' | null) ?? null,
        ...y,
      });
      years.set(y.year, acc);
    }
    for (const s of r.slices) {
      const year = Number(s.sellDate.slice(0, 4));
      const acc = years.get(year);
      acc?.slices.push({
        portfolioId: d.portfolio.id,
        ticker: d.assets.get(s.assetKey)?.ticker ?? '',
        ...s,
      });
    }
    for (const i of r.issues) {
      const o = byId.get(i.tradeId)!;
      issues.push({
        operationId: i.tradeId,
        portfolioId: d.portfolio.id,
        ticker: d.assets.get(keyOf(o)!)?.ticker ?? '',
        date: o.date,
        code: i.code,
        quantity: i.quantity ?? null,
      });
    }
  }
  return {
    baseCurrency: ctx.baseCurrency,
    years: [...years]
      .sort((a, b) => b[0] - a[0])
      .map(([year, acc]) => {
        const taxable = acc.accounts
          .filter((a) => a.iisType === null)
          .reduce((s, a) => s.plus(Decimal.of(a.result)), Decimal.ZERO);
        const ldv = acc.accounts
          .filter((a) => a.iisType === null)
          .reduce((s, a) => s.plus(Decimal.of(a.ldvResult)), Decimal.ZERO);
        return {
          year,
          accounts: acc.accounts,
          taxableResult: taxable.toFixed(2),
          ldvResult: ldv.toFixed(2),
          ...yearTax(year, taxable.toFixed(2)),
          slices: acc.slices.sort((a, b) => a.sellDate.localeCompare(b.sellDate)),
        };
      }),
    issues,
  };
}
