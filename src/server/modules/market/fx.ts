import { Big } from '../../../common/money.js';
import type { MarketAccess, MarketService, QuoteSet } from './market.service.js';

/** Rates between currencies from the exchange's currency instruments (quoted in roubles). */
export interface CurrencyRates {
  /** Units of `base` for one unit of `currency` today; null when no rate is known. */
  rate(currency: string): Big | null;
  /** The same at the previous close, for day changes. */
  prevRate(currency: string): Big | null;
  /** Currencies asked for today without a known rate: shown as missing, never taken as 1. */
  missing(): string[];
  quotes: QuoteSet;
}

/**
 * Rates to `base` for `currencies`, in one batched quote request together with `alsoQuote`
 * (so a caller valuing instruments pays for one provider call, not two).
 */
export async function currencyRates(
  market: MarketService,
  base: string,
  currencies: Iterable<string>,
  access: MarketAccess,
  alsoQuote: readonly string[] = [],
): Promise<CurrencyRates> {
  const wanted = new Set([base, ...currencies]);
  const instruments = await market.currencyInstruments([...wanted].filter((c) => c !== 'RUB'));
  const quotes = await market.quotes([...alsoQuote, ...[...instruments.values()].map((i) => i.uid)], access);

  const rubRate = (iso: string, previous: boolean): Big | null => {
    if (iso === 'RUB') return new Big(1);
    const instrument = instruments.get(iso);
    const quote = instrument === undefined ? undefined : quotes.prices.get(instrument.uid);
    const price = previous ? (quote?.prevClose ?? quote?.price) : quote?.price;
    if (instrument === undefined || price == null) return null;
    return new Big(price).div(instrument.nominal ?? '1');
  };
  const missing = new Set<string>();
  const cross = (currency: string, previous: boolean): Big | null => {
    if (currency === base) return new Big(1);
    const num = rubRate(currency, previous);
    const den = rubRate(base, previous);
    if (num === null || den === null || den.eq(0)) {
      if (!previous) missing.add(currency);
      return null;
    }
    return num.div(den);
  };
  return {
    rate: (c) => cross(c, false),
    prevRate: (c) => cross(c, true),
    missing: () => [...missing].sort(),
    quotes,
  };
}
