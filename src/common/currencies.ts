// ISO 4217 currency codes: the ones the runtime knows (active currencies) and the precious metals
// and units the standard lists under X (XAU gold, XAG silver, XPT platinum, XPD palladium, XDR).
const EXTRA = ['XAU', 'XAG', 'XPT', 'XPD', 'XDR'];

let known: Set<string> | undefined;

/** Whether `code` is an ISO 4217 currency code ("RUB", "USD"); "ABC" is not. */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  known ??= new Set([...Intl.supportedValuesOf('currency'), ...EXTRA]);
  return known.has(code);
}
