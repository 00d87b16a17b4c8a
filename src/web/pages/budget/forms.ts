/** A decimal string the other way round, for editing: "1234.50" → "1234,50" in Russian. */
export function toInput(amount: string, locale: 'ru' | 'en'): string {
  return locale === 'ru' ? amount.replace('.', ',') : amount;
}
