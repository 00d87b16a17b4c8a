import { formatPercent } from '../../lib/format.js';

/** The colour class of a signed amount or percentage: none for zero or nothing. */
export const tone = (amount: string | null | undefined) =>
  amount === null || amount === undefined || !/[1-9]/.test(amount)
    ? undefined
    : amount.startsWith('-')
      ? 'negative'
      : 'positive';

/** A percentage with its sign (+ for a gain); nothing when there is no figure. */
export const signedPercent = (value: string | null) =>
  value === null
    ? undefined
    : `${value.startsWith('-') || !/[1-9]/.test(value) ? '' : '+'}${formatPercent(value)}`;
