/**
 * Budget figures in the base currency. The rule: every transaction in another currency is converted
 * at the rate of its own day and rounded half-up to the kopeck; the rounded amounts are then added
 * (exactly) to the base-currency ones. Month summary, charts and year report all add these same
 * rounded amounts, so they agree to the kopeck whatever they group by.
 */
import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import { convert, type FxTables, type Rate } from '../fx/fx-core.js';
import type { ForeignFlowRow } from './summary.queries.js';

export interface ConvertedFlow extends ForeignFlowRow {
  /** In the base currency, rounded half-up to 0.01. */
  base: string;
}

/** Per currency: what its transactions came to in the base currency and the last rate used. */
export interface CurrencyConversion {
  currency: string;
  income: string;
  expense: string;
  transactions: number;
  /** The rate of the latest day converted (each transaction used its own day's). */
  rate: Rate;
  /** Whether any of its rates was a last known one. */
  stale: boolean;
}

export interface BaseFlows {
  flows: ConvertedFlow[];
  /** Currencies with a transaction whose day has no rate: totals in the base currency are unknown. */
  missing: string[];
  conversions: CurrencyConversion[];
}

export function convertFlows(rows: ForeignFlowRow[], tables: FxTables, base: string): BaseFlows {
  const flows: ConvertedFlow[] = [];
  const missing = new Set<string>();
  const byCurrency = new Map<
    string,
    { income: Decimal; expense: Decimal; transactions: number; rate: Rate; stale: boolean }
  >();
  for (const row of rows) {
    const converted = convert(tables, row.amount, row.currency, base, row.date);
    if (converted === null) {
      missing.add(row.currency);
      continue;
    }
    flows.push({ ...row, base: converted.amount });
    const c = byCurrency.get(row.currency) ?? {
      income: dec(0),
      expense: dec(0),
      transactions: 0,
      rate: converted,
      stale: false,
    };
    c[row.type] = c[row.type].plus(converted.amount);
    c.transactions += 1;
    // Rows come by day, so the last one seen carries the latest rate.
    c.rate = { rate: converted.rate, day: converted.day, source: converted.source, stale: converted.stale };
    c.stale ||= converted.stale;
    byCurrency.set(row.currency, c);
  }
  return {
    flows,
    missing: [...missing].sort(),
    conversions: [...byCurrency.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([currency, c]) => ({
        currency,
        income: toFixed(c.income),
        expense: toFixed(c.expense),
        transactions: c.transactions,
        rate: c.rate,
        stale: c.stale,
      })),
  };
}

/** Adds converted amounts into a map of sums by `key` (e.g. per day, month or category). */
export function addUp(
  into: Map<string | null, Decimal>,
  flows: readonly ConvertedFlow[],
  key: (f: ConvertedFlow) => string | null,
): Map<string | null, Decimal> {
  for (const f of flows) {
    const k = key(f);
    into.set(k, (into.get(k) ?? dec(0)).plus(f.base));
  }
  return into;
}
