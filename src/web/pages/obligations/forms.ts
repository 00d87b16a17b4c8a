import { ApiError } from '../../lib/api.js';
import { formatMoney } from '../../lib/format.js';

/** The debt on the day of an early repayment refused for being larger, or undefined. */
export function exceededDebt(err: unknown): string | undefined {
  if (!(err instanceof ApiError) || err.code !== 'EARLY_REPAYMENT_EXCEEDS_DEBT') return undefined;
  const fields = (err.details as { fields?: { params?: { remainingDebt?: string } }[] } | undefined)?.fields;
  return fields?.[0]?.params?.remainingDebt;
}

/**
 * Amounts in several currencies, never added together: the main one (roubles when present) and
 * the others as a second line ("+ 250,00 $"). Zero amounts are left out.
 */
export function moneyLines(items: { currency: string; amount: string }[]): { main: string; rest?: string } {
  const shown = items.filter((i) => /[1-9]/.test(i.amount));
  const main = shown.find((i) => i.currency === 'RUB') ?? shown[0];
  if (!main) return { main: formatMoney('0.00', items[0]?.currency ?? 'RUB') };
  const rest = shown.filter((i) => i !== main).map((i) => `+ ${formatMoney(i.amount, i.currency)}`);
  return {
    main: formatMoney(main.amount, main.currency),
    rest: rest.length > 0 ? rest.join(' ') : undefined,
  };
}
