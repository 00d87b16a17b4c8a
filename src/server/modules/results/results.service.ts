import type { FastifyBaseLogger } from 'fastify';
import { addDays, dayInZone, daysBetween } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { notFound, validationFailed } from '../../platform/errors.js';
import type { FxService } from '../fx/fx.service.js';
import { Decimal } from '../../../common/decimal.js';
import type { PortfolioCalendar } from '../investments/portfolio-calendar.service.js';
import type { PortfolioOverview } from '../investments/portfolio-overview.service.js';
import type { OperationType } from '../investments/valuation.js';
import type { MarketAccess, UserMarketContext } from '../market/market-access.service.js';
import type { Market } from '../market/market.js';
import type { MarketDataProvider } from '../market/provider.js';
import { moexUid } from '../market/moex/iss-provider.js';
import { incomeOf } from './income.js';
import { keyOf, rateFn, type AssetMeta, type Loaded, type PortfolioRow } from './loaded.js';
import { taxOf } from './tax.js';
import { annualise, cumulativeOf, percentText, twr, xirr, type Flow } from './returns.js';
import { buildSeries, type SeriesOperation } from './series.js';
import * as q from './results.queries.js';
import { liveToday, withLiveValue } from './today.js';
import type { IncomeDto, ResultsDto, ResultsQuery, ReturnFigures, TaxDto } from './results.schemas.js';

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

const EXCHANGE_TZ = 'Europe/Moscow';
const BENCHMARK_UID = moexUid('SNDX', 'IMOEX');
/** Longest span of day candles asked for at once (the market service allows 3 660 days). */
const CANDLE_SPAN_DAYS = 3600;
/** A page waits this long for missing closes; the fetch goes on in the background. */
const CLOSES_WAIT_MS = 8_000;
/** Today's close is asked for again after this long. */
const TODAY_RECHECK_MS = 30 * 60_000;
const FAILED_RETRY_MS = 5 * 60_000;
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

/** Closes and hand prices per asset, ascending by day as the queries give them. */
function byKey(...rows: { key: string; day: string; close: string }[][]) {
  const closes = new Map<string, { day: string; close: string }[]>();
  for (const list of rows)
    for (const r of list) {
      const own = closes.get(r.key);
      if (own === undefined) closes.set(r.key, [{ day: r.day, close: r.close }]);
      else own.push({ day: r.day, close: r.close });
    }
  return closes;
}

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
  const failedCloses = new Map<string, number>();
  const moexAccess: MarketAccess = {
    configured: moex !== undefined,
    source: 'moex',
    token: undefined,
    provider: moex,
  };

  /** Fetches the day candles not stored yet for [from, today] of each instrument and keeps their closes. */
  async function fetchCloses(
    ctx: UserMarketContext,
    need: Map<string, string>,
    today: string,
  ): Promise<void> {
    if (need.size === 0) return;
    const cov = new Map((await q.closeCoverage(db, [...need.keys()])).map((c) => [c.instrument_uid, c]));
    const nowMs = now().getTime();
    for (const [uid, from] of need) {
      if ((failedCloses.get(uid) ?? 0) > nowMs) continue;
      const access = uid === BENCHMARK_UID ? moexAccess : ctx.access;
      if (!access.configured || access.provider === undefined) continue;
      const c = cov.get(uid);
      const gaps: [string, string][] = [];
      if (c === undefined) gaps.push([from, today]);
      else {
        if (from < c.from_day) gaps.push([from, addDays(c.from_day, -1)]);
        if (c.to_day < today || nowMs - Number(c.checked_ms) > TODAY_RECHECK_MS) gaps.push([c.to_day, today]);
      }
      try {
        for (const [gapFrom, gapTo] of gaps) {
          for (let start = gapFrom; start <= gapTo; start = addDays(start, CANDLE_SPAN_DAYS)) {
            const end =
              addDays(start, CANDLE_SPAN_DAYS - 1) < gapTo ? addDays(start, CANDLE_SPAN_DAYS - 1) : gapTo;
            const res = await market.history.candles(
              { ...ctx, access },
              {
                instrumentId: uid,
                interval: 'day',
                from: new Date(`${start}T00:00:00+03:00`).toISOString(),
                to: new Date(`${addDays(end, 1)}T00:00:00+03:00`).toISOString(),
              },
            );
            const byDay = new Map<string, string>();
            for (const candle of res.candles)
              byDay.set(dayInZone(new Date(candle.time), EXCHANGE_TZ), candle.close);
            await q.upsertCloses(
              db,
              uid,
              [...byDay].map(([day, close]) => ({ day, close })),
              ctx.access === access && access.source !== 'moex' ? 'tinvest' : 'moex',
              { from: start, to: end },
            );
          }
        }
      } catch (err) {
        failedCloses.set(uid, nowMs + FAILED_RETRY_MS);
        logger.warn(
          { uid, err: err instanceof Error ? err.message : String(err) },
          'daily closes unavailable',
        );
      }
    }
  }

  /** Waits for the closes a page needs at most CLOSES_WAIT_MS; the rest arrive in the background. */
  async function ensureCloses(
    ctx: UserMarketContext,
    need: Map<string, string>,
    today: string,
  ): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      fetchCloses(ctx, need, today).catch((err: unknown) =>
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'closes fetch failed'),
      ),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSES_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  async function load(userId: string, portfolio: PortfolioRow): Promise<Loaded> {
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

  /**
   * Brings a portfolio's cached daily series up to today: from the earliest day anything it depends
   * on changed (operations, hand prices, closes, official rates), everything when operations or
   * prices were deleted, the user's rates changed or the base currency did.
   */
  async function ensureSeries(
    ctx: UserMarketContext,
    data: Loaded,
    today: string,
  ): Promise<{ recomputedFrom: string | null }> {
    const { portfolio, ops } = data;
    if (ops.length === 0) {
      await q.clearSeries(db, portfolio.id);
      return { recomputedFrom: null };
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
    const closes = byKey(instrumentCloses, handPrices);
    const days = buildSeries({
      from,
      to: today,
      operations: data.series,
      assets: data.assets,
      closes,
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
    return { recomputedFrom: from };
  }

  async function prepare(userId: string, portfolioId: string | undefined) {
    const ctx = await market.access.context(userId);
    const today = dayInZone(now(), ctx.timeZone);
    const all = await q.portfoliosOf(db, userId);
    const selected = portfolioId === undefined ? all : all.filter((p) => p.id === portfolioId);
    if (portfolioId !== undefined && selected.length === 0) throw notFound('Portfolio');
    const loaded = await Promise.all(selected.map((p) => load(userId, p)));
    return { ctx, today, all, loaded };
  }

  async function refreshAll(ctx: UserMarketContext, loaded: Loaded[], today: string, benchmarkFrom?: string) {
    const need = new Map<string, string>();
    for (const d of loaded)
      for (const o of d.ops)
        if (o.instrumentUid !== null) {
          const from = addDays(o.date, -10);
          const had = need.get(o.instrumentUid);
          if (had === undefined || from < had) need.set(o.instrumentUid, from);
        }
    if (benchmarkFrom !== undefined) need.set(BENCHMARK_UID, addDays(benchmarkFrom, -10));
    await ensureCloses(ctx, need, today);
    await Promise.all(loaded.map((d) => ensureSeries(ctx, d, today)));
  }

  function figures(
    startValue: number,
    days: readonly { day: string; value: string; flow: string }[],
    from: string,
    to: string,
  ): ReturnFigures {
    const rows = days.map((d) => ({ day: d.day, value: Number(d.value), flow: Number(d.flow) }));
    const periodDays = daysBetween(addDays(from, -1), to);
    const t = twr(startValue, rows);
    const flows: Flow[] = [];
    if (startValue !== 0) flows.push({ day: from, amount: -startValue });
    for (const r of rows) if (r.flow !== 0) flows.push({ day: r.day, amount: -r.flow });
    const end = rows.at(-1);
    if (end !== undefined && end.value !== 0) flows.push({ day: to, amount: end.value });
    const x = xirr(flows);
    return {
      days: periodDays,
      twr: percentText(t),
      twrAnnualised: percentText(annualise(t, periodDays)),
      xirr: x.ok ? percentText(x.rate) : null,
      xirrCumulative: x.ok ? percentText(cumulativeOf(x.rate, daysBetween(flows[0]!.day, to))) : null,
      xirrProblem: x.ok ? null : x.reason,
    };
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
    ensureSeries,

    /** Loads and brings up to date every portfolio of a user; for the bench and the net worth. */
    async refresh(userId: string): Promise<{ ms: number }> {
      const started = Date.now();
      const { ctx, today, loaded } = await prepare(userId, undefined);
      await refreshAll(ctx, loaded, today);
      return { ms: Date.now() - started };
    },

    /** Daily portfolio values of a user summed over all portfolios (for the net-worth history). */
    async dailyValues(userId: string, from: string, to: string) {
      const { ctx, today, all, loaded } = await prepare(userId, undefined);
      await refreshAll(ctx, loaded, today);
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
        refreshAll(ctx, loaded, today, from),
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
            returns: figures(s, period, from, to),
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
          const closes = byKey(instrumentCloses, handPrices);
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
              returns: figures(start, period, from, to),
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
        returns: figures(startValue, days, from, to),
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
