// The value formats that both the API (its request schemas) and the pages (before sending) check,
// one rule each, so a page says exactly what the server would answer.
import { isCurrencyCode } from './currencies.js';
import { isCalendarDate, isMonth } from './dates.js';
import { isDecimal } from './money.js';

/** Days a request may name: a typo like 1900 or 2100 is refused, not stored. */
const DATE_WINDOW = { from: '1970-01-01', to: '2100-12-31' } as const;
const inWindow = (day: string) => day >= DATE_WINDOW.from && day <= DATE_WINDOW.to;

export const FORMATS = {
  /** A real calendar day from 1970-01-01 to 2100-12-31. */
  date: (s: string) => isCalendarDate(s) && inWindow(s),
  /** A month from 1970-01 to 2100-12. */
  month: (s: string) => isMonth(s) && inWindow(`${s}-01`),
  /** An ISO 4217 currency code, upper case. */
  currency: isCurrencyCode,
  /** An amount of money: a decimal string with up to 2 places and 15 digits before the point. */
  money: (s: string) => isDecimal(s, 2),
  /** A price, quantity or rate: a decimal string with up to 9 places and 15 digits before the point. */
  decimal: (s: string) => isDecimal(s, 9),
} satisfies Record<string, (s: string) => boolean>;

export type CheckedFormat = keyof typeof FORMATS;

/** What the API answers for a value that is not in its format (as in a 422's field), else null. */
export function formatProblem(
  format: CheckedFormat,
  value: string,
): { code: 'FORMAT'; params: { format: CheckedFormat } } | null {
  return FORMATS[format](value) ? null : { code: 'FORMAT', params: { format } };
}
