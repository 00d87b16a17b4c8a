import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import { sum, toFixed } from '../../../common/money.js';
import { dayInZone } from '../../../common/dates.js';
import { convert } from '../fx/fx-core.js';
import type { FxService } from '../fx/fx.service.js';
import { addUp, convertFlows, type BaseFlows } from './base-totals.js';
import type { Db } from '../../platform/db.js';
import { validationFailed } from '../../platform/errors.js';
import { accountsInPeriod } from './accounts.queries.js';
import type { AccountKind } from './accounts.schemas.js';
import type { Profile } from './profile.js';
import { daysOf, monthPeriod, monthsEnding, percentOf, resolvePeriod } from './period.js';
import * as q from './summary.queries.js';
import type { Charts, ChartsQuery, MonthSummary, PeriodQuery, YearReport } from './summary.schemas.js';

import {
  ZERO,
  baseSlices,
  currencyOrder,
  labelsOf,
  monthsInBase,
  periodDto,
  slices,
} from './summary-slices.js';

// The unit tests read the slices from here.
export { slices };

export function createSummaryService({
  db,
  profile,
  now,
  fx,
}: {
  db: Db;
  profile: Profile;
  now: () => Date;
  fx: FxService;
}) {
  async function context(userId: string) {
    const user = await profile(userId);
    return { ...user, today: dayInZone(now(), user.timeZone) };
  }

  /** Every income and expense in another currency over [from, toExclusive), converted one by one. */
  async function baseFlows(
    userId: string,
    base: string,
    from: string,
    toExclusive: string,
    lastDay: string,
  ): Promise<BaseFlows & { rateOn: (amount: Decimal, currency: string, day: string) => string | null }> {
    const rows = await q.foreignFlows(db, userId, from, toExclusive, base);
    const currencies = new Set(rows.map((r) => r.currency));
    const tables = await fx.tables(userId, [...currencies, base], from, lastDay);
    return {
      ...convertFlows(rows, tables, base),
      rateOn: (amount, currency, day) => convert(tables, amount, currency, base, day)?.amount ?? null,
    };
  }

  return {
    async month(userId: string, query: PeriodQuery): Promise<MonthSummary> {
      const { baseCurrency, today } = await context(userId);
      const period = resolvePeriod(query, today);
      const [accounts, limits] = await Promise.all([
        accountsInPeriod(db, userId, period),
        period.month === null ? [] : q.limitUse(db, userId, period.from, period.toExclusive, baseCurrency),
      ]);

      // Per currency: income, expense and count over all accounts; the savings flow is what the period
      // changed savings and deposit balances by (moves between two of them cancel out).
      const byCurrency = new Map<
        string,
        { income: Decimal; expense: Decimal; count: number; flow: Decimal }
      >();
      for (const acc of accounts) {
        const savings = acc.kind === 'savings' || acc.kind === 'deposit';
        if (acc.periodFlows === 0 && !(savings && acc.periodLegs > 0)) continue;
        const c = byCurrency.get(acc.currency) ?? {
          income: dec(0),
          expense: dec(0),
          count: 0,
          flow: dec(0),
        };
        c.income = c.income.plus(acc.periodIncome);
        c.expense = c.expense.plus(acc.periodExpense);
        c.count += acc.periodFlows;
        if (savings) c.flow = c.flow.plus(acc.periodDelta);
        byCurrency.set(acc.currency, c);
      }
      const perCurrency = [...byCurrency.entries()]
        .sort(([x], [y]) => currencyOrder(baseCurrency)(x, y))
        .map(([currency, c]) => {
          const net = c.income.minus(c.expense);
          return {
            currency,
            income: toFixed(c.income),
            expense: toFixed(c.expense),
            net: toFixed(net),
            savingsRate: percentOf(net, c.income),
            savingsFlow: toFixed(c.flow),
            transactionCount: c.count,
          };
        });
      const foreign = perCurrency.filter((r) => r.currency !== baseCurrency);
      const inBase = perCurrency.find((r) => r.currency === baseCurrency);
      // Flows of other currencies count at the rate of the period's last day (or today, if sooner).
      const lastDay = period.to < today ? period.to : today;
      const converted =
        foreign.length === 0
          ? null
          : await baseFlows(userId, baseCurrency, period.from, period.toExclusive, lastDay);
      const missing = new Set(converted?.missing ?? []);
      const income = addUp(new Map(), converted?.flows.filter((f) => f.type === 'income') ?? [], () => null);
      const expense = addUp(
        new Map(),
        converted?.flows.filter((f) => f.type === 'expense') ?? [],
        () => null,
      );
      let savingsFlow = dec(inBase?.savingsFlow ?? ZERO);
      for (const r of foreign) {
        if (dec(r.savingsFlow).eq(0)) continue;
        const flow = converted?.rateOn(dec(r.savingsFlow), r.currency, lastDay) ?? null;
        if (flow === null) missing.add(r.currency);
        else savingsFlow = savingsFlow.plus(flow);
      }
      const baseIncome = dec(inBase?.income ?? ZERO).plus(income.get(null) ?? 0);
      const baseExpense = dec(inBase?.expense ?? ZERO).plus(expense.get(null) ?? 0);
      const base =
        missing.size > 0
          ? null
          : {
              currency: baseCurrency,
              income: toFixed(baseIncome),
              expense: toFixed(baseExpense),
              net: toFixed(baseIncome.minus(baseExpense)),
              savingsFlow: toFixed(savingsFlow),
              conversions: converted?.conversions ?? [],
            };
      // Limits count expenses in every currency: the other currencies' converted ones are added.
      const foreignSpent = (categoryId: string) =>
        addUp(
          new Map(),
          converted?.flows.filter(
            (f) => f.type === 'expense' && (f.categoryId === categoryId || f.parentId === categoryId),
          ) ?? [],
          () => null,
        ).get(null) ?? dec(0);

      // Archived accounts are shown only while they still hold money.
      const shown = accounts.filter((acc) => !acc.archived || !dec(acc.balance).eq(0));
      const balanceTotals = new Map<string, Decimal>();
      for (const acc of shown) {
        balanceTotals.set(acc.currency, (balanceTotals.get(acc.currency) ?? dec(0)).plus(acc.balance));
      }

      return {
        period: periodDto(period),
        baseCurrency,
        totals: perCurrency,
        base,
        missingRates: [...missing].sort(),
        accounts: shown.map((acc) => ({
          id: acc.id,
          name: acc.name,
          kind: acc.kind as AccountKind,
          currency: acc.currency,
          archived: acc.archived,
          balance: acc.balance,
        })),
        balances: [...balanceTotals.entries()]
          .sort(([x], [y]) => currencyOrder(baseCurrency)(x, y))
          .map(([currency, total]) => ({ currency, total: toFixed(total) })),
        limits: limits.map((l) => {
          const spent = dec(l.spent).plus(foreignSpent(l.id));
          const limit = dec(l.limit);
          return {
            categoryId: l.id,
            name: l.name,
            color: l.color,
            limit: l.limit,
            spent: toFixed(spent),
            remaining: toFixed(limit.minus(spent)),
            percent: percentOf(spent, limit) ?? '0.0',
            over: spent.gt(limit),
          };
        }),
      };
    },

    async charts(userId: string, query: ChartsQuery): Promise<Charts> {
      const { baseCurrency, today } = await context(userId);
      const period = resolvePeriod(query, today);
      const currency = query.currency ?? baseCurrency;
      const lastMonth = period.to.slice(0, 7);
      const months = monthsEnding(lastMonth, 12);
      const yearFrom = monthPeriod(months[0]!).from;
      const monthsTo = monthPeriod(lastMonth).toExclusive;
      const [flows, allMonths] = await Promise.all([
        q.totalsByCategory(db, userId, period.from, period.toExclusive, true),
        q.totalsByMonth(db, userId, yearFrom, monthsTo),
      ]);
      const byMonth = allMonths.filter((m) => m.currency === currency);
      const categories = labelsOf(flows);
      const ofCurrency = flows.filter((r) => r.currency === currency);
      const byCategory = ofCurrency.filter((r) => r.date === null);
      const income = slices(
        byCategory.filter((r) => r.type === 'income'),
        categories,
      );
      const expense = slices(
        byCategory.filter((r) => r.type === 'expense'),
        categories,
      );
      const dayOf = new Map<string, { income: string; expense: string }>();
      for (const r of ofCurrency) {
        if (r.date === null) continue;
        const day = dayOf.get(r.date) ?? { income: ZERO, expense: ZERO };
        day[r.type] = r.amount;
        dayOf.set(r.date, day);
      }
      const monthOf = new Map(byMonth.map((m) => [m.month, m]));

      // The same series over every currency in the base one.
      const from = period.from < yearFrom ? period.from : yearFrom;
      const lastDay = period.to < today ? period.to : today;
      const hasForeign =
        flows.some((r) => r.currency !== baseCurrency) || allMonths.some((m) => m.currency !== baseCurrency);
      const converted = hasForeign
        ? await baseFlows(userId, baseCurrency, from, monthsTo, lastDay)
        : { flows: [], missing: [], conversions: [] };
      const inPeriod = converted.flows.filter((f) => f.date >= period.from && f.date < period.toExclusive);
      const baseCategories = flows.filter((r) => r.currency === baseCurrency && r.date === null);
      const baseIncome = baseSlices(
        baseCategories.filter((r) => r.type === 'income'),
        inPeriod.filter((f) => f.type === 'income'),
        categories,
      );
      const baseExpense = baseSlices(
        baseCategories.filter((r) => r.type === 'expense'),
        inPeriod.filter((f) => f.type === 'expense'),
        categories,
      );
      const baseDays = {
        income: new Map<string | null, Decimal>(),
        expense: new Map<string | null, Decimal>(),
      };
      for (const r of flows)
        if (r.currency === baseCurrency && r.date !== null) baseDays[r.type].set(r.date, dec(r.amount));
      addUp(
        baseDays.income,
        inPeriod.filter((f) => f.type === 'income'),
        (f) => f.date,
      );
      addUp(
        baseDays.expense,
        inPeriod.filter((f) => f.type === 'expense'),
        (f) => f.date,
      );
      const baseMonths = monthsInBase(converted.flows, allMonths, baseCurrency);
      const sumOr0 = (map: Map<string | null, Decimal>, key: string) => toFixed(map.get(key) ?? dec(0));
      const base =
        converted.missing.length > 0
          ? null
          : {
              currency: baseCurrency,
              byCategory: { income: baseIncome.byCategory, expense: baseExpense.byCategory },
              byGroup: { income: baseIncome.byGroup, expense: baseExpense.byGroup },
              byDay: daysOf(period.from, period.toExclusive).map((date) => ({
                date,
                income: sumOr0(baseDays.income, date),
                expense: sumOr0(baseDays.expense, date),
              })),
              months: months.map((month) => ({
                month,
                income: sumOr0(baseMonths.income, month),
                expense: sumOr0(baseMonths.expense, month),
              })),
              conversions: converted.conversions,
            };
      return {
        period: periodDto(period),
        currency,
        base,
        missingRates: converted.missing,
        currencies: [...new Set(flows.map((r) => r.currency))].sort(currencyOrder(baseCurrency)),
        byCategory: { income: income.byCategory, expense: expense.byCategory },
        byGroup: { income: income.byGroup, expense: expense.byGroup },
        byDay: daysOf(period.from, period.toExclusive).map((date) => ({
          date,
          income: dayOf.get(date)?.income ?? ZERO,
          expense: dayOf.get(date)?.expense ?? ZERO,
        })),
        months: months.map((month) => ({
          month,
          income: monthOf.get(month)?.income ?? ZERO,
          expense: monthOf.get(month)?.expense ?? ZERO,
        })),
      };
    },

    async year(userId: string, requested: number | undefined): Promise<YearReport> {
      const { baseCurrency, today } = await context(userId);
      const year = requested ?? Number(today.slice(0, 4));
      if (!Number.isInteger(year)) throw validationFailed('year', 'FORMAT', 'must be a year');
      const from = `${year}-01-01`;
      const toExclusive = `${year + 1}-01-01`;
      const [byMonth, byCategory] = await Promise.all([
        q.totalsByMonth(db, userId, from, toExclusive),
        q.totalsByCategory(db, userId, from, toExclusive),
      ]);
      const categories = labelsOf(byCategory);
      const months = monthsEnding(`${year}-12`, 12);
      const currencies = [...new Set(byMonth.map((m) => m.currency))].sort(currencyOrder(baseCurrency));

      const lastDay = `${year}-12-31` < today ? `${year}-12-31` : today;
      const converted = currencies.some((c) => c !== baseCurrency)
        ? await baseFlows(userId, baseCurrency, from, toExclusive, lastDay)
        : { flows: [], missing: [], conversions: [] };
      const baseMonths = monthsInBase(converted.flows, byMonth, baseCurrency);
      const baseRows = byCategory.filter((r) => r.currency === baseCurrency);
      const yearIncome = sum([...baseMonths.income.values()]);
      const yearExpense = sum([...baseMonths.expense.values()]);
      const base =
        converted.missing.length > 0
          ? null
          : {
              currency: baseCurrency,
              income: toFixed(yearIncome),
              expense: toFixed(yearExpense),
              net: toFixed(yearIncome.minus(yearExpense)),
              months: months.map((month) => {
                const inc = baseMonths.income.get(month) ?? dec(0);
                const exp = baseMonths.expense.get(month) ?? dec(0);
                return { month, income: toFixed(inc), expense: toFixed(exp), net: toFixed(inc.minus(exp)) };
              }),
              expenseByGroup: baseSlices(
                baseRows.filter((r) => r.type === 'expense'),
                converted.flows.filter((f) => f.type === 'expense'),
                categories,
              ).byGroup,
              incomeByGroup: baseSlices(
                baseRows.filter((r) => r.type === 'income'),
                converted.flows.filter((f) => f.type === 'income'),
                categories,
              ).byGroup,
              conversions: converted.conversions,
            };
      return {
        year,
        baseCurrency,
        base,
        missingRates: converted.missing,
        currencies: currencies.map((currency) => {
          const rows = byMonth.filter((m) => m.currency === currency);
          const inc = sum(rows.map((r) => r.income));
          const exp = sum(rows.map((r) => r.expense));
          const ofCurrency = byCategory.filter((r) => r.currency === currency);
          return {
            currency,
            income: toFixed(inc),
            expense: toFixed(exp),
            net: toFixed(inc.minus(exp)),
            months: months.map((month) => {
              const row = rows.find((r) => r.month === month);
              return {
                month,
                income: row?.income ?? ZERO,
                expense: row?.expense ?? ZERO,
                net: toFixed(dec(row?.income ?? 0).minus(row?.expense ?? 0)),
              };
            }),
            expenseByGroup: slices(
              ofCurrency.filter((r) => r.type === 'expense'),
              categories,
            ).byGroup,
            incomeByGroup: slices(
              ofCurrency.filter((r) => r.type === 'income'),
              categories,
            ).byGroup,
          };
        }),
      };
    },
  };
}

export type SummaryService = ReturnType<typeof createSummaryService>;
