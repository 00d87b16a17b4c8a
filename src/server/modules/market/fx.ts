import { addDays } from '../../../common/dates.js';
import { perUnit, type FxTables } from '../fx/fx-core.js';
import type { Market } from './market.js';
import type { MarketAccess } from './market-access.service.js';
import type { QuoteSet } from './quotes.service.js';

/**
 * The market provider's rates of `currencies` (roubles per unit: the last price of the currency's
 * exchange instrument, its previous close for the day before), fetched in one batched quote request
 * together with `alsoQuote` so a caller valuing instruments pays for one provider call, not two.
 */
export async function marketRates(
  market: Pick<Market, 'catalogue' | 'prices'>,
  currencies: Iterable<string>,
  access: MarketAccess,
  today: string,
  alsoQuote: readonly string[] = [],
): Promise<{ rates: FxTables['market']; quotes: QuoteSet }> {
  const instruments = await market.catalogue.currencyInstruments(
    [...new Set(currencies)].filter((c) => c !== 'RUB'),
  );
  const quotes = await market.prices.quotes(
    [...alsoQuote, ...[...instruments.values()].map((i) => i.uid)],
    access,
  );
  const rates = new Map<
    string,
    { day: string; rate: string; prevDay: string | null; prevRate: string | null }
  >();
  for (const [iso, instrument] of instruments) {
    const quote = quotes.prices.get(instrument.uid);
    if (quote === undefined) continue;
    const nominal = Number(instrument.nominal ?? '1') || 1;
    rates.set(iso, {
      day: today,
      rate: perUnit(quote.price, nominal),
      prevDay: quote.prevClose === null ? null : addDays(today, -1),
      prevRate: quote.prevClose === null ? null : perUnit(quote.prevClose, nominal),
    });
  }
  return { rates, quotes };
}
