import { addDays } from '../../../common/dates.js';
import { Big } from '../../../common/money.js';
import type { Budget, Profile } from '../budget/budget.js';
import type { FxService } from '../fx/fx.service.js';
import { rateOn } from '../fx/fx-core.js';
import type { ObligationsService } from '../obligations/obligations.service.js';
import type { CreditBlocksService } from '../obligations/credit-blocks.service.js';
import { forecast, type ForecastEvent } from './forecast.js';
import type { ForecastDto, UpcomingDto, UpcomingItem } from './schedules.schemas.js';
import type { SchedulesService } from './schedules.service.js';

/** Coupons, dividends and redemptions of the held instruments (the portfolio calendar). */
export type PortfolioCalendar = (
  userId: string,
  range: { from: string; to: string },
) => Promise<{
  events: {
    date: string;
    type: 'coupon' | 'dividend' | 'maturity' | 'amortization';
    name: string;
    ticker: string;
    currency: string;
    expectedAmount: string | null;
    instrumentUid: string;
  }[];
  marketData: { configured: boolean; error: unknown };
}>;

export interface OutlookDeps {
  schedules: SchedulesService;
  obligations: ObligationsService;
  creditBlocks: CreditBlocksService;
  budget: Budget;
  profile: Profile;
  userToday: (userId: string) => Promise<string>;
  calendar: PortfolioCalendar;
  fx: FxService;
}

/** What is expected next (upcoming) and where the balances go (forecast): every source of expected money together. */
export function createOutlookService(deps: OutlookDeps) {
  const { schedules, obligations, creditBlocks, budget, profile, userToday, calendar, fx } = deps;

  /** Occurrences still to come in [today − lookback, to]: the overdue ones waiting for a confirmation included. */
  async function expectedOccurrences(userId: string, today: string, to: string) {
    const all = await schedules.between(userId, addDays(today, -schedules.overdueLookbackDays), to);
    return all.filter((o) => o.status === 'expected' || o.status === 'overdue');
  }

  return {
    async upcoming(userId: string, days: number): Promise<UpcomingDto> {
      const today = await userToday(userId);
      const to = addDays(today, days);
      const [occurrences, due, credits, investments] = await Promise.all([
        expectedOccurrences(userId, today, to),
        obligations.expected(userId, to),
        creditBlocks.summary(userId, days),
        calendar(userId, { from: today, to }).catch(() => null),
      ]);
      const items: UpcomingItem[] = [
        ...occurrences.map((o) => ({
          date: o.date,
          kind: 'schedule' as const,
          title: o.schedule.title,
          direction:
            o.schedule.type === 'income'
              ? ('in' as const)
              : o.schedule.type === 'expense'
                ? ('out' as const)
                : ('move' as const),
          amount: o.amount,
          currency: o.currency,
          overdue: o.date < today,
          ref: { id: o.scheduleId, nominalDate: o.nominalDate, number: null },
          needsConfirmation: o.schedule.mode === 'confirm',
        })),
        ...due.map((o) => ({
          date: o.date,
          kind: 'obligation' as const,
          title: o.title,
          direction: 'out' as const,
          amount: o.amount,
          currency: o.currency,
          overdue: o.date < today,
          ref: { id: o.id, nominalDate: null, number: null },
          needsConfirmation: false,
        })),
        ...credits.upcoming.map((p) => ({
          date: p.date,
          kind: 'credit' as const,
          title: p.title,
          direction: 'out' as const,
          amount: p.amount,
          currency: p.currency,
          overdue: false,
          ref: { id: p.blockId, nominalDate: null, number: p.number },
          needsConfirmation: false,
        })),
        ...(investments?.events ?? []).map((e) => ({
          date: e.date,
          kind: e.type,
          title: `${e.ticker} ${e.name}`,
          direction: 'in' as const,
          amount: e.expectedAmount,
          currency: e.currency,
          overdue: false,
          ref: { id: e.instrumentUid, nominalDate: null, number: null },
          needsConfirmation: false,
        })),
      ].sort((a, b) => a.date.localeCompare(b.date) || a.title.localeCompare(b.title));
      return {
        today,
        to,
        items,
        overdue: items.filter((i) => i.overdue).length + credits.overduePayments,
        investments:
          investments === null || !investments.marketData.configured || investments.marketData.error !== null
            ? 'unavailable'
            : 'ok',
      };
    },

    async forecast(userId: string, months: number): Promise<ForecastDto> {
      const today = await userToday(userId);
      // Twelve months is a year of days from today: 365 days after it.
      const days = Math.round((months * 365) / 12);
      const to = addDays(today, days);
      const [{ baseCurrency }, accounts, occurrences, due, credits] = await Promise.all([
        profile(userId),
        budget.accounts.list(userId, false),
        expectedOccurrences(userId, today, to),
        obligations.expected(userId, to),
        creditBlocks.summary(userId, days),
      ]);
      const currencyOf = new Map(accounts.map((a) => [a.id, a.currency]));
      const events: ForecastEvent[] = [];
      for (const o of occurrences) {
        const amount = new Big(o.amount);
        const s = o.schedule;
        const currency = currencyOf.get(s.accountId) ?? o.currency;
        const income = s.type === 'income';
        events.push({
          date: o.date,
          accountId: s.accountId,
          currency,
          amount: income ? amount : amount.neg(),
          income,
        });
        if (s.type === 'transfer' && s.toAccountId !== null)
          events.push({ date: o.date, accountId: s.toAccountId, currency, amount, income: false });
      }
      for (const o of due)
        events.push({
          date: o.date,
          accountId: null,
          currency: o.currency,
          amount: new Big(o.amount).neg(),
          income: false,
        });
      for (const p of credits.upcoming)
        events.push({
          date: p.date,
          accountId: null,
          currency: p.currency,
          amount: new Big(p.amount).neg(),
          income: false,
        });
      // Today's rate of every other currency (the user's own, else the Bank of Russia's).
      const others = new Set([...accounts.map((a) => a.currency), ...events.map((e) => e.currency)]);
      others.delete(baseCurrency);
      const tables = await fx.tables(userId, [...others, baseCurrency], today, today);
      const rates: ForecastDto['rates'] = {};
      for (const currency of others) {
        const rate = rateOn(tables, currency, baseCurrency, today);
        if (rate !== null) rates[currency] = rate;
      }
      const result = forecast({
        today,
        days,
        baseCurrency,
        rates: new Map(Object.entries(rates).map(([c, r]) => [c, r.rate])),
        accounts: accounts.map((a) => ({ id: a.id, currency: a.currency, balance: a.balance })),
        events,
      });
      return {
        today,
        baseCurrency,
        rates,
        ...result,
        accounts: result.accounts.map((a, i) => ({
          id: a.id,
          name: accounts[i]!.name,
          currency: accounts[i]!.currency,
          balances: a.balances,
        })),
      };
    },
  };
}

export type OutlookService = ReturnType<typeof createOutlookService>;
