import {} from '../../../common/decimal.js';
import { addDays, dayInZone } from '../../../common/dates.js';
import { validationFailed } from '../../platform/errors.js';
import type { Market } from '../market/market.js';
import { upstreamError } from '../market/upstream.js';
import { plain } from './operations.service.js';
import type { PortfolioValuation } from './portfolio-valuation.service.js';

export interface PortfolioCalendarDeps {
  market: Pick<Market, 'access' | 'calendar'>;
  valuation: Pick<PortfolioValuation, 'heldInstruments'>;
  now: () => Date;
}

const CALENDAR_CONCURRENCY = 4;
const CALENDAR_WAIT_MS = 6_000;

/** The calendar of what is held: coupons, dividends, amortisations and redemptions. */
export function createPortfolioCalendar({ market, valuation, now }: PortfolioCalendarDeps) {
  const { heldInstruments } = valuation;
  const service = {
    /** Coupons, dividends and redemptions of what is held now, with the expected amounts. */
    async calendar(userId: string, query: { from?: string; to?: string }) {
      const ctx = await market.access.context(userId);
      const today = dayInZone(now(), ctx.timeZone);
      const from = query.from ?? addDays(today, -30);
      const to = query.to ?? addDays(today, 365);
      if (from > to) throw validationFailed('from', 'AFTER_OTHER', 'must not be after to', { other: 'to' });
      const held = [...(await heldInstruments(userId)).values()];
      const events: {
        date: string;
        type: 'coupon' | 'dividend' | 'amortization' | 'maturity';
        instrumentUid: string;
        ticker: string;
        name: string;
        currency: string;
        perPiece: string | null;
        quantity: string;
        expectedAmount: string | null;
        recordDate: string | null;
        status: string;
      }[] = [];
      const day = (d: Date | null) => (d === null ? null : dayInZone(d, 'Europe/Moscow'));
      let failure = null as { code: string; message: string } | null;

      const jobs = held.filter((h) => ['bond', 'share', 'etf'].includes(h.instrument.kind));
      const work = async ({ instrument, quantity }: (typeof held)[number]) => {
        const base = {
          instrumentUid: instrument.uid,
          ticker: instrument.ticker,
          name: instrument.name,
          quantity: quantity.toFixed(),
        };
        const amount = (per: string | null) =>
          per === null ? null : quantity.times(per).round(2, 'half-up').toFixed(2);
        if (instrument.kind === 'bond') {
          for (const c of await market.calendar.coupons(instrument, ctx.access)) {
            const date = day(c.couponDate);
            if (date === null || date < from || date > to) continue;
            const per = c.amountPerBond?.amount ?? null;
            events.push({
              ...base,
              date,
              type: 'coupon',
              currency: c.amountPerBond?.currency.toUpperCase() ?? instrument.currency,
              perPiece: per,
              expectedAmount: amount(per),
              recordDate: day(c.fixDate),
              status: c.type,
            });
          }
          for (const a of await market.calendar.amortizations(instrument, ctx.access)) {
            const date = day(a.date);
            if (date === null || date < from || date > to) continue;
            events.push({
              ...base,
              date,
              type: 'amortization',
              currency: a.amountPerBond.currency.toUpperCase(),
              perPiece: a.amountPerBond.amount,
              expectedAmount: amount(a.amountPerBond.amount),
              recordDate: null,
              status: 'amortization',
            });
          }
        } else {
          for (const d of await market.calendar.dividends(instrument, ctx.access)) {
            const date = day(d.paymentDate) ?? day(d.recordDate);
            if (date === null || date < from || date > to) continue;
            const per = d.netPerShare?.amount ?? null;
            events.push({
              ...base,
              date,
              type: 'dividend',
              currency: d.netPerShare?.currency.toUpperCase() ?? instrument.currency,
              perPiece: per,
              expectedAmount: amount(per),
              recordDate: day(d.recordDate),
              status: d.dividendType,
            });
          }
        }
      };
      if (ctx.access.configured) {
        const queue = [...jobs];
        const worker = async () => {
          for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
            try {
              await work(job);
            } catch (err) {
              const e = upstreamError(err, 'market');
              failure = { code: e.code, message: e.message };
            }
          }
        };
        const all = Promise.all(Array.from({ length: CALENDAR_CONCURRENCY }, worker));
        const done = await Promise.race([
          all.then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CALENDAR_WAIT_MS).unref()),
        ]);
        if (!done) {
          queue.length = 0;
          failure ??= { code: 'MARKET_DATA_UNAVAILABLE', message: 'T-Invest did not answer in time' };
        }
      }
      for (const { instrument, quantity } of held) {
        if (instrument.kind !== 'bond' || instrument.maturityDate === null) continue;
        if (instrument.maturityDate < from || instrument.maturityDate > to) continue;
        const nominal = instrument.nominal;
        events.push({
          date: instrument.maturityDate,
          type: 'maturity',
          instrumentUid: instrument.uid,
          ticker: instrument.ticker,
          name: instrument.name,
          currency: instrument.nominalCurrency ?? instrument.currency,
          perPiece: nominal === null ? null : plain(nominal),
          quantity: quantity.toFixed(),
          expectedAmount: nominal === null ? null : quantity.times(nominal).round(2, 'half-up').toFixed(2),
          recordDate: null,
          status: 'maturity',
        });
      }
      events.sort((a, b) => a.date.localeCompare(b.date) || a.ticker.localeCompare(b.ticker));
      const status = market.access.status(
        ctx.access,
        failure === null ? undefined : { stale: true, error: failure },
      );
      return { marketData: status, from, to, events };
    },
  };
  return service;
}

export type PortfolioCalendar = ReturnType<typeof createPortfolioCalendar>;
