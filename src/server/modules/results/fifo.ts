/**
 * The Russian personal income tax (НДФЛ) on securities, estimated, pure.
 *
 * - Lots are matched first-in-first-out per broker account (one portfolio = one account) and asset.
 * - Everything is in roubles: each trade at the official Bank of Russia rate of its own day, so a
 *   foreign share's result includes the rouble's move. Commissions add to the cost of a purchase and
 *   reduce the proceeds of a sale; НКД paid is a cost, НКД received is proceeds.
 * - A split multiplies the pieces of every open lot; their cost stays.
 * - An amortisation (a redemption of no pieces) returns cost pro rata across the open lots; what it
 *   returns beyond their cost is a gain.
 * - A lot held more than three years when sold is marked for the long holding benefit (ЛДВ); the
 *   estimate does not deduct it.
 * - The year's tax: 13 % on the positive total of the year's taxable results, 15 % on the part
 *   above the threshold (5 000 000 ₽ for 2021–2024, 2 400 000 ₽ from 2025; 13 % flat before 2021),
 *   rounded to whole roubles. ИИС results are not in that total.
 */
import { addDays } from '../../../common/dates.js';
import { Decimal } from '../../../common/decimal.js';

export interface TaxTrade {
  id: string;
  assetKey: string;
  type: 'buy' | 'sell' | 'split' | 'bond_redemption' | 'transfer_in' | 'transfer_out';
  date: string;
  quantity: string;
  amount: string;
  commission: string;
  accruedInterest: string;
  currency: string;
  /** Roubles per unit of `currency` on the trade's day (official); null when unknown. */
  rubRate: string | null;
}

export interface LotSlice {
  assetKey: string;
  buyDate: string;
  sellDate: string;
  quantity: string;
  /** Roubles, to the kopeck. */
  cost: string;
  proceeds: string;
  result: string;
  /** Held more than three years: eligible for the long holding benefit. */
  ldv: boolean;
}

export interface TaxIssue {
  tradeId: string;
  code: 'OVERSOLD' | 'RATE_MISSING';
  /** OVERSOLD: the pieces sold beyond the open lots (their proceeds are left out). */
  quantity?: string;
}

export interface AccountYear {
  year: number;
  proceeds: string;
  cost: string;
  result: string;
  /** Part of `result` from lots held more than three years. */
  ldvResult: string;
}

export interface FifoResult {
  slices: LotSlice[];
  years: AccountYear[];
  /** Open lots left, per asset. */
  open: { assetKey: string; buyDate: string; quantity: string; cost: string }[];
  issues: TaxIssue[];
}

interface Lot {
  date: string;
  quantity: Decimal;
  cost: Decimal;
}

const RUB_DP = 9;

function rub(amount: Decimal, rate: string): Decimal {
  return amount.times(Decimal.of(rate));
}

/** Held more than three years: sold after the day three years on from the purchase. */
export function longHeld(buyDate: string, sellDate: string): boolean {
  const [y, m, d] = buyDate.split('-');
  let anniversary = `${Number(y) + 3}-${m}-${d}`;
  // 29 February + 3 years is 1 March of a common year.
  if (m === '02' && d === '29') anniversary = addDays(`${Number(y) + 3}-02-28`, 1);
  return sellDate > anniversary;
}

/** Replays one account's trades (in the order they happened) into FIFO lots and results. */
export function fifo(trades: readonly TaxTrade[]): FifoResult {
  const lots = new Map<string, Lot[]>();
  const slices: LotSlice[] = [];
  const issues: TaxIssue[] = [];
  const years = new Map<number, { proceeds: Decimal; cost: Decimal; ldv: Decimal }>();
  const yearOf = (date: string) => {
    const y = Number(date.slice(0, 4));
    let acc = years.get(y);
    if (acc === undefined) {
      acc = { proceeds: Decimal.ZERO, cost: Decimal.ZERO, ldv: Decimal.ZERO };
      years.set(y, acc);
    }
    return acc;
  };

  for (const t of trades) {
    const queue = lots.get(t.assetKey) ?? [];
    lots.set(t.assetKey, queue);
    const quantity = Decimal.of(t.quantity);
    if (t.type === 'split') {
      for (const lot of queue) lot.quantity = lot.quantity.times(quantity);
      continue;
    }
    if (t.rubRate === null) {
      issues.push({ tradeId: t.id, code: 'RATE_MISSING' });
      continue;
    }
    const amount = Decimal.of(t.amount);
    const commission = Decimal.of(t.commission);
    const aci = Decimal.of(t.accruedInterest);
    if (t.type === 'buy' || t.type === 'transfer_in') {
      const cost = t.type === 'buy' ? amount.plus(commission).plus(aci) : amount;
      queue.push({ date: t.date, quantity, cost: rub(cost, t.rubRate) });
      continue;
    }
    const proceedsAll =
      t.type === 'sell'
        ? rub(amount.minus(commission).plus(aci), t.rubRate)
        : t.type === 'bond_redemption'
          ? rub(amount, t.rubRate)
          : null;
    if (t.type === 'bond_redemption' && quantity.isZero()) {
      // Amortisation: cost comes back pro rata over the open lots.
      const total = queue.reduce((s, l) => s.plus(l.cost), Decimal.ZERO);
      const back = proceedsAll!.cmp(total) > 0 ? total : proceedsAll!;
      for (const lot of queue)
        if (!total.isZero()) lot.cost = lot.cost.minus(lot.cost.times(back).div(total, RUB_DP));
      const y = yearOf(t.date);
      y.proceeds = y.proceeds.plus(proceedsAll!);
      y.cost = y.cost.plus(back);
      continue;
    }
    // A sale, a redemption of pieces or a transfer out: take the oldest lots first.
    let left = quantity;
    let matched = Decimal.ZERO;
    const taken: { lot: Lot; quantity: Decimal; cost: Decimal }[] = [];
    while (left.cmp(Decimal.ZERO) > 0 && queue.length > 0) {
      const lot = queue[0]!;
      if (lot.quantity.cmp(left) <= 0) {
        taken.push({ lot, quantity: lot.quantity, cost: lot.cost });
        left = left.minus(lot.quantity);
        matched = matched.plus(lot.quantity);
        queue.shift();
      } else {
        const cost = lot.cost.times(left).div(lot.quantity, RUB_DP);
        taken.push({ lot, quantity: left, cost });
        lot.quantity = lot.quantity.minus(left);
        lot.cost = lot.cost.minus(cost);
        matched = matched.plus(left);
        left = Decimal.ZERO;
      }
    }
    if (left.cmp(Decimal.ZERO) > 0)
      issues.push({ tradeId: t.id, code: 'OVERSOLD', quantity: left.toFixed() });
    if (proceedsAll === null || quantity.isZero()) continue; // a transfer out realises nothing
    const y = yearOf(t.date);
    for (const part of taken) {
      const proceeds = proceedsAll.times(part.quantity).div(quantity, RUB_DP);
      const result = proceeds.minus(part.cost);
      const ldv = longHeld(part.lot.date, t.date);
      slices.push({
        assetKey: t.assetKey,
        buyDate: part.lot.date,
        sellDate: t.date,
        quantity: part.quantity.toFixed(),
        cost: part.cost.toFixed(2),
        proceeds: proceeds.toFixed(2),
        result: result.toFixed(2),
        ldv,
      });
      y.proceeds = y.proceeds.plus(proceeds);
      y.cost = y.cost.plus(part.cost);
      if (ldv) y.ldv = y.ldv.plus(result);
    }
  }
  return {
    slices,
    years: [...years]
      .sort((a, b) => a[0] - b[0])
      .map(([year, y]) => ({
        year,
        proceeds: y.proceeds.toFixed(2),
        cost: y.cost.toFixed(2),
        result: y.proceeds.minus(y.cost).toFixed(2),
        ldvResult: y.ldv.toFixed(2),
      })),
    open: [...lots].flatMap(([assetKey, queue]) =>
      queue
        .filter((l) => !l.quantity.isZero())
        .map((l) => ({ assetKey, buyDate: l.date, quantity: l.quantity.toFixed(), cost: l.cost.toFixed(2) })),
    ),
    issues,
  };
}

/** Where the 15 % rate starts in a year; null when the rate is flat 13 %. */
export function threshold(year: number): string | null {
  if (year < 2021) return null;
  return year < 2025 ? '5000000' : '2400000';
}

export interface YearTax {
  base: string;
  tax: string;
  /** The part taxed at 15 %. */
  above: string;
  threshold: string | null;
}

/** The progressive scale on a year's total result (a loss is no tax), in whole roubles. */
export function yearTax(year: number, total: string): YearTax {
  const base = Decimal.of(total).cmp(Decimal.ZERO) > 0 ? Decimal.of(total).round(2) : Decimal.ZERO;
  const limit = threshold(year);
  const cut = limit === null ? null : Decimal.of(limit);
  const above = cut !== null && base.cmp(cut) > 0 ? base.minus(cut) : Decimal.ZERO;
  const below = base.minus(above);
  const tax = below
    .times(Decimal.of('0.13'))
    .plus(above.times(Decimal.of('0.15')))
    .round(0);
  return { base: base.toFixed(2), tax: tax.toFixed(0), above: above.toFixed(2), threshold: limit };
}
