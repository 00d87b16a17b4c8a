import { useEffect, useState } from 'preact/hooks';

/** What people type for an amount ("1 234,50") as the API's decimal string ("1234.50"). */
export function toDecimal(input: string): string {
  return input.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The sentence to show for a failed request (the API's message) or any other error. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Today in the browser's time zone, as `YYYY-MM-DD`. */
export function localToday(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
