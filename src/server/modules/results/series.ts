/**
 * The daily value of a portfolio, pure: operations × daily closes × the day's rates.
 *
 * - Holdings are replayed from the operations (pieces; a split multiplies them); a cash-keeping
 *   portfolio also holds its cash per currency (a currency bought on the exchange is cash).
 * - A piece is priced at the last close on or before the day (bonds: % of the nominal × nominal /
 *   100, without НКД), else the last trade price, else it is left out and counted as missing.
 * - A line's value is rounded to 0.01 in its currency, converted at the day's rate and rounded to
 *   0.01 again; the day's value is the sum of the lines. An unknown rate leaves the line out.
 * - Flows (for returns) in the base currency at each day's rate: deposits and withdrawals for a
 *   portfolio that keeps cash; otherwise buys − sells − income received + taxes and fees paid.
 *   Transfers of securities are flows at their booked amount.
 * - Net invested: the running sum of deposits − withdrawals (cash kept) or buys − sells (no cash),
 *   plus transfers.
 */
import { eachDay } from '../../../common/dates.js';
import { Decimal } from '../../../common/decimal.js';
import { cashFlow, type LedgerOperation } from '../investments/valuation.js';

/** An operation as the positions replay it, without its id and booked rate (days take their own). */
export type SeriesOperation = Omit<LedgerOperation, 'id' | 'rate'>;

export interface SeriesAsset {
  currency: string;
  /** Closes in % of the nominal (bonds). */
  percentOfNominal: boolean;
  nominal: string | null;
  /** A currency instrument: in a portfolio that keeps cash it is that cash, not a holding. */
  currencyInstrument: boolean;
}

export interface SeriesDay {
  day: string;
  value: string;
  flow: string;
  netInvested: string;
  /** Lines left out of the value (no price or no rate). */
  missing: number;
}

export interface SeriesInput {
  from: string;
  to: string;
  /** Every operation of the portfolio, in the order they happened. */
  operations: readonly SeriesOperation[];
  assets: ReadonlyMap<string, SeriesAsset>;
  /** Closes per asset, ascending by day, in the asset's currency (bonds: % of the nominal). */
  closes: ReadonlyMap<string, readonly { day: string; close: string }[]>;
  /**
   * Base-currency units per unit of a currency on a day; null when unknown. Equal rates should be
   * the same object: a holding's value is then reused from the day before.
   */
  rate: (currency: string, day: string) => Decimal | null;
  cashTracking: boolean;
  /** Net invested at the end of the day before `from` (the series is continued from there). */
  netInvestedBefore: string;
}

const HUNDRED = Decimal.int(100);

/**
 * What a line adds to the day's value as last computed: its value, or a count as missing, or
 * nothing (none held). It is computed again only when its quantity, price or rate changed.
 */
interface Line {
  line: Decimal | null;
  lineRate: Decimal | null;
  missing: boolean;
  dirty: boolean;
}

interface Holding extends Line {
  quantity: Decimal;
  lastPrice: Decimal | null;
  /** Index of the next close to look at. */
  cursor: number;
  close: Decimal | null;
  asset: SeriesAsset | undefined;
  closes: readonly { day: string; close: string }[] | undefined;
}

interface Cash extends Line {
  balance: Decimal;
}

/** Money per piece from a close. */
function piece(close: Decimal, asset: SeriesAsset | undefined): Decimal | null {
  if (asset === undefined || !asset.percentOfNominal) return close;
  if (asset.nominal === null) return null;
  const product = close.times(Decimal.of(asset.nominal));
  return product.div(HUNDRED, product.s + 2);
}

/** What an operation adds to net invested and to the flow, in its own currency. */
export function investedAndFlow(
  op: SeriesOperation,
  cashTracking: boolean,
): { invested: Decimal; flow: Decimal } {
  const amount = Decimal.of(op.amount);
  if (op.type === 'transfer_in') return { invested: amount, flow: amount };
  if (op.type === 'transfer_out') return { invested: amount.neg(), flow: amount.neg() };
  if (cashTracking) {
    if (op.type === 'deposit') return { invested: amount, flow: amount };
    if (op.type === 'withdrawal') return { invested: amount.neg(), flow: amount.neg() };
    return { invested: Decimal.ZERO, flow: Decimal.ZERO };
  }
  if (op.type === 'deposit' || op.type === 'withdrawal')
    return { invested: Decimal.ZERO, flow: Decimal.ZERO };
  const cash = Decimal.of(cashFlow(op).toFixed()).neg();
  const trade = op.type === 'buy' || op.type === 'sell';
  return { invested: trade ? cash : Decimal.ZERO, flow: cash };
}

export function buildSeries(input: SeriesInput): SeriesDay[] {
  const { operations, assets, closes, rate, cashTracking } = input;
  const holdings = new Map<string, Holding>();
  const cash = new Map<string, Cash>();
  const holding = (key: string) => {
    let h = holdings.get(key);
    if (h === undefined) {
      h = {
        quantity: Decimal.ZERO,
        lastPrice: null,
        cursor: 0,
        close: null,
        asset: assets.get(key),
        closes: closes.get(key),
        line: null,
        lineRate: null,
        missing: false,
        dirty: true,
      };
      holdings.set(key, h);
    }
    return h;
  };
  const addCash = (currency: string, amount: Decimal) => {
    const c = cash.get(currency);
    if (c === undefined)
      cash.set(currency, { balance: amount, line: null, lineRate: null, missing: false, dirty: true });
    else {
      c.balance = c.balance.plus(amount);
      c.dirty = true;
    }
  };

  const apply = (op: SeriesOperation) => {
    if (cashTracking) addCash(op.currency, Decimal.of(cashFlow(op).toFixed()));
    if (op.assetKey === null) return;
    const h = holding(op.assetKey);
    h.dirty = true;
    const q = Decimal.of(op.quantity);
    switch (op.type) {
      case 'buy':
      case 'transfer_in':
        h.quantity = h.quantity.plus(q);
        break;
      case 'sell':
      case 'transfer_out':
      case 'bond_redemption':
        h.quantity = h.quantity.minus(q);
        if (h.quantity.cmp(Decimal.ZERO) < 0) h.quantity = Decimal.ZERO;
        break;
      case 'split':
        h.quantity = h.quantity.times(q);
        if (h.lastPrice !== null && q.cmp(Decimal.ZERO) > 0) h.lastPrice = h.lastPrice.div(q, 9);
        break;
      case 'dividend':
      case 'coupon':
      case 'income':
      case 'tax':
      case 'fee':
      case 'deposit':
      case 'withdrawal':
        return;
    }
    if ((op.type === 'buy' || op.type === 'sell') && !q.isZero())
      h.lastPrice = op.price !== null ? Decimal.of(op.price) : Decimal.of(op.amount).div(q, 9);
    if (cashTracking && op.assetIso !== null && (op.type === 'buy' || op.type === 'sell'))
      addCash(op.assetIso, op.type === 'buy' ? q : q.neg());
  };

  let i = 0;
  while (i < operations.length && operations[i]!.date < input.from) apply(operations[i++]!);

  const out: SeriesDay[] = [];
  let invested = Decimal.of(input.netInvestedBefore);
  let investedText = invested.toFixed(2);
  // The day's value is kept as a running sum: only the lines whose inputs changed are redone.
  let total = Decimal.ZERO;
  let missingLines = 0;
  let valueText = '0.00';
  let changed = true;
  /** Replaces a line's part of the running sum with `line` (null: missing; undefined: nothing). */
  const settle = (l: Line, line: Decimal | null | undefined, r: Decimal | null) => {
    if (l.line !== null) total = total.minus(l.line);
    if (l.missing) missingLines--;
    l.line = line ?? null;
    l.missing = line === null;
    if (l.line !== null) total = total.plus(l.line);
    if (l.missing) missingLines++;
    l.lineRate = r;
    l.dirty = false;
    changed = true;
  };
  for (const day of eachDay(input.from, input.to)) {
    let flow = Decimal.ZERO;
    let missing = 0;
    while (i < operations.length && operations[i]!.date <= day) {
      const op = operations[i++]!;
      apply(op);
      const f = investedAndFlow(op, cashTracking);
      if (f.invested.isZero() && f.flow.isZero()) continue;
      const r = rate(op.currency, op.date);
      if (r === null) {
        missing++;
        continue;
      }
      if (!f.invested.isZero()) {
        invested = invested.plus(f.invested.times(r).round(2));
        investedText = invested.toFixed(2);
      }
      flow = flow.plus(f.flow.times(r).round(2));
    }
    for (const h of holdings.values()) {
      const list = h.closes;
      if (list !== undefined)
        while (h.cursor < list.length && list[h.cursor]!.day <= day) {
          h.close = Decimal.of(list[h.cursor++]!.close);
          h.dirty = true;
        }
      const asset = h.asset;
      if (cashTracking && asset?.currencyInstrument === true) continue;
      const r = asset === undefined ? null : rate(asset.currency, day);
      if (!h.dirty && r === h.lineRate) continue;
      if (h.quantity.isZero()) {
        settle(h, undefined, r);
        continue;
      }
      const price = h.close !== null ? piece(h.close, asset) : h.lastPrice;
      if (price === null || r === null) {
        settle(h, null, r);
        continue;
      }
      const own = h.quantity.times(price).round(2);
      settle(h, r.m === 1n && r.s === 0 ? own : own.times(r).round(2), r);
    }
    for (const [currency, c] of cash) {
      const r = rate(currency, day);
      if (!c.dirty && r === c.lineRate) continue;
      if (c.balance.isZero()) settle(c, undefined, r);
      else settle(c, r === null ? null : c.balance.round(2).times(r).round(2), r);
    }
    if (changed) {
      valueText = total.toFixed(2);
      changed = false;
    }
    out.push({
      day,
      value: valueText,
      flow: flow.isZero() ? '0.00' : flow.toFixed(2),
      netInvested: investedText,
      missing: missing + missingLines,
    });
  }
  return out;
}
