/**
 * The balance forecast: every account's balance at the end of each day from today on, and the total
 * in the base currency. Pure; amounts are exact decimals. Money in another currency enters the total
 * at today's rate (a forecast cannot know later ones): each account's balance of the day and each
 * payment on no account converted and rounded half-up to the kopeck on its own.
 */
import { addDays, daysBetween } from '../../../common/dates.js';
import { Big, toFixed } from '../../../common/money.js';

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
  amount: Big;
  income: boolean;
}

export interface ForecastInput {
  today: string;
  /** Days after today: the series has days + 1 points. */
  days: number;
  baseCurrency: string;
  /** Units of the base currency for one unit of another currency, today; a currency missing here is left out. */
  rates: ReadonlyMap<string, string>;
  accounts: ForecastAccount[];
  /** Events before today are still expected (overdue) and count on today. */
  events: ForecastEvent[];
}

export interface Forecast {
  dates: string[];
  accounts: { id: string; balances: string[] }[];
  /** Every account plus the events on no account, in the base currency; currencies without a rate are left out. */
  total: string[];
  lowest: { date: string; total: string };
  /** First day after today with an expected income counted in the total, if any within the horizon. */
  nextIncome: string | null;
  /** Lowest total from today until the day before the next income (or the horizon's end). */
  freeUntilNextIncome: string;
  /** Currencies of accounts and events not in the total: no rate to the base currency. */
  leftOut: string[];
}

export function forecast(input: ForecastInput): Forecast {
  const n = input.days + 1;
  const dates = Array.from({ length: n }, (_, i) => addDays(input.today, i));
  const byAccount = new Map<string, Big[]>();
  const unassigned: (Big | undefined)[] = new Array<Big | undefined>(n);
  const leftOut = new Set<string>();
  let nextIncome: string | null = null;
  const rateOf = (currency: string): Big | undefined => {
    if (currency === input.baseCurrency) return undefined;
    const rate = input.rates.get(currency);
    if (rate === undefined) leftOut.add(currency);
    return rate === undefined ? undefined : new Big(rate);
  };
  const counted = (currency: string) => currency === input.baseCurrency || input.rates.has(currency);
  for (const a of input.accounts) rateOf(a.currency);
  const accountIds = new Set(input.accounts.map((a) => a.id));

  for (const e of input.events) {
    const i = Math.max(0, daysBetween(input.today, e.date));
    if (i >= n) continue;
    if (e.accountId !== null && accountIds.has(e.accountId)) {
      let deltas = byAccount.get(e.accountId);
      if (deltas === undefined) byAccount.set(e.accountId, (deltas = new Array<Big>(n)));
      deltas[i] = deltas[i] === undefined ? e.amount : deltas[i].plus(e.amount);
    } else if (e.accountId === null) {
      if (!counted(e.currency)) {
        leftOut.add(e.currency);
        continue;
      }
      const rate = rateOf(e.currency);
      const amount = rate === undefined ? e.amount : new Big(toFixed(e.amount.times(rate)));
      unassigned[i] = unassigned[i] === undefined ? amount : unassigned[i].plus(amount);
    } else continue;
    if (e.income && i > 0 && counted(e.currency) && (nextIncome === null || e.date < nextIncome))
      nextIncome = e.date;
  }

  const totals: Big[] = new Array<Big>(n).fill(new Big(0));
  const accounts = input.accounts.map((a) => {
    const deltas = byAccount.get(a.id);
    let running = new Big(a.balance);
    let text = toFixed(running);
    const inBase = a.currency === input.baseCurrency;
    const rate = rateOf(a.currency);
    let converted = rate === undefined ? running : new Big(toFixed(running.times(rate)));
    const balances = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const d = deltas?.[i];
      if (d !== undefined) {
        running = running.plus(d);
        text = toFixed(running);
        if (rate !== undefined) converted = new Big(toFixed(running.times(rate)));
      }
      balances[i] = text;
      if (inBase) totals[i] = totals[i]!.plus(running);
      else if (rate !== undefined) totals[i] = totals[i]!.plus(converted);
    }
    return { id: a.id, balances };
  });
  let carried = new Big(0);
  let lowest = 0;
  let free: Big | null = null;
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
    freeUntilNextIncome: toFixed(free ?? new Big(0)),
    leftOut: [...leftOut].sort(),
  };
}
