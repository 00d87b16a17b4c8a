import { addDays, dayInZone } from '../../../common/dates.js';
import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import type { Db } from '../../platform/db.js';
import type { Budget } from '../budget/budget.js';
import { rateOn } from '../fx/fx-core.js';
import type { FxService } from '../fx/fx.service.js';
import type { Market } from '../market/market.js';
import type { CreditBlocksService } from '../obligations/credit-blocks.service.js';
import type { ResultsService } from '../results/results.service.js';
import type { HistoryChangedHook } from './history-changed.js';
import { netWorthDays, sample, stepFor, type NetWorthDay } from './net-worth-days.js';
import * as q from './networth.queries.js';
import type { HistoryRange, NetWorthHistoryDto } from './networth.schemas.js';

/** Days a range reaches back, today included; ALL starts on the first day of the data. */
const RANGE_DAYS: Record<Exclude<HistoryRange, 'ALL'>, number> = {
  '1M': 30,
  '6M': 182,
  '1Y': 365,
  '5Y': 1826,
};
/** Before any data: the portfolios' series is asked for from here. */
const EARLIEST = '1900-01-01';

export interface NetWorthHistoryDeps {
  db: Db;
  accounts: Pick<Budget['accounts'], 'balanceChanges' | 'firstTransactionDay'>;
  creditBlocks: Pick<CreditBlocksService, 'debtChanges'>;
  results: Pick<ResultsService, 'dailyValues'>;
  market: Pick<Market, 'access'>;
  fx: Pick<FxService, 'tables'>;
  now: () => Date;
}

/**
 * The daily net-worth series, kept per user and day and recomputed from the earliest day that is
 * missing, was computed in another base currency, lacked a rate, or whose portfolio value the
 * portfolio series now gives differently. Writes of transactions, accounts, credits and own rates
 * forget the days from theirs on (`forgetFrom`).
 */
export function createNetWorthHistory({
  db,
  accounts,
  creditBlocks,
  results,
  market,
  fx,
  now,
}: NetWorthHistoryDeps) {
  /** The days of the range (from the first day of the data at most), computed and stored where needed. */
  async function series(
    userId: string,
    range: HistoryRange,
  ): Promise<{ base: string; today: string; days: NetWorthDay[] }> {
    const [seen, ctx] = await Promise.all([q.version(db, userId), market.access.context(userId)]);
    const base = ctx.baseCurrency;
    const today = dayInZone(now(), ctx.timeZone);
    const [firstTransaction, debtChanges, portfolioRows] = await Promise.all([
      accounts.firstTransactionDay(userId),
      creditBlocks.debtChanges(userId),
      results.dailyValues(userId, EARLIEST, today),
    ]);
    const portfolio = new Map(portfolioRows.map((r) => [r.day, toFixed(dec(r.value))]));
    let first = today;
    for (const d of [firstTransaction, portfolioRows[0]?.day, ...debtChanges.map((c) => c.day)])
      if (d !== undefined && d !== null && d < first) first = d;
    const shown =
      range === 'ALL' || first > addDays(today, 1 - RANGE_DAYS[range])
        ? first
        : addDays(today, 1 - RANGE_DAYS[range]);
    // The range's stored days are read beside the search for the first stale one: one wait, not two.
    const [from, stored] = await Promise.all([
      q.firstStale(db, userId, first, base, portfolio),
      q.storedDays(db, userId, shown, today),
    ]);
    const kept = stored.filter((d) => d.day < from);
    if (from > today) return { base, today, days: kept };

    const balances = await accounts.balanceChanges(userId, from, today);
    const currencies = new Set([base, ...balances.before.map((b) => b.currency)]);
    for (const c of [...balances.days, ...debtChanges]) currencies.add(c.currency);
    const tables = await fx.tables(userId, currencies, from, today);
    const computed = netWorthDays({
      from,
      to: today,
      base,
      balancesBefore: balances.before,
      balanceChanges: balances.days,
      debtChanges,
      portfolio,
      rate: (currency, day) => rateOn(tables, currency, base, day),
    });
    await q.saveDays(db, userId, seen, first, from, base, computed);
    return { base, today, days: [...kept, ...computed.filter((d) => d.day >= shown)] };
  }

  return {
    async history(userId: string, range: HistoryRange): Promise<NetWorthHistoryDto> {
      const { base, today, days: inRange } = await series(userId, range);
      const from = inRange[0]?.day ?? today;
      const step = stepFor(from, today);
      return {
        baseCurrency: base,
        range,
        from,
        to: today,
        step,
        points: sample(inRange, step).map((d) => ({
          day: d.day,
          assets: d.assets,
          liabilities: d.liabilities,
          netWorth: d.netWorth,
        })),
        missingRates: [...new Set(inRange.flatMap((d) => d.missingRates))].sort(),
      };
    },

    /** A write's hook: the history from `from` on (all of it with null) is computed again. */
    changed: ((tx, userId, from) => q.forgetFrom(tx, userId, from)) satisfies HistoryChangedHook,
  };
}

export type NetWorthHistory = ReturnType<typeof createNetWorthHistory>;
