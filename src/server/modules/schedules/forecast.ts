/**
 * The balance forecast: every account's balance at the end of each day from today on, and the total
 * in the base currency. Pure; amounts are exact decimals.
 */
import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import { addDays, daysBetween } from '../../../common/dates.js';
import { toFixed } from '../../../common/money.js';

export interface ForecastAccount {
  id: string;
  currency: string;
  /** Balance now, all posted transactions included. */
  balance: string;
}

/** An expected movement of money: signed (income positive), on an account or on none (a loan payment). */
export interface ForecastEvent {
  date: string;
  accountId: string | null;
  currency: string;
  amount: Decimal;
  income: boolean;
}

export interface ForecastInput {
  today: string;
  /** Days after today: the series has days + 1 points. */
  days: number;
  baseCurrency: string;
  accounts: ForecastAccount[];
  /** Events before today are still expected (overdue) and count on today. */
  events: ForecastEvent[];
}

export interface Forecast {
  dates: string[];
  accounts: { id: string; balances: string[] }[];
  /** Base-currency accounts plus base-currency events on no account; other currencies are left out. */
  total: string[];
  lowest: { date: string; total: string };
  /** First day after today with an expected base-currency income, if any within the horizon. */
  nextIncome: string | null;
  /** Lowest total from today until the day before the next income (or the horizon's end). */
  freeUntilNextIncome: string;
  /** Currencies of accounts and events not in the total (no conversion is made here). */
  leftOut: string[];
}

export function forecast(input: ForecastInput): Forecast {
  const n = input.days + 1;
  const dates = Array.from({ length: n }, (_, i) => addDays(input.today, i));
  const byAccount = new Map<string, Decimal[]>();
  const unassigned: (Decimal | undefined)[] = new Array<Decimal | undefined>(n);
  const leftOut = new Set<string>();
  let nextIncome: string | null = null;
  for (const a of input.accounts) if (a.currency !== input.baseCurrency) leftOut.add(a.currency);
  const accountIds = new Set(input.accounts.map((a) => a.id));

  for (const e of input.events) {
    const i = Math.max(0, daysBetween(input.today, e.date));
    if (i >= n) continue;
    if (e.accountId !== null && accountIds.has(e.accountId)) {
      let deltas = byAccount.get(e.accountId);
      if (deltas === undefined) byAccount.set(e.accountId, (deltas = new Array<Decimal>(n)));
      deltas[i] = deltas[i] === undefined ? e.amount : deltas[i].plus(e.amount);
    } else if (e.accountId === null) {
      if (e.currency !== input.baseCurrency) {
        leftOut.add(e.currency);
        continue;
      }
      unassigned[i] = unassigned[i] === undefined ? e.amount : unassigned[i].plus(e.amount);
    } else continue;
    if (
      e.income &&
      i > 0 &&
      e.currency === input.baseCurrency &&
      (nextIncome === null || e.date < nextIncome)
    )
      nextIncome = e.date;
  }

  const totals: Decimal[] = new Array<Decimal>(n).fill(dec(0));
  const accounts = input.accounts.map((a) => {
    const deltas = byAccount.get(a.id);
    let running = dec(a.balance);
    let text = toFixed(running);
    const inBase = a.currency === input.baseCurrency;
    const balances = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const d = deltas?.[i];
      if (d !== undefined) {
        running = running.plus(d);
        text = toFixed(running);
      }
      balances[i] = text;
      if (inBase) totals[i] = totals[i]!.plus(running);
    }
    return { id: a.id, balances };
  });
  let carried = dec(0);
  let lowest = 0;
  let free: Decimal | null = null;
  const total = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const u = unassigned[i];
    if (u !== undefined) carried = carried.plus(u);
    const t = totals[i]!.plus(carried);
    totals[i] = t;
    total[i] = toFixed(t);
    if (t.lt(totals[lowest]!)) lowest = i;
    if (nextIncome === null || dates[i]! < nextIncome) free = free === null || t.lt(free) ? t : free;
  }
  return {
    dates,
    accounts,
    total,
    lowest: { date: dates[lowest]!, total: total[lowest]! },
    nextIncome,
    freeUntilNextIncome: toFixed(free ?? dec(0)),
    leftOut: [...leftOut].sort(),
  };
}
