import { dec } from '../../common/decimal.js';
import { getLocale } from './i18n.js';

// The one place where amounts become text. Amounts arrive as decimal strings and are shown
// without passing through a float: the integer and fraction parts are formatted separately.

/** The page language's Intl locale: every number and date on the page, charts' axes included. */
export const intlLocale = () => (getLocale() === 'ru' ? 'ru-RU' : 'en-US');

function splitDecimal(amount: string): { negative: boolean; int: string; frac: string } {
  const negative = amount.startsWith('-');
  const [int = '0', frac = ''] = (negative ? amount.slice(1) : amount).split('.');
  return { negative, int, frac };
}

function groupInteger(int: string): string {
  // BigInt keeps every digit of large amounts; Intl groups them per locale.
  return new Intl.NumberFormat(intlLocale()).format(BigInt(int || '0'));
}

function decimalSeparator(): string {
  return getLocale() === 'ru' ? ',' : '.';
}

/** A number string like `1 234 567,89` (ru) or `1,234,567.89` (en), with `digits` fraction digits. */
export function formatNumber(value: string, digits = 2): string {
  const { negative, int, frac } = splitDecimal(dec(value).toFixed(digits));
  const sign = negative && /[1-9]/.test(int + frac) ? '−' : '';
  return `${sign}${groupInteger(int)}${digits > 0 ? decimalSeparator() + frac.padEnd(digits, '0') : ''}`;
}

/** Money as people read it: `1 234 567,89 ₽` in Russian, `₽1,234,567.89` in English. */
export function formatMoney(amount: string | null | undefined, currency = 'RUB', digits = 2): string {
  if (amount === null || amount === undefined) return '—';
  const symbol = currencySymbol(currency);
  const { negative } = splitDecimal(amount);
  const body = formatNumber(negative ? amount.slice(1) : amount, digits);
  const sign = negative && /[1-9]/.test(body) ? '−' : '';
  // A no-break space: the symbol never wraps onto a line of its own.
  return getLocale() === 'ru' ? `${sign}${body}\u00a0${symbol}` : `${sign}${symbol}${body}`;
}

/** Signed money for changes: `+1 234,00 ₽` / `−12,00 ₽`. */
export function formatSignedMoney(amount: string, currency = 'RUB'): string {
  const text = formatMoney(amount, currency);
  return amount.startsWith('-') || /^0(\.0*)?$/.test(amount) ? text : `+${text}`;
}

export function currencySymbol(currency: string): string {
  try {
    const parts = new Intl.NumberFormat(intlLocale(), {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
    }).formatToParts(0);
    return parts.find((p) => p.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

/** `12.3456` → `12,35 %` (ru, the sign never wrapped onto a line of its own) or `12.35%` (en). */
export function formatPercent(value: string | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  return `${formatNumber(value, digits)}${getLocale() === 'en' ? '' : '\u00a0'}%`;
}

/** A calendar day `YYYY-MM-DD` as `31.01.2026` (ru) or `Jan 31, 2026` (en). */
export function formatDate(
  day: string,
  options: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' },
): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const opts =
    getLocale() === 'en' && options.month === '2-digit'
      ? ({ day: 'numeric', month: 'short', year: 'numeric' } as const)
      : options;
  return new Intl.DateTimeFormat(intlLocale(), { ...opts, timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/**
 * How long ago an instant was, in words with the language's plural rules ("15 минут назад",
 * "3 days ago"); by whole days ("вчера", "today") for prices that have only a day.
 */
export function formatAge(iso: string, byDay = false, now = Date.now()): string {
  const rtf = new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto' });
  const ms = now - Date.parse(iso);
  if (byDay) return rtf.format(-Math.max(0, Math.floor(ms / 86_400_000)), 'day');
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  if (minutes < 48 * 60) return rtf.format(-Math.round(minutes / 60), 'hour');
  return rtf.format(-Math.round(minutes / 1440), 'day');
}

/** `2026-01` as `январь 2026` / `January 2026`. */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

/** An instant as local date and time: `03.12.2026, 19:01` (ru) or `Dec 3, 2026, 7:01 PM` (en, as its days). */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(intlLocale(), {
    dateStyle: getLocale() === 'en' ? 'medium' : 'short',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** A decimal string as a float, for chart axes only — never for arithmetic on money. */
export function toChartNumber(value: string): number {
  return Number(value);
}

/**
 * Amounts in several currencies, never added up: the base currency's as the main line (else the
 * first amount that is not zero), the other non-zero ones as a second line.
 */
export function moneyLines(
  items: { currency: string; amount: string }[],
  base: string,
): { main: string; rest?: string } {
  const nonZero = (i: { amount: string }) => /[1-9]/.test(i.amount);
  const main =
    items.find((i) => i.currency === base && nonZero(i)) ??
    items.find(nonZero) ??
    items.find((i) => i.currency === base);
  if (!main) return { main: formatMoney('0.00', base) };
  const rest = items.filter((i) => i !== main && nonZero(i)).map((i) => formatMoney(i.amount, i.currency));
  return {
    main: formatMoney(main.amount, main.currency),
    rest: rest.length > 0 ? rest.join(' · ') : undefined,
  };
}
