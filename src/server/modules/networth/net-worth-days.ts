/**
 * The net worth of each day, pure: account balances and credit debt per currency, each converted at
 * that day's rate and rounded half-up to the kopeck per currency line (as the overview does for
 * today), plus the portfolios' value the portfolio series gives in the base currency. A currency
 * with money that day but no rate leaves that side (and the net worth) without a figure: never 1.
 */
import { addDays, daysBetween } from '../../../common/dates.js';
import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import type { Rate } from '../fx/fx-core.js';

export interface DayChange {
  currency: string;
  day: string;
  amount: string;
}

export interface NetWorthDay {
  day: string;
  assets: string | null;
  liabilities: string | null;
  netWorth: string | null;
  portfolio: string;
  missingRates: string[];
}

export interface NetWorthDaysInput {
  from: string;
  to: string;
  base: string;
  /** Account balances per currency at the end of the day before `from`. */
  balancesBefore: readonly { currency: string; amount: string }[];
  /** Changes of account balances on days of [from, to], ascending by day. */
  balanceChanges: readonly DayChange[];
  /** Every change of credit debt, any order: those before `from` make the debt it starts with. */
  debtChanges: readonly DayChange[];
  /** The portfolios' value per day in the base currency; a day not given is 0. */
  portfolio: ReadonlyMap<string, string>;
  rate: (currency: string, day: string) => Rate | null;
}

function add(map: Map<string, Decimal>, currency: string, amount: string): void {
  map.set(currency, (map.get(currency) ?? dec(0)).plus(amount));
}

/** Σ of each currency's amount at the day's rate, rounded per line; null when a rate is missing. */
function converted(
  totals: Map<string, Decimal>,
  day: string,
  rate: NetWorthDaysInput['rate'],
  missing: Set<string>,
): Decimal | null {
  let sum = dec(0);
  let complete = true;
  for (const [currency, amount] of totals) {
    if (amount.eq(0)) continue;
    const r = rate(currency, day);
    if (r === null) {
      missing.add(currency);
      complete = false;
    } else sum = sum.plus(toFixed(amount.times(r.rate)));
  }
  return complete ? sum : null;
}

export function netWorthDays(input: NetWorthDaysInput): NetWorthDay[] {
  const balances = new Map<string, Decimal>();
  for (const b of input.balancesBefore) add(balances, b.currency, b.amount);
  const debt = new Map<string, Decimal>();
  const debtChanges = [...input.debtChanges].sort((a, b) => a.day.localeCompare(b.day));
  let d = 0;
  for (; d < debtChanges.length && debtChanges[d]!.day < input.from; d++)
    add(debt, debtChanges[d]!.currency, debtChanges[d]!.amount);
  let b = 0;
  const out: NetWorthDay[] = [];
  for (let day = input.from; day <= input.to; day = addDays(day, 1)) {
    for (; b < input.balanceChanges.length && input.balanceChanges[b]!.day <= day; b++)
      add(balances, input.balanceChanges[b]!.currency, input.balanceChanges[b]!.amount);
    for (; d < debtChanges.length && debtChanges[d]!.day <= day; d++)
      add(debt, debtChanges[d]!.currency, debtChanges[d]!.amount);
    const missing = new Set<string>();
    const portfolio = input.portfolio.get(day) ?? '0.00';
    const accounts = converted(balances, day, input.rate, missing);
    const credits = converted(debt, day, input.rate, missing);
    const assets = accounts === null ? null : accounts.plus(portfolio);
    out.push({
      day,
      assets: assets === null ? null : toFixed(assets),
      liabilities: credits === null ? null : toFixed(credits),
      netWorth: assets === null || credits === null ? null : toFixed(assets.minus(credits)),
      portfolio: toFixed(dec(portfolio)),
      missingRates: [...missing].sort(),
    });
  }
  return out;
}

export type Step = 'day' | 'week' | 'month';

/** Daily points up to a year, weekly up to five years, monthly beyond. */
export function stepFor(from: string, to: string): Step {
  const days = daysBetween(from, to) + 1;
  return days <= 366 ? 'day' : days <= 5 * 366 ? 'week' : 'month';
}

/** The last day of each week (counted back from the last day) or month, and the last day itself. */
export function sample<T extends { day: string }>(days: readonly T[], step: Step): T[] {
  if (step === 'day' || days.length === 0) return [...days];
  const last = days.at(-1)!.day;
  const bucket = (day: string) =>
    step === 'week' ? String(Math.floor(daysBetween(day, last) / 7)) : day.slice(0, 7);
  return days.filter((x, i) => i === days.length - 1 || bucket(days[i + 1]!.day) !== bucket(x.day));
}
