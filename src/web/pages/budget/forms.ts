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

/** Today in a time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string | undefined): string {
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
  try {
    return new Intl.DateTimeFormat('en-CA', { ...options, timeZone }).format(new Date());
  } catch {
    return new Intl.DateTimeFormat('en-CA', options).format(new Date());
  }
}

export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function monthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}
