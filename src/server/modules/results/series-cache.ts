/**
 * The stored daily values of each portfolio (portfolio_daily_values and its state row): brought
 * up to today from the earliest day an input changed, saved under the portfolio's advisory lock.
 */
import { addDays } from '../../../common/dates.js';
import type { FxService } from '../fx/fx.service.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import { BENCHMARK_UID, closesByKey, createDailyCloses, type DailyClosesDeps } from './closes.js';
import { rateFn, type Loaded } from './loaded.js';
import * as q from './results.queries.js';
import { buildSeries } from './series.js';

export interface SeriesCacheDeps extends DailyClosesDeps {
  fx: FxService;
}

export function createSeriesCache(deps: SeriesCacheDeps) {
  const { db, fx } = deps;
  const closes = createDailyCloses(deps);

  /**
   * Brings a portfolio's cached daily series up to today: from the earliest day anything it depends
   * on changed (operations, hand prices, closes, official rates), everything when operations or
   * prices were deleted, the user's rates changed or the base currency did.
   */
  async function ensureSeries(ctx: UserMarketContext, data: Loaded, today: string): Promise<void> {
    const { portfolio, ops } = data;
    if (ops.length === 0) {
      await q.clearSeries(db, portfolio.id);
      return;
    }
    const first = ops[0]!.date;
    const [stamp, state] = await Promise.all([q.dbNow(db), q.seriesState(db, portfolio.id)]);
    const nonRub = data.currencies.filter((c) => c !== 'RUB' && c !== ctx.baseCurrency);
    const ch = await q.changesSince(
      db,
      ctx.userId,
      portfolio.id,
      state?.computedAt ?? stamp,
      data.instrumentUids,
      [...nonRub, ...(ctx.baseCurrency === 'RUB' ? [] : [ctx.baseCurrency])],
    );
    let from: string;
    if (
      state === undefined ||
      state.baseCurrency !== ctx.baseCurrency ||
      state.firstDay !== first ||
      state.ratesKey !== ch.rates_key ||
      ch.operations_count - ch.operations_new !== state.operationsCount ||
      ch.prices_count - ch.prices_new !== state.pricesCount
    )
      from = first;
    else {
      from = state.computedTo;
      for (const d of [ch.operations_day, ch.prices_day, ch.closes_day, ch.rates_day])
        if (d !== null && d < from) from = d;
      if (from < first) from = first;
    }
    // What the days from `from` need, asked for at once.
    const inputs = (start: string) =>
      Promise.all([
        q.closesFrom(db, data.instrumentUids, start),
        q.manualPricesFrom(db, ctx.userId, data.manualIds, start),
        fx.tables(ctx.userId, [...data.currencies, ctx.baseCurrency], start, today),
      ]);
    let [before, [instrumentCloses, handPrices, tables]] = await Promise.all([
      from === first
        ? []
        : q.seriesRows(db, ctx.userId, [portfolio.id], addDays(from, -1), addDays(from, -1)),
      inputs(from),
    ]);
    if (from !== first && before.length === 0) {
      from = first;
      before = [];
      [instrumentCloses, handPrices, tables] = await inputs(from);
    }
    const days = buildSeries({
      from,
      to: today,
      operations: data.series,
      assets: data.assets,
      closes: closesByKey(instrumentCloses, handPrices),
      rate: rateFn(tables, ctx.baseCurrency),
      cashTracking: portfolio.cashTracking,
      netInvestedBefore: before[0]?.net_invested ?? '0',
    });
    await q.saveSeries(db, portfolio.id, from, days, {
      baseCurrency: ctx.baseCurrency,
      firstDay: first,
      computedTo: today,
      computedAt: stamp,
      operationsCount: ch.operations_count,
      pricesCount: ch.prices_count,
      ratesKey: ch.rates_key,
    });
  }

  return {
    /**
     * Fetches the closes the portfolios' instruments miss (and the IMOEX index's from
     * `benchmarkFrom`), then brings each portfolio's stored series up to today.
     */
    async refresh(ctx: UserMarketContext, loaded: Loaded[], today: string, benchmarkFrom?: string) {
      const need = new Map<string, string>();
      for (const d of loaded)
        for (const o of d.ops)
          if (o.instrumentUid !== null) {
            const from = addDays(o.date, -10);
            const had = need.get(o.instrumentUid);
            if (had === undefined || from < had) need.set(o.instrumentUid, from);
          }
      if (benchmarkFrom !== undefined) need.set(BENCHMARK_UID, addDays(benchmarkFrom, -10));
      await closes.ensure(ctx, need, today);
      await Promise.all(loaded.map((d) => ensureSeries(ctx, d, today)));
    },
  };
}
