import { addDays } from '../../../common/dates.js';
import { Decimal } from '../../../common/decimal.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { rateOn } from '../fx/fx-core.js';
import type { FxService } from '../fx/fx.service.js';
import type { PortfolioCalendar } from '../investments/portfolio-calendar.service.js';
import type { OperationType } from '../investments/valuation.js';
import { keyOf, rateFn, type OpRow, type Prepared } from './loaded.js';
import * as q from './results.queries.js';
import type { IncomeDto } from './results.schemas.js';

const INCOME_TYPES = new Set<OperationType>(['dividend', 'coupon']);

interface IncomeDeps {
  db: Db;
  fx: FxService;
  portfolios: Pick<PortfolioCalendar, 'calendar'>;
}

/**
 * Dividends and coupons received per month and year (gross, tax withheld, net) in the base
 * currency, yield on cost over twelve months, and the next twelve months from the calendar.
 */
export async function incomeOf(
  { db, fx, portfolios }: IncomeDeps,
  userId: string,
  { ctx, today, loaded }: Prepared,
): Promise<IncomeDto> {
  const base = ctx.baseCurrency;
  const currencies = new Set<string>([base]);
  for (const d of loaded) for (const c of d.currencies) currencies.add(c);
  const first = loaded.flatMap((d) => d.ops.map((o) => o.date)).sort()[0] ?? today;
  const tables = await fx.tables(userId, [...currencies], first, today);
  const rate = rateFn(tables, base);
  const toBase = (o: OpRow): Decimal | null => {
    if (o.fxRate !== null && o.fxBase === base)
      return Decimal.of(o.amount).times(Decimal.of(o.fxRate)).round(2);
    const r = rate(o.currency, o.date);
    return r === null ? null : Decimal.of(o.amount).times(r).round(2);
  };
  type Acc = { dividends: Decimal; coupons: Decimal; tax: Decimal };
  const months = new Map<string, Acc>();
  let missing = 0;
  const acc = (m: string) => {
    let a = months.get(m);
    if (a === undefined) {
      a = { dividends: Decimal.ZERO, coupons: Decimal.ZERO, tax: Decimal.ZERO };
      months.set(m, a);
    }
    return a;
  };
  const yearAgo = addDays(today, -365);
  let last12 = Decimal.ZERO;
  const held = new Map<string, Decimal>();
  for (const d of loaded)
    for (const o of d.ops) {
      const key = keyOf(o);
      const type = o.type as OperationType;
      if (key !== null && d.assets.get(key) !== undefined) {
        const qty = Decimal.of(o.quantity);
        const h = held.get(key) ?? Decimal.ZERO;
        if (type === 'buy' || type === 'transfer_in') held.set(key, h.plus(qty));
        else if (type === 'sell' || type === 'transfer_out' || type === 'bond_redemption')
          held.set(key, h.minus(qty));
        else if (type === 'split') held.set(key, h.times(qty));
      }
      const isIncome = INCOME_TYPES.has(type);
      const isWithheld = type === 'tax' && key !== null;
      if (!isIncome && !isWithheld) continue;
      const amount = toBase(o);
      if (amount === null) {
        missing++;
        continue;
      }
      const a = acc(o.date.slice(0, 7));
      if (type === 'dividend') a.dividends = a.dividends.plus(amount);
      else if (type === 'coupon') a.coupons = a.coupons.plus(amount);
      else a.tax = a.tax.plus(amount);
      if (isIncome && o.date > yearAgo) last12 = last12.plus(amount);
    }
  const line = (period: string, a: Acc) => {
    const gross = a.dividends.plus(a.coupons);
    return {
      period,
      dividends: a.dividends.toFixed(2),
      coupons: a.coupons.toFixed(2),
      gross: gross.toFixed(2),
      tax: a.tax.toFixed(2),
      net: gross.minus(a.tax).toFixed(2),
    };
  };
  const monthList = [...months].sort((a, b) => a[0].localeCompare(b[0]));
  const years = new Map<string, Acc>();
  for (const [m, a] of monthList) {
    const y = years.get(m.slice(0, 4)) ?? {
      dividends: Decimal.ZERO,
      coupons: Decimal.ZERO,
      tax: Decimal.ZERO,
    };
    years.set(m.slice(0, 4), {
      dividends: y.dividends.plus(a.dividends),
      coupons: y.coupons.plus(a.coupons),
      tax: y.tax.plus(a.tax),
    });
  }
  const cost = Decimal.of(
    await q.heldCost(
      db,
      userId,
      loaded.map((d) => d.portfolio.id),
    ),
  );

  // Expected: the calendar's announced payments × what these portfolios hold now.
  let expected: IncomeDto['expected'] = null;
  let expectedProblem: string | null = null;
  try {
    const cal = await portfolios.calendar(userId, { from: addDays(today, 1), to: addDays(today, 365) });
    const todayTables = await fx.tables(
      userId,
      [...new Set(cal.events.map((e) => e.currency)), base],
      today,
      today,
    );
    let total = Decimal.ZERO;
    const byMonth = new Map<string, Decimal>();
    let unknown = 0;
    for (const e of cal.events) {
      if (e.type !== 'coupon' && e.type !== 'dividend') continue;
      const qty = held.get(e.instrumentUid);
      if (qty === undefined || qty.cmp(Decimal.ZERO) <= 0) continue;
      const r = rateOn(todayTables, e.currency, base, today);
      if (e.perPiece === null || r === null) {
        unknown++;
        continue;
      }
      const amount = qty.times(Decimal.of(e.perPiece)).round(2).times(Decimal.of(r.rate)).round(2);
      total = total.plus(amount);
      const m = e.date.slice(0, 7);
      byMonth.set(m, (byMonth.get(m) ?? Decimal.ZERO).plus(amount));
    }
    expected = {
      total: total.toFixed(2),
      unknown,
      months: [...byMonth]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([period, v]) => ({ period, amount: v.toFixed(2) })),
    };
    if (cal.marketData.error !== null) expectedProblem = cal.marketData.error.code;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    expectedProblem = err.code;
  }
  return {
    baseCurrency: base,
    months: monthList.map(([m, a]) => line(m, a)),
    years: [...years].map(([y, a]) => line(y, a)),
    last12Months: last12.toFixed(2),
    cost: cost.toFixed(2),
    yieldOnCost: cost.cmp(Decimal.ZERO) > 0 ? last12.times(Decimal.int(100)).div(cost, 2).toFixed(2) : null,
    expected,
    expectedProblem,
    missingRates: missing,
  };
}
