/**
 * Portfolio accounting, pure: operations → positions (average cost method) and cash balances, then
 * positions + quotes + exchange rates → values, P/L and totals. No I/O, no clocks.
 *
 * Money rules:
 * - Cost of a position includes commissions and the НКД paid on a bond purchase; sale proceeds are
 *   net of commission and include the НКД received. A sale realises proceeds − average cost × sold.
 * - A position's value is rounded half-up to 0.01 in its own currency, then converted to the base
 *   currency and rounded half-up to 0.01 again; totals are sums of those rounded values.
 * - Cost in the base currency uses each operation's own rate (the rate of its date); the value uses
 *   today's rate. An unknown rate makes the affected figure null, never 1.
 */

import { Decimal, dec } from '../../../common/decimal.js';

export const OPERATION_TYPES = [
  'buy',
  'sell',
  'dividend',
  'coupon',
  'bond_redemption',
  'fee',
  'tax',
  'deposit',
  'withdrawal',
  'split',
  /** Securities received without payment; `amount` is what they are booked at (their cost). */
  'transfer_in',
  /** Securities delivered out without payment: they leave at their average cost. */
  'transfer_out',
  /** Other cash income or charge, signed: overnight income, variation margin. */
  'income',
] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** Operations that change how much of an asset is held. */
export const TRADE_TYPES: ReadonlySet<OperationType> = new Set([
  'buy',
  'sell',
  'split',
  'bond_redemption',
  'transfer_in',
  'transfer_out',
]);

export const ASSET_CLASSES = ['shares', 'bonds', 'funds', 'currencies', 'other'] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];

export function assetClassOf(kind: string): AssetClass {
  switch (kind) {
    case 'share':
      return 'shares';
    case 'bond':
      return 'bonds';
    case 'etf':
      return 'funds';
    case 'currency':
      return 'currencies';
    default:
      return 'other';
  }
}

export interface LedgerOperation {
  id: string;
  type: OperationType;
  /** The asset the operation is about (instrument uid or manual asset id); null for cash-only ones. */
  assetKey: string | null;
  /** Set when the asset is a currency instrument: the ISO code it buys (e.g. USD for USD000UTSTOM). */
  assetIso: string | null;
  currency: string;
  date: string;
  quantity: string;
  price: string | null;
  amount: string;
  commission: string;
  accruedInterest: string;
  /** Base-currency units per unit of `currency` on the operation's date; null when unknown. */
  rate: string | null;
}

export interface PositionState {
  assetKey: string;
  currency: string;
  quantity: string;
  cost: string;
  costBase: string | null;
  realized: string;
  realizedBase: string | null;
  incomeBase: string | null;
  taxesBase: string | null;
  feesBase: string | null;
  lastTradePrice: string | null;
  lastTradeDate: string | null;
  operationsCount: number;
  missingRates: number;
}

/** A cash balance in one currency, plus income and charges not tied to an asset. */
export interface CashState {
  currency: string;
  balance: string;
  /** What the balance cost in the base currency: each flow at its own date's rate. */
  balanceBase: string | null;
  incomeBase: string | null;
  taxesBase: string | null;
  feesBase: string | null;
  operationsCount: number;
  missingRates: number;
}

export interface ReplayIssue {
  operationId: string;
  code: 'OVERSOLD' | 'CURRENCY_MISMATCH';
  message: string;
  /** OVERSOLD: the quantity asked, the date and the quantity held. */
  params?: Record<string, string>;
}

export interface Ledger {
  positions: PositionState[];
  issues: ReplayIssue[];
}

const ZERO = dec(0);
/** Stored precision of derived numbers (numeric(30,9)). */
const STORED_DP = 9;

const stored = (value: Decimal): string => value.round(STORED_DP, 'half-up').toFixed();

/** Adds to a base-currency running sum; unknown stays unknown. */
function addBase(sum: Decimal | null, amount: Decimal, rate: string | null): Decimal | null {
  if (sum === null || rate === null) return null;
  return sum.plus(amount.times(rate));
}

/** Cash effect of an operation in its own currency: negative is money leaving the portfolio. */
export function cashFlow(
  op: Pick<LedgerOperation, 'type' | 'amount' | 'commission' | 'accruedInterest'>,
): Decimal {
  const amount = dec(op.amount);
  switch (op.type) {
    case 'buy':
      return amount.plus(op.commission).plus(op.accruedInterest).neg();
    case 'sell':
      return amount.minus(op.commission).plus(op.accruedInterest);
    case 'dividend':
    case 'coupon':
    case 'bond_redemption':
    case 'deposit':
    case 'income':
      return amount;
    case 'fee':
    case 'tax':
    case 'withdrawal':
      return amount.neg();
    case 'split':
    case 'transfer_in':
    case 'transfer_out':
      return ZERO;
  }
}

interface PositionAcc {
  currency: string;
  quantity: Decimal;
  cost: Decimal;
  costBase: Decimal | null;
  realized: Decimal;
  realizedBase: Decimal | null;
  incomeBase: Decimal | null;
  taxesBase: Decimal | null;
  feesBase: Decimal | null;
  lastTradePrice: Decimal | null;
  lastTradeDate: string | null;
  operationsCount: number;
  missingRates: number;
}

interface CashAcc {
  balance: Decimal;
  balanceBase: Decimal | null;
  incomeBase: Decimal | null;
  taxesBase: Decimal | null;
  feesBase: Decimal | null;
  operationsCount: number;
  missingRates: number;
}

const newCash = (): CashAcc => ({
  balance: ZERO,
  balanceBase: ZERO,
  incomeBase: ZERO,
  taxesBase: ZERO,
  feesBase: ZERO,
  operationsCount: 0,
  missingRates: 0,
});

/** Takes `part` of the position out at its average cost; returns the cost taken out. */
function reduce(p: PositionAcc, part: Decimal): { cost: Decimal; costBase: Decimal | null } {
  if (part.gte(p.quantity)) {
    // A full exit leaves exactly nothing behind, so no rounding residue lingers as a tiny cost.
    const out = { cost: p.cost, costBase: p.costBase };
    p.quantity = ZERO;
    p.cost = ZERO;
    p.costBase = p.costBase === null ? null : ZERO;
    return out;
  }
  const share = part.div(p.quantity);
  const cost = p.cost.times(share);
  const costBase = p.costBase === null ? null : p.costBase.times(share);
  p.quantity = p.quantity.minus(part);
  p.cost = p.cost.minus(cost);
  p.costBase = p.costBase === null || costBase === null ? null : p.costBase.minus(costBase);
  return { cost, costBase };
}

/**
 * Replays the operations of assets, in the order they happened (date, then time), into positions.
 * Operations of different assets do not affect each other, so one asset can be replayed alone.
 * Issues name operations that cannot be right (selling more than held, a trade in another currency
 * than the position's); the caller refuses the change that caused them.
 */
export function replay(operations: readonly LedgerOperation[]): Ledger {
  const positions = new Map<string, PositionAcc>();
  const issues: ReplayIssue[] = [];

  for (const op of operations) {
    if (op.assetKey === null) continue;

    let p = positions.get(op.assetKey);
    if (p === undefined) {
      p = {
        currency: op.currency,
        quantity: ZERO,
        cost: ZERO,
        costBase: ZERO,
        realized: ZERO,
        realizedBase: ZERO,
        incomeBase: ZERO,
        taxesBase: ZERO,
        feesBase: ZERO,
        lastTradePrice: null,
        lastTradeDate: null,
        operationsCount: 0,
        missingRates: 0,
      };
      positions.set(op.assetKey, p);
    }
    p.operationsCount++;
    if (op.rate === null) p.missingRates++;
    const quantity = dec(op.quantity);
    const amount = dec(op.amount);

    if (TRADE_TYPES.has(op.type) && op.type !== 'split' && op.currency !== p.currency) {
      issues.push({
        operationId: op.id,
        code: 'CURRENCY_MISMATCH',
        message: `a ${op.type} in ${op.currency} on a position held in ${p.currency}`,
      });
      continue;
    }

    switch (op.type) {
      case 'transfer_in':
        p.quantity = p.quantity.plus(quantity);
        p.cost = p.cost.plus(amount);
        p.costBase = addBase(p.costBase, amount, op.rate);
        break;
      case 'transfer_out':
        if (quantity.gt(p.quantity)) {
          issues.push({
            operationId: op.id,
            code: 'OVERSOLD',
            message: `moves out ${quantity.toFixed()} on ${op.date} while ${p.quantity.toFixed()} are held`,
            params: { quantity: quantity.toFixed(), date: op.date, held: p.quantity.toFixed() },
          });
          continue;
        }
        reduce(p, quantity);
        break;
      case 'buy': {
        const cost = amount.plus(op.commission).plus(op.accruedInterest);
        p.quantity = p.quantity.plus(quantity);
        p.cost = p.cost.plus(cost);
        p.costBase = addBase(p.costBase, cost, op.rate);
        p.lastTradePrice = op.price !== null ? dec(op.price) : quantity.gt(0) ? amount.div(quantity) : null;
        p.lastTradeDate = op.date;
        break;
      }
      case 'sell':
      case 'bond_redemption': {
        const proceeds = op.type === 'sell' ? amount.minus(op.commission).plus(op.accruedInterest) : amount;
        if (quantity.eq(0)) {
          // Amortisation: part of the nominal comes back; it returns capital, beyond that it is profit.
          const back = proceeds.gt(p.cost) ? p.cost : proceeds;
          const share = p.cost.gt(0) ? back.div(p.cost) : ZERO;
          const backBase = p.costBase === null ? null : p.costBase.times(share);
          p.cost = p.cost.minus(back);
          p.costBase = p.costBase === null || backBase === null ? null : p.costBase.minus(backBase);
          p.realized = p.realized.plus(proceeds.minus(back));
          p.realizedBase =
            p.realizedBase === null || backBase === null || op.rate === null
              ? null
              : p.realizedBase.plus(proceeds.times(op.rate)).minus(backBase);
          break;
        }
        if (quantity.gt(p.quantity)) {
          issues.push({
            operationId: op.id,
            code: 'OVERSOLD',
            message: `${op.type === 'sell' ? 'sells' : 'redeems'} ${quantity.toFixed()} on ${op.date} while ${p.quantity.toFixed()} are held`,
            params: { quantity: quantity.toFixed(), date: op.date, held: p.quantity.toFixed() },
          });
          continue;
        }
        const out = reduce(p, quantity);
        p.realized = p.realized.plus(proceeds.minus(out.cost));
        p.realizedBase =
          p.realizedBase === null || out.costBase === null || op.rate === null
            ? null
            : p.realizedBase.plus(proceeds.times(op.rate)).minus(out.costBase);
        if (op.type === 'sell') {
          p.lastTradePrice = op.price !== null ? dec(op.price) : amount.div(quantity);
          p.lastTradeDate = op.date;
        }
        break;
      }
      case 'split':
        // The holding is multiplied; what it cost stays, so the average price divides.
        p.quantity = p.quantity.times(quantity);
        if (p.lastTradePrice !== null && quantity.gt(0)) p.lastTradePrice = p.lastTradePrice.div(quantity);
        break;
      case 'dividend':
      case 'coupon':
      case 'income':
        p.incomeBase = addBase(p.incomeBase, amount, op.rate);
        break;
      case 'tax':
        p.taxesBase = addBase(p.taxesBase, amount, op.rate);
        break;
      case 'fee':
        p.feesBase = addBase(p.feesBase, amount, op.rate);
        break;
      case 'deposit':
      case 'withdrawal':
        break;
    }
  }

  const n = (v: Decimal | null) => (v === null ? null : stored(v));
  return {
    positions: [...positions].map(([assetKey, p]) => ({
      assetKey,
      currency: p.currency,
      quantity: stored(p.quantity),
      cost: stored(p.cost),
      costBase: n(p.costBase),
      realized: stored(p.realized),
      realizedBase: n(p.realizedBase),
      incomeBase: n(p.incomeBase),
      taxesBase: n(p.taxesBase),
      feesBase: n(p.feesBase),
      lastTradePrice: n(p.lastTradePrice),
      lastTradeDate: p.lastTradeDate,
      operationsCount: p.operationsCount,
      missingRates: p.missingRates,
    })),
    issues,
  };
}

/**
 * Operations of one portfolio summed by what matters for cash (in SQL numeric): cash effects are
 * sums, so balances need no replay. The *Base sums are each amount × its operation's rate.
 */
export interface CashGroup {
  type: OperationType;
  currency: string;
  /** Not about any asset (deposits, account fees, ...). */
  cashOnly: boolean;
  /** Currency instruments: the ISO code bought or sold. */
  assetIso: string | null;
  /** False: these operations' rate to the base currency is unknown; the *Base sums are 0. */
  rateKnown: boolean;
  count: number;
  quantity: string;
  amount: string;
  commission: string;
  accruedInterest: string;
  amountBase: string;
  commissionBase: string;
  accruedInterestBase: string;
}

/** Cash balances per currency, with the income and charges not tied to an asset. */
export function cashLedger(groups: readonly CashGroup[]): CashState[] {
  const cash = new Map<string, CashAcc>();
  const cashOf = (currency: string) => {
    let acc = cash.get(currency);
    if (acc === undefined) {
      acc = newCash();
      cash.set(currency, acc);
    }
    return acc;
  };
  const plus = (sum: Decimal | null, value: Decimal, known: boolean) =>
    sum === null || !known ? null : sum.plus(value);

  for (const g of groups) {
    // cashFlow is linear, so it applies to sums as to single operations.
    const flow = cashFlow(g);
    const flowBase = cashFlow({
      ...g,
      amount: g.amountBase,
      commission: g.commissionBase,
      accruedInterest: g.accruedInterestBase,
    });
    const account = cashOf(g.currency);
    account.operationsCount += g.count;
    account.balance = account.balance.plus(flow);
    account.balanceBase = plus(account.balanceBase, flowBase, g.rateKnown);
    if (!g.rateKnown) account.missingRates += g.count;
    if (g.cashOnly) {
      const amountBase = dec(g.amountBase);
      if (g.type === 'dividend' || g.type === 'coupon' || g.type === 'income')
        account.incomeBase = plus(account.incomeBase, amountBase, g.rateKnown);
      else if (g.type === 'tax') account.taxesBase = plus(account.taxesBase, amountBase, g.rateKnown);
      else if (g.type === 'fee') account.feesBase = plus(account.feesBase, amountBase, g.rateKnown);
    }
    // A currency bought on the exchange is cash in that currency, costing what was paid for it.
    if (g.assetIso !== null && (g.type === 'buy' || g.type === 'sell')) {
      const fx = cashOf(g.assetIso);
      fx.balance = g.type === 'buy' ? fx.balance.plus(g.quantity) : fx.balance.minus(g.quantity);
      fx.balanceBase = plus(fx.balanceBase, flowBase.neg(), g.rateKnown);
    }
  }
  const n = (v: Decimal | null) => (v === null ? null : stored(v));
  return [...cash].map(([currency, c]) => ({
    currency,
    balance: stored(c.balance),
    balanceBase: n(c.balanceBase),
    incomeBase: n(c.incomeBase),
    taxesBase: n(c.taxesBase),
    feesBase: n(c.feesBase),
    operationsCount: c.operationsCount,
    missingRates: c.missingRates,
  }));
}

// ------------------------------------------------------------------------------------------------
// Valuation

export type PriceSource = 'market' | 'stale' | 'manual' | 'trade';

export interface PriceInput {
  /** Per piece in the asset currency; bonds from the market in % of the nominal. */
  price: string;
  /** True when `price` is in % of the nominal (bond quotes). */
  percentOfNominal: boolean;
  time: string | null;
  source: PriceSource;
  /** Previous trading day's close, same unit as `price`. */
  prevClose: string | null;
}

export interface AssetInput {
  kind: string;
  currency: string;
  /** Bonds: nominal per bond. */
  nominal: string | null;
  /** Bonds: НКД per bond. */
  aci: string | null;
}

/** Base-currency units per unit of a currency, today and at the previous close. */
export interface FxInput {
  rate(currency: string): Decimal | null;
  prevRate(currency: string): Decimal | null;
}

export interface Valued {
  /** Per piece in the asset currency (bonds: money per bond, clean). */
  piecePrice: string | null;
  /** Per piece, НКД of a bond. */
  aci: string | null;
  /** In the asset currency, with НКД. */
  value: string | null;
  valueBase: string | null;
  rate: string | null;
  averagePrice: string | null;
  costBase: string | null;
  unrealizedPnl: string | null;
  unrealizedPnlPercent: string | null;
  realizedPnl: string | null;
  incomeBase: string | null;
  dayChange: string | null;
  dayChangePercent: string | null;
}

const HUNDRED = Decimal.int(100);
const money2 = (v: Decimal | null) => (v === null ? null : v.toFixed(2));
const decOrNull = (v: string | null) => (v === null ? null : Decimal.of(v));

function percent(part: Decimal, whole: Decimal): string | null {
  return whole.isZero() ? null : part.times(HUNDRED).div(whole, 2).toFixed(2);
}

/** Money per piece from a quote: bonds are quoted in % of the nominal. */
export function piecePrice(price: string, percentOfNominal: boolean, nominal: string | null): Decimal | null {
  if (!percentOfNominal) return Decimal.of(price);
  if (nominal === null) return null;
  // price % × nominal / 100 is exact: dividing by 100 only moves the point.
  const product = Decimal.of(price).times(Decimal.of(nominal));
  return product.div(HUNDRED, product.s + 2);
}

export interface ValueInput {
  quantity: string;
  cost: string;
  costBase: string | null;
  realizedBase: string | null;
  incomeBase: string | null;
  asset: AssetInput;
  price: PriceInput | null;
  fx: FxInput;
}

/** Values one position. Missing price or rate → the affected figures are null. */
export function valuePosition(input: ValueInput): Valued {
  const { asset, price, fx } = input;
  const quantity = Decimal.of(input.quantity);
  const rate = fx.rate(asset.currency);
  const prevRate = fx.prevRate(asset.currency) ?? rate;
  const piece = price === null ? null : piecePrice(price.price, price.percentOfNominal, asset.nominal);
  const bondAci = asset.kind === 'bond' && asset.aci !== null ? Decimal.of(asset.aci) : null;
  const aci = bondAci ?? Decimal.ZERO;
  // Named rounding points: the value in its own currency, then in the base currency, to 0.01.
  const value = piece === null ? null : quantity.times(piece.plus(aci)).round(2);
  const valueBase = value === null || rate === null ? null : value.times(rate).round(2);
  const costBase = decOrNull(input.costBase)?.round(2) ?? null;
  const unrealized = valueBase !== null && costBase !== null ? valueBase.minus(costBase) : null;

  let dayChange: Decimal | null = null;
  if (price?.prevClose != null && piece !== null && value !== null && rate !== null && prevRate !== null) {
    const prevPiece = piecePrice(price.prevClose, price.percentOfNominal, asset.nominal);
    if (prevPiece !== null) {
      // Today's value against yesterday's at yesterday's rate: a foreign asset moves with its currency too.
      const before = quantity.times(prevPiece.plus(aci)).round(2).times(prevRate).round(2);
      dayChange = quantity.times(piece.plus(aci)).times(rate).round(2).minus(before);
    }
  }
  const held = quantity.cmp(Decimal.ZERO) > 0;

  return {
    piecePrice: piece === null ? null : piece.toFixed(),
    aci: bondAci === null ? null : bondAci.toFixed(),
    value: money2(value),
    valueBase: money2(valueBase),
    rate: rate === null ? null : rate.round(9).toFixed(),
    averagePrice: held ? Decimal.of(input.cost).div(quantity, 9).toFixed() : null,
    costBase: money2(costBase),
    unrealizedPnl: money2(unrealized),
    unrealizedPnlPercent:
      unrealized === null || costBase === null || !held ? null : percent(unrealized, costBase),
    realizedPnl: money2(decOrNull(input.realizedBase)),
    incomeBase: money2(decOrNull(input.incomeBase)),
    dayChange: money2(dayChange),
    dayChangePercent:
      dayChange === null || valueBase === null ? null : percent(dayChange, valueBase.minus(dayChange)),
  };
}

/**
 * What a cash balance cost in the base currency. With a currency bought on the exchange (the
 * position of its currency instrument) that is the average purchase rate × the balance, as the
 * broker shows it; otherwise every flow at its own date's rate; the base currency costs itself.
 */
export function cashCostBase(
  cash: Pick<CashState, 'currency' | 'balance' | 'balanceBase'>,
  baseCurrency: string,
  purchased?: Pick<PositionState, 'quantity' | 'costBase'>,
): string | null {
  if (cash.currency === baseCurrency) return cash.balance;
  if (purchased !== undefined && Decimal.of(purchased.quantity).cmp(Decimal.ZERO) > 0) {
    if (purchased.costBase === null) return null;
    return Decimal.of(cash.balance)
      .times(Decimal.of(purchased.costBase))
      .div(Decimal.of(purchased.quantity), STORED_DP)
      .toFixed();
  }
  return cash.balanceBase;
}

/** Values a cash balance: the amount itself, converted at today's rate. */
export function valueCash(input: {
  balance: string;
  costBase: string | null;
  realizedBase: string | null;
  currency: string;
  fx: FxInput;
}): Valued {
  const balance = Decimal.of(input.balance);
  const rate = input.fx.rate(input.currency);
  const prevRate = input.fx.prevRate(input.currency) ?? rate;
  const value = balance.round(2);
  const valueBase = rate === null ? null : value.times(rate).round(2);
  const costBase = decOrNull(input.costBase)?.round(2) ?? null;
  const unrealized = valueBase !== null && costBase !== null ? valueBase.minus(costBase) : null;
  const dayChange =
    valueBase === null || prevRate === null ? null : valueBase.minus(value.times(prevRate).round(2));
  return {
    piecePrice: null,
    aci: null,
    value: value.toFixed(2),
    valueBase: money2(valueBase),
    rate: rate === null ? null : rate.round(9).toFixed(),
    averagePrice:
      balance.cmp(Decimal.ZERO) > 0 && costBase !== null ? costBase.div(balance, 9).toFixed() : null,
    costBase: money2(costBase),
    unrealizedPnl: money2(unrealized),
    unrealizedPnlPercent: unrealized === null || costBase === null ? null : percent(unrealized, costBase),
    realizedPnl: money2(decOrNull(input.realizedBase)),
    incomeBase: null,
    dayChange: money2(dayChange),
    dayChangePercent:
      dayChange === null || valueBase === null ? null : percent(dayChange, valueBase.minus(dayChange)),
  };
}

export interface TotalsInput {
  assetClass: AssetClass;
  currency: string;
  /** Null for a line that only carries charges or income (a cash balance not shown as a holding). */
  valued: Valued | null;
  /** Taxes and fees in the base currency attributed to this line. */
  taxesBase: string | null;
  feesBase: string | null;
  /** Cash-level income (not tied to an asset). */
  extraIncomeBase?: string | null;
}

export interface Totals {
  value: string;
  cost: string;
  unrealizedPnl: string;
  unrealizedPnlPercent: string | null;
  realizedPnl: string;
  income: string;
  taxes: string;
  fees: string;
  /** Unrealised + realised + income − taxes − fees. */
  totalPnl: string;
  dayChange: string;
  dayChangePercent: string | null;
  byClass: Record<AssetClass, string>;
  byCurrency: { currency: string; value: string }[];
  /** Lines left out of a total because their price or rate is unknown. */
  incomplete: number;
}

/** Sums valued lines; a line with an unknown figure is left out of that total and counted. */
export function summarize(lines: readonly TotalsInput[]): Totals {
  let value = Decimal.ZERO;
  let cost = Decimal.ZERO;
  let unrealized = Decimal.ZERO;
  let realized = Decimal.ZERO;
  let income = Decimal.ZERO;
  let taxes = Decimal.ZERO;
  let fees = Decimal.ZERO;
  let day = Decimal.ZERO;
  let dayBase = Decimal.ZERO;
  let incomplete = 0;
  const byClass = Object.fromEntries(ASSET_CLASSES.map((c) => [c, Decimal.ZERO])) as Record<
    AssetClass,
    Decimal
  >;
  const byCurrency = new Map<string, Decimal>();

  for (const line of lines) {
    if (line.extraIncomeBase != null) income = income.plus(Decimal.of(line.extraIncomeBase));
    if (line.taxesBase !== null) taxes = taxes.plus(Decimal.of(line.taxesBase));
    if (line.feesBase !== null) fees = fees.plus(Decimal.of(line.feesBase));
    const v = line.valued;
    if (v === null) continue;
    let complete = true;
    const valueBase = decOrNull(v.valueBase);
    if (valueBase !== null) {
      value = value.plus(valueBase);
      byClass[line.assetClass] = byClass[line.assetClass].plus(valueBase);
      byCurrency.set(line.currency, (byCurrency.get(line.currency) ?? Decimal.ZERO).plus(valueBase));
      if (v.costBase !== null && v.unrealizedPnl !== null) {
        cost = cost.plus(Decimal.of(v.costBase));
        unrealized = unrealized.plus(Decimal.of(v.unrealizedPnl));
      } else complete = false;
      if (v.dayChange !== null) {
        const change = Decimal.of(v.dayChange);
        day = day.plus(change);
        dayBase = dayBase.plus(valueBase.minus(change));
      }
    } else complete = false;
    if (v.realizedPnl !== null) realized = realized.plus(Decimal.of(v.realizedPnl));
    if (v.incomeBase !== null) income = income.plus(Decimal.of(v.incomeBase));
    if (!complete) incomplete++;
  }
  income = income.round(2);
  taxes = taxes.round(2);
  fees = fees.round(2);
  realized = realized.round(2);
  return {
    value: value.toFixed(2),
    cost: cost.toFixed(2),
    unrealizedPnl: unrealized.toFixed(2),
    unrealizedPnlPercent: percent(unrealized, cost),
    realizedPnl: realized.toFixed(2),
    income: income.toFixed(2),
    taxes: taxes.toFixed(2),
    fees: fees.toFixed(2),
    totalPnl: unrealized.plus(realized).plus(income).minus(taxes).minus(fees).toFixed(2),
    dayChange: day.toFixed(2),
    dayChangePercent: percent(day, dayBase),
    byClass: Object.fromEntries(ASSET_CLASSES.map((c) => [c, byClass[c].toFixed(2)])) as Record<
      AssetClass,
      string
    >,
    byCurrency: [...byCurrency]
      .sort((a, b) => b[1].cmp(a[1]))
      .map(([currency, v]) => ({ currency, value: v.toFixed(2) })),
    incomplete,
  };
}
