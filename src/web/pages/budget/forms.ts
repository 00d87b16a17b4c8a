import { formatMoney } from '../../lib/format.js';

/** A decimal string the other way round, for editing: "1234.50" → "1234,50" in Russian. */
export function toInput(amount: string, locale: 'ru' | 'en'): string {
  return locale === 'ru' ? amount.replace('.', ',') : amount;
}

/**
 * Amounts in several currencies are never added up: the base currency first (or the first one),
 * the others as a second line.
 */
export function moneyLines(
  items: { currency: string; amount: string }[],
  base: string,
): { main: string; rest?: string } {
  const main = items.find((i) => i.currency === base) ?? items[0];
  if (!main) return { main: formatMoney('0.00', base) };
  const rest = items
    .filter((i) => i !== main && /[1-9]/.test(i.amount))
    .map((i) => formatMoney(i.amount, i.currency));
  return {
    main: formatMoney(main.amount, main.currency),
    rest: rest.length > 0 ? rest.join(' · ') : undefined,
  };
}
