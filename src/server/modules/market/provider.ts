/**
 * The market-data boundary of the app: instruments, quotes, candles, corporate actions and broker
 * accounts, in our own domain terms. Implementations: the T-Invest REST client (`tinvest/`) and
 * MOEX ISS (`moex/`, market data only); nothing outside this module sees their wire shapes.
 *
 * Conventions:
 * - Amounts and prices are exact decimal strings ("114.25", "-0.01"), never JS numbers.
 * - Currency codes are upper-case ISO 4217 ("RUB", "USD"); "" when the upstream left it empty.
 * - Times are `Date`s (UTC instants).
 * - Quantities are decimal strings in pieces (not lots), except candle volume, which the exchange
 *   counts in lots.
 */

export type InstrumentKind = 'share' | 'bond' | 'etf' | 'currency' | 'futures' | 'option' | 'sp' | 'other';

/** The kinds whose full catalogue can be listed. */
export type ListableInstrumentKind = 'share' | 'bond' | 'etf' | 'currency';

export interface Money {
  amount: string;
  currency: string;
}

/** What a search returns: enough to pick an instrument, not enough to value it. */
export interface InstrumentSummary {
  uid: string;
  figi: string;
  ticker: string;
  classCode: string;
  isin: string;
  name: string;
  kind: InstrumentKind;
  lot: number;
  /** Whether it can be traded through the API (T-Invest "apiTradeAvailableFlag"). */
  tradable: boolean;
}

export interface Instrument extends InstrumentSummary {
  /** Settlement currency. */
  currency: string;
  /** Price step; for bonds in percentage points of the nominal. */
  minPriceIncrement: string | null;
  /**
   * Bonds: the current nominal (shrinks with amortization); currencies: how many units one quote is
   * for (not always 1, e.g. JPY). Null where it does not apply or is unknown.
   */
  nominal: Money | null;
  /** Bonds only: accrued coupon interest (НКД) per bond as of today. */
  aciValue: Money | null;
  /** Bonds only. */
  maturityDate: Date | null;
  /** Bonds only. */
  couponsPerYear: number | null;
  /** Where daily candle history starts. */
  firstDayCandleDate: Date | null;
}

/** Bond prices are in % of the nominal; everything else is per 1 piece in the instrument currency. */
export interface LastPrice {
  instrumentUid: string;
  price: string;
  time: Date;
}

export type CandleInterval =
  | '5sec'
  | '10sec'
  | '30sec'
  | '1min'
  | '2min'
  | '3min'
  | '5min'
  | '10min'
  | '15min'
  | '30min'
  | '1hour'
  | '2hour'
  | '4hour'
  | 'day'
  | 'week'
  | 'month';

export interface Candle {
  /** Open time of the candle. */
  time: Date;
  open: string;
  high: string;
  low: string;
  close: string;
  /** In lots. */
  volume: string;
}

export interface AccruedInterest {
  date: Date;
  /** Per bond, in the bond's currency. */
  value: string;
  /** In % of the nominal. */
  valuePercent: string;
  nominal: string;
}

export interface Coupon {
  instrumentUid: string;
  number: number;
  couponDate: Date | null;
  /** Record date. */
  fixDate: Date | null;
  /** Null for future floating coupons that are not fixed yet. */
  amountPerBond: Money | null;
  type: 'constant' | 'floating' | 'discount' | 'mortgage' | 'fix' | 'variable' | 'other';
  periodStart: Date | null;
  periodEnd: Date | null;
  periodDays: number;
}

/** A scheduled repayment of part of a bond's face value (not the final redemption). */
export interface Amortization {
  instrumentUid: string;
  date: Date;
  /** Per bond, in the face value's currency. */
  amountPerBond: Money;
}

export interface Dividend {
  instrumentUid: string;
  /** Per share, after the issuer's withholding. Null when not announced. */
  netPerShare: Money | null;
  declaredDate: Date | null;
  /** Last day to buy and still receive it (inclusive). */
  lastBuyDate: Date | null;
  recordDate: Date | null;
  paymentDate: Date | null;
  /** Upstream text, e.g. "Regular Cash", "Cancelled". */
  dividendType: string;
  regularity: string;
  closePrice: Money | null;
  yieldPercent: string | null;
}

export interface BrokerAccount {
  id: string;
  name: string;
  type: 'broker' | 'iis' | 'invest_box' | 'invest_fund' | 'other';
  status: 'new' | 'open' | 'closed' | 'other';
  accessLevel: 'full' | 'read_only' | 'none' | 'unknown';
  openedDate: Date | null;
  closedDate: Date | null;
}

export interface PortfolioPosition {
  instrumentUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  kind: InstrumentKind;
  /** Pieces; currency positions hold the cash amount (may be fractional). */
  quantity: string;
  /** Per piece, clean (without НКД). */
  averagePrice: Money | null;
  /** Per piece in currency (for bonds: money per bond, not %). */
  currentPrice: Money | null;
  /** Bonds: НКД per bond. */
  currentAci: Money | null;
  /** Unrealised P/L in the instrument currency. */
  expectedYield: string | null;
  blocked: boolean;
}

export interface Portfolio {
  accountId: string;
  /** Totals are in the currency the portfolio was requested in (RUB). */
  totalValue: Money | null;
  totalShares: Money | null;
  totalBonds: Money | null;
  totalEtfs: Money | null;
  totalCurrencies: Money | null;
  /** Relative yield of the whole portfolio in %. */
  expectedYieldPercent: string | null;
  positions: PortfolioPosition[];
}

export interface SecurityBalance {
  instrumentUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  kind: InstrumentKind;
  /** Unblocked pieces. */
  balance: string;
  /** Pieces reserved by open orders. */
  blocked: string;
}

export interface Positions {
  accountId: string;
  /** Available cash per currency. */
  money: Money[];
  /** Cash reserved by open orders. */
  blockedMoney: Money[];
  securities: SecurityBalance[];
}

export type OperationType =
  | 'buy'
  | 'sell'
  | 'dividend'
  | 'coupon'
  /** Part of the nominal repaid (amortisation). */
  | 'bond_redemption'
  /** The bond repaid in full; the operation may not say how many bonds. */
  | 'bond_redemption_full'
  | 'fee'
  | 'tax'
  | 'deposit'
  | 'withdrawal'
  /** Securities credited without payment (from another broker or account). */
  | 'transfer_in'
  /** Securities delivered out without payment. */
  | 'transfer_out'
  /** Securities moved from an IIS to a brokerage account: out of the one, into the other. */
  | 'iis_transfer'
  /** Other cash credited or charged (signed): overnight income, variation margin. */
  | 'income'
  /** An option or future expired: the position closes; the operation may not say how many. */
  | 'expiration'
  | 'other';

export interface Operation {
  /** The broker's id: it may change over time, so it cannot tell alone whether one was seen. */
  id: string;
  accountId: string;
  /** The operation this one belongs to, e.g. the trade a fee or the dividend a tax was charged on. */
  parentId: string | null;
  type: OperationType;
  /** The upstream type name, kept because `other` covers dozens of them. */
  upstreamType: string;
  state: 'executed' | 'canceled' | 'in_progress' | 'unknown';
  /** Null for cash-only operations. */
  instrumentUid: string | null;
  figi: string;
  ticker: string;
  date: Date;
  /**
   * Executed pieces, never negative ("0" for cash-only operations and payouts, which carry none):
   * an order may be filled only partly.
   */
  quantity: string;
  /** Exchange trade numbers of a trade: unlike `id`, they never change. */
  tradeNums: string[];
  /** Per piece; null when the operation has no price. */
  price: Money | null;
  /** Signed cash flow: negative is money leaving the account. */
  payment: Money;
  /**
   * Broker commission of a trade (negative). T-Invest also reports it as a separate `fee` operation
   * whose `parentId` is this trade: count one or the other, not both.
   */
  commission: Money | null;
  /** Bonds: НКД paid (negative) or received with a trade. */
  accruedInterest: Money | null;
  currency: string;
  description: string;
}

export interface OperationsQuery {
  from?: Date;
  to?: Date;
  /** Only operations on this instrument. */
  instrumentUid?: string;
}

export interface MarketDataProvider {
  /** The candle intervals it has, when not all of them (getCandles refuses the others). */
  readonly candleIntervals?: readonly CandleInterval[];
  /** The whole catalogue of one kind that is tradable through the API. Large: cache it. */
  listInstruments(kind: ListableInstrumentKind, token?: string): Promise<Instrument[]>;
  /** Matches ticker, ISIN, FIGI or name. */
  findInstruments(query: string, token?: string): Promise<InstrumentSummary[]>;
  /** Full details, including nominal and НКД for bonds. Throws NOT_FOUND for an unknown uid. */
  getInstrument(uid: string, token?: string): Promise<Instrument>;
  /** Exchange prices; instruments without a known price are absent from the result. */
  getLastPrices(uids: readonly string[], token?: string): Promise<LastPrice[]>;
  /** Exchange candles (no dealer weekend ones) with open time in [from, to), oldest first. */
  getCandles(uid: string, from: Date, to: Date, interval: CandleInterval, token?: string): Promise<Candle[]>;
  /** Daily НКД per bond for [from, to]. */
  getAccruedInterests(uid: string, from: Date, to: Date, token?: string): Promise<AccruedInterest[]>;
  getBondCoupons(uid: string, from?: Date, to?: Date, token?: string): Promise<Coupon[]>;
  /** Where the provider publishes the schedule (MOEX ISS bondization); the final redemption is left out. */
  getBondAmortizations?(uid: string, token?: string): Promise<Amortization[]>;
  getDividends(uid: string, from?: Date, to?: Date, token?: string): Promise<Dividend[]>;

  // Account-scoped: always the user's own token, never the server's.
  getAccounts(userToken: string): Promise<BrokerAccount[]>;
  getPortfolio(userToken: string, accountId: string): Promise<Portfolio>;
  getPositions(userToken: string, accountId: string): Promise<Positions>;
  /** All operations matching the query, following the cursor to the end, oldest first. */
  getOperationsByCursor(userToken: string, accountId: string, query?: OperationsQuery): Promise<Operation[]>;
}

export type MarketDataErrorCode =
  /** No token configured for market data (the app then uses manual prices). */
  | 'TOKEN_MISSING'
  /** The token is unknown, revoked or expired: the user has to issue a new one. */
  | 'TOKEN_INVALID'
  /** The token lacks rights for this call or this account. */
  | 'NO_PERMISSION'
  | 'NOT_FOUND'
  /** The upstream rejected our request as malformed (a bug on our side or unsupported input). */
  | 'INVALID_REQUEST'
  | 'RATE_LIMITED'
  /** 5xx, timeouts, network failures: worth trying again later. */
  | 'UPSTREAM_UNAVAILABLE'
  /** The upstream answered something we cannot trust: wrong shape, too large, a redirect. */
  | 'UPSTREAM_BAD_RESPONSE';

export interface MarketDataErrorDetails {
  /** The upstream's own error code, e.g. "40003". */
  upstreamCode?: string;
  upstreamMessage?: string;
  httpStatus?: number;
  /** Upstream request id; support asks for it. */
  trackingId?: string;
  /** "Service/Method" that failed. */
  operation?: string;
}

/** Messages never contain a token, so the error can be logged and shown as is. */
export class MarketDataError extends Error {
  override readonly name = 'MarketDataError';
  readonly upstreamCode: string | undefined;
  readonly upstreamMessage: string | undefined;
  readonly httpStatus: number | undefined;
  readonly trackingId: string | undefined;
  readonly operation: string | undefined;

  constructor(
    readonly code: MarketDataErrorCode,
    message: string,
    details: MarketDataErrorDetails = {},
  ) {
    super(message);
    this.upstreamCode = details.upstreamCode;
    this.upstreamMessage = details.upstreamMessage;
    this.httpStatus = details.httpStatus;
    this.trackingId = details.trackingId;
    this.operation = details.operation;
  }

  /** Worth retrying later without changing anything. */
  get transient(): boolean {
    return this.code === 'RATE_LIMITED' || this.code === 'UPSTREAM_UNAVAILABLE';
  }
}
