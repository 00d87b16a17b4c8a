import type { FastifyBaseLogger } from 'fastify';
import { addDays, dayInZone } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { notFound, validationFailed } from '../../platform/errors.js';
import type { FxService } from '../fx/fx.service.js';
import { Decimal } from '../../../common/decimal.js';
import type { PortfolioCalendar } from '../investments/portfolio-calendar.service.js';
import type { PortfolioOverview } from '../investments/portfolio-overview.service.js';
import type { Market } from '../market/market.js';
import type { MarketDataProvider } from '../market/provider.js';
import { BENCHMARK_UID, closesByKey } from './closes.js';
import { incomeOf } from './income.js';
import { loadPortfolio, rateFn } from './loaded.js';
import { taxOf } from './tax.js';
import { returnFigures } from './returns.js';
import { buildSeries, type SeriesOperation } from './series.js';
import { createSeriesCache } from './series-cache.js';
import * as q from './results.queries.js';
import { liveToday, withLiveValue } from './today.js';
import type { IncomeDto, ResultsDto, ResultsQuery, TaxDto } from './results.schemas.js';

export interface ResultsServiceDeps {
  db: Db;
  market: Pick<Market, 'access' | 'history'>;
  fx: FxService;
  portfolios: Pick<PortfolioCalendar, 'calendar'>;
  /** The positions table: today's point of the results is its valuation. */
  overview: Pick<PortfolioOverview, 'overview'>;
  /** MOEX ISS, for the IMOEX index whatever the user's provider. */
  moex: MarketDataProvider | undefined;
  now: () => Date;
  logger: FastifyBaseLogger;
}

const MAX_POINTS = 400;
/** Places of index units bought with a flow (the value is then rounded to the kopeck). */
const UNITS_DP = 12;
const RANGE_DAYS: Record<Exclude<ResultsQuery['range'], undefined | 'all' | 'ytd'>, number> = {
  '1M': 30,
  '3M': 91,
  '6M': 182,
  '1Y': 365,
  '3Y': 1095,
  '5Y': 1826,
};

export function createResultsService({
  db,
  market,
  fx,
  portfolios,
  overview,
  moex,
  now,
  logger,
}: ResultsServiceDeps) {
  const cache = createSeriesCache({ db, market, fx, moex, now, logger });

  async function prepare(userId: string, portfolioId: string | undefined) {
    const ctx = await market.access.context(userId);
    const today = dayInZone(now(), ctx.timeZone);
    const all = await q.portfoliosOf(db, userId);
    const selected = portfolioId === undefined ? all : all.filter((p) => p.id === portfolioId);
    if (portfolioId !== undefined && selected.length === 0) throw notFound('Portfolio');
    const loaded = await Promise.all(selected.map((p) => loadPortfolio(db, userId, p)));
    return { ctx, today, all, loaded };
  }

  function periodOf(query: ResultsQuery, first: string, today: string): { from: string; to: string } {
    const to = query.to !== undefined && query.to < today ? query.to : today;
    let from: string;
    if (query.from !== undefined) from = query.from;
    else if (query.range === undefined || query.range === 'all') from = first;
    else if (query.range === 'ytd') from = `${to.slice(0, 4)}-01-01`;
    else from = addDays(to, -RANGE_DAYS[query.range] + 1);
    if (from < first) from = first;
    if (query.from !== undefined && query.to !== undefined && query.from > query.to)
      throw validationFailed('from', 'AFTER_OTHER', 'must not be after to', { other: 'to' });
    return { from, to };
  }

  return {
    /** Daily portfolio values of a user summed over all portfolios (for the net-worth history). */
    async dailyValues(userId: string, from: string, to: string) {
      const { ctx, today, all, loaded } = await prepare(userId, undefined);
      await cache.refresh(ctx, loaded, today);
      return q.seriesRows(
        db,
        userId,
        all.map((p) => p.id),
        from,
        to,
      );
    },

    async results(userId: string, query: ResultsQuery): Promise<ResultsDto> {
      const { ctx, today, all, loaded } = await prepare(userId, query.portfolioId);
      const base = ctx.baseCurrency;
      const withOps = loaded.filter((d) => d.ops.length > 0);
      const first = withOps.map((d) => d.ops[0]!.date).sort()[0];
      const portfolioList = all.map((p) => ({ id: p.id, name: p.name, iisType: p.iisType }));
      if (first === undefined)
        return {
          baseCurrency: base,
          today,
          from: null,
          to: null,
          points: [],
          totals: null,
          returns: null,
          benchmark: null,
          byPortfolio: [],
          positions: [],
          portfolios: portfolioList,
        };
      const { from, to } = periodOf(query, first, today);
      if (from > to) throw validationFailed('from', 'AFTER_OTHER', 'must not be after to', { other: 'to' });
      const [live] = await Promise.all([
        to === today ? overview.overview(userId).then(liveToday) : null,
        cache.refresh(ctx, loaded, today, from),
      ]);

      const ids = withOps.map((d) => d.portfolio.id);
      const rows = withLiveValue(
        await q.seriesRows(db, userId, ids, addDays(from, -1), to),
        today,
        live,
        ids,
      );
      const startRow = rows[0]?.day === addDays(from, -1) ? rows[0] : undefined;
      const inPeriod = rows.filter((r) => r.day >= from);
      const startValue = startRow === undefined ? 0 : Number(startRow.value);
      const days = inPeriod.map((r) => ({
        day: r.day,
        value: r.value,
        flow: r.flow,
        netInvested: r.net_invested,
        missing: r.missing,
      }));
      const last = days.at(-1);

      // IMOEX with the same money: the starting value and every flow buy (or sell) the index at
      // that day's close, so the two lines differ only by what was held.
      const index = await q.benchmarkCloses(db, BENCHMARK_UID, from, to);
      let benchmark: ResultsDto['benchmark'] = null;
      const rebased = new Map<string, string>();
      if (index.length > 0 && !Decimal.of(index[0]!.close).isZero()) {
        const baseClose = Decimal.of(index[0]!.close);
        let k = 0;
        const at = (day: string) => {
          while (k + 1 < index.length && index[k + 1]!.day <= day) k++;
          return Decimal.of(index[k]!.close);
        };
        let units = Decimal.of(startRow?.value ?? '0').div(baseClose, UNITS_DP);
        for (const d of days) {
          const close = at(d.day);
          if (!close.isZero()) units = units.plus(Decimal.of(d.flow).div(close, UNITS_DP));
          rebased.set(d.day, units.times(close).toFixed(2));
        }
        benchmark = {
          ticker: 'IMOEX',
          change: at(to).minus(baseClose).times(Decimal.int(100)).div(baseClose, 2).toFixed(2),
          value: rebased.get(to) ?? '0.00',
        };
      }
      const step = Math.max(1, Math.ceil(days.length / MAX_POINTS));
      const points = days
        .filter((_, i) => i % step === 0 || i === days.length - 1)
        .map((d) => ({
          day: d.day,
          value: Decimal.of(d.value).toFixed(2),
          netInvested: Decimal.of(d.netInvested).toFixed(2),
          benchmark: rebased.get(d.day) ?? null,
        }));

      const flowSum = days.reduce((s, d) => s.plus(Decimal.of(d.flow)), Decimal.ZERO);
      const endValue = last === undefined ? Decimal.ZERO : Decimal.of(last.value);
      const totals = {
        startValue: Decimal.of(startRow?.value ?? '0').toFixed(2),
        endValue: endValue.toFixed(2),
        flows: flowSum.toFixed(2),
        netInvested: last === undefined ? '0.00' : Decimal.of(last.netInvested).toFixed(2),
        /** What the period earned: end − start − flows. */
        gain: endValue
          .minus(Decimal.of(startRow?.value ?? '0'))
          .minus(flowSum)
          .toFixed(2),
        missing: last?.missing ?? 0,
      };

      const byPortfolio = [];
      if (withOps.length > 1 && query.detail !== false)
        for (const d of withOps) {
          const own = withLiveValue(
            await q.seriesRows(db, userId, [d.portfolio.id], addDays(from, -1), to),
            today,
            live,
            [d.portfolio.id],
          );
          const s = own[0]?.day === addDays(from, -1) ? Number(own[0].value) : 0;
          const period = own.filter((r) => r.day >= from);
          byPortfolio.push({
            portfolioId: d.portfolio.id,
            name: d.portfolio.name,
            value: period.at(-1)?.value === undefined ? '0.00' : Decimal.of(period.at(-1)!.value).toFixed(2),
            returns: returnFigures(s, period, from, to),
          });
        }

      const positions = [];
      if (query.detail !== false) {
        // Per position: its own value and flows over the period (no cash, income paid out).
        const currencies = new Set<string>([base]);
        for (const d of withOps) for (const c of d.currencies) currencies.add(c);
        // From the day before the period: a position's start value is that day's close at its rate.
        const tables = await fx.tables(userId, [...currencies], addDays(from, -1), to);
        const rate = rateFn(tables, base);
        for (const d of withOps) {
          const [instrumentCloses, handPrices] = await Promise.all([
            q.closesFrom(db, d.instrumentUids, addDays(from, -1)),
            q.manualPricesFrom(db, userId, d.manualIds, addDays(from, -1)),
          ]);
          const closes = closesByKey(instrumentCloses, handPrices);
          const byAsset = new Map<string, SeriesOperation[]>();
          for (const o of d.series)
            if (o.assetKey !== null) {
              const list = byAsset.get(o.assetKey);
              if (list === undefined) byAsset.set(o.assetKey, [o]);
              else list.push(o);
            }
          for (const [key, meta] of d.assets) {
            const ops = byAsset.get(key)!;
            if (ops[0]!.date > to) continue;
            const s = buildSeries({
              from: addDays(from, -1),
              to,
              operations: ops,
              assets: d.assets,
              closes,
              rate,
              cashTracking: false,
              netInvestedBefore: '0',
            });
            const start = Number(s[0]!.value);
            const liveValue = to === today ? live?.position(d.portfolio.id, key) : undefined;
            const period =
              liveValue === undefined ? s.slice(1) : [...s.slice(1, -1), { ...s.at(-1)!, value: liveValue }];
            const end = period.at(-1)!;
            if (start === 0 && period.every((p) => p.flow === '0.00' && p.value === '0.00')) continue;
            positions.push({
              portfolioId: d.portfolio.id,
              key,
              ticker: meta.ticker,
              name: meta.name,
              value: end.value,
              gain: Decimal.of(end.value)
                .minus(Decimal.of(s[0]!.value))
                .minus(
                  period.reduce((x, p) => (p.flow === '0.00' ? x : x.plus(Decimal.of(p.flow))), Decimal.ZERO),
                )
                .toFixed(2),
              returns: returnFigures(start, period, from, to),
            });
          }
        }
      }
      positions.sort((a, b) => Number(b.value) - Number(a.value));
      return {
        baseCurrency: base,
        today,
        from,
        to,
        points,
        totals,
        returns: returnFigures(startValue, days, from, to),
        benchmark,
        byPortfolio,
        positions,
        portfolios: portfolioList,
      };
    },

    async income(userId: string, portfolioId: string | undefined): Promise<IncomeDto> {
      return incomeOf({ db, fx, portfolios }, userId, await prepare(userId, portfolioId));
    },

    async tax(userId: string): Promise<TaxDto> {
      return taxOf(fx, userId, await prepare(userId, undefined));
    },

    async setIis(userId: string, portfolioId: string, iisType: 'A' | 'B' | 'III' | null) {
      if (!(await q.setIisType(db, userId, portfolioId, iisType))) throw notFound('Portfolio');
      return { portfolioId, iisType };
    },
  };
}

export type ResultsService = ReturnType<typeof createResultsService>;
