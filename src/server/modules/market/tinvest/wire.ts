/**
 * T-Invest REST (gRPC-JSON transcoding) messages as they travel, per `tinvest-api.md` (contracts
 * v1.43): lowerCamelCase names, int64 as strings, enums as names; an unset message is left out or
 * comes as `null` (both occur over REST).
 * Only the fields we read or the fake writes are listed. Responses are never trusted to match these
 * types: `reader.ts` checks their shape; the types document the protocol and type the fake.
 */

export type TinvestService =
  'InstrumentsService' | 'MarketDataService' | 'OperationsService' | 'UsersService';

export const PACKAGE = 'tinkoff.public.invest.api.contract.v1';

export interface WireQuotation {
  /** int64: a string on output; input may also be a number. */
  units: string;
  /** int32, same sign as units, |nano| < 1e9. */
  nano: number;
}

export interface WireMoneyValue extends WireQuotation {
  /** ISO code, usually lower-case. */
  currency: string;
}

/** RFC 3339 UTC. */
export type WireTimestamp = string;

export interface WireErrorBody {
  /** gRPC status code. */
  code: number;
  message: string;
  /** The 5-digit T-Invest code: an integer per openapi; some gateways send it as a string. */
  description: string | number;
}

export type WireInstrumentIdType =
  | 'INSTRUMENT_ID_UNSPECIFIED'
  | 'INSTRUMENT_ID_TYPE_FIGI'
  | 'INSTRUMENT_ID_TYPE_TICKER'
  | 'INSTRUMENT_ID_TYPE_UID'
  | 'INSTRUMENT_ID_TYPE_POSITION_UID';

export type WireInstrumentStatus =
  'INSTRUMENT_STATUS_UNSPECIFIED' | 'INSTRUMENT_STATUS_BASE' | 'INSTRUMENT_STATUS_ALL';

export type WireCandleInterval =
  | 'CANDLE_INTERVAL_5_SEC'
  | 'CANDLE_INTERVAL_10_SEC'
  | 'CANDLE_INTERVAL_30_SEC'
  | 'CANDLE_INTERVAL_1_MIN'
  | 'CANDLE_INTERVAL_2_MIN'
  | 'CANDLE_INTERVAL_3_MIN'
  | 'CANDLE_INTERVAL_5_MIN'
  | 'CANDLE_INTERVAL_10_MIN'
  | 'CANDLE_INTERVAL_15_MIN'
  | 'CANDLE_INTERVAL_30_MIN'
  | 'CANDLE_INTERVAL_HOUR'
  | 'CANDLE_INTERVAL_2_HOUR'
  | 'CANDLE_INTERVAL_4_HOUR'
  | 'CANDLE_INTERVAL_DAY'
  | 'CANDLE_INTERVAL_WEEK'
  | 'CANDLE_INTERVAL_MONTH';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Longest `to - from` we ask GetCandles for per interval (30014 beyond). The documented maxima are
 * "approximate, may be larger", so "3 months" is taken at its shortest (89 days: February to
 * April), and daily candles at one year per request, the cap the market-data docs state although
 * the contract allows six. Every range also stays within the per-interval candle `limit`, so no
 * `limit` is sent.
 */
export const CANDLE_MAX_RANGE_MS: Readonly<Record<WireCandleInterval, number>> = {
  CANDLE_INTERVAL_5_SEC: 200 * MINUTE,
  CANDLE_INTERVAL_10_SEC: 200 * MINUTE,
  CANDLE_INTERVAL_30_SEC: 20 * HOUR,
  CANDLE_INTERVAL_1_MIN: DAY,
  CANDLE_INTERVAL_2_MIN: DAY,
  CANDLE_INTERVAL_3_MIN: DAY,
  CANDLE_INTERVAL_5_MIN: 7 * DAY,
  CANDLE_INTERVAL_10_MIN: 7 * DAY,
  CANDLE_INTERVAL_15_MIN: 21 * DAY,
  CANDLE_INTERVAL_30_MIN: 21 * DAY,
  CANDLE_INTERVAL_HOUR: 89 * DAY,
  CANDLE_INTERVAL_2_HOUR: 89 * DAY,
  CANDLE_INTERVAL_4_HOUR: 89 * DAY,
  CANDLE_INTERVAL_DAY: 365 * DAY,
  CANDLE_INTERVAL_WEEK: 5 * 365 * DAY,
  CANDLE_INTERVAL_MONTH: 10 * 365 * DAY,
};

/**
 * Ids per GetLastPrices call. The API documents no batch size (30218 caps a list at 3000); 100 keeps
 * one answer small. An empty list would return every instrument's price, so none is ever sent.
 */
export const LAST_PRICES_BATCH_LIMIT = 100;

/** Where candles come from: exchange sessions only, or dealer weekend trading mixed in. */
export type WireCandleSource =
  'CANDLE_SOURCE_UNSPECIFIED' | 'CANDLE_SOURCE_EXCHANGE' | 'CANDLE_SOURCE_INCLUDE_WEEKEND';

export type WireLastPriceType = 'LAST_PRICE_UNSPECIFIED' | 'LAST_PRICE_EXCHANGE' | 'LAST_PRICE_DEALER';

/** GetOperationsByCursor's largest page (30069 beyond). */
export const OPERATIONS_PAGE_LIMIT = 1000;

/** Fields common to Share, Bond, Etf, Currency and Instrument. */
export interface WireInstrumentCommon {
  figi: string;
  ticker: string;
  classCode: string;
  isin: string;
  lot: number;
  currency: string;
  name: string;
  exchange: string;
  countryOfRisk: string;
  tradingStatus: string;
  minPriceIncrement?: WireQuotation;
  apiTradeAvailableFlag: boolean;
  buyAvailableFlag: boolean;
  sellAvailableFlag: boolean;
  uid: string;
  positionUid: string;
  realExchange: string;
  forIisFlag: boolean;
  forQualInvestorFlag: boolean;
  first1minCandleDate?: WireTimestamp;
  first1dayCandleDate?: WireTimestamp;
}

export interface WireShare extends WireInstrumentCommon {
  assetUid: string;
  sector: string;
  nominal?: WireMoneyValue;
  issueSize: string;
  divYieldFlag: boolean;
  shareType: string;
}

export interface WireBond extends WireInstrumentCommon {
  assetUid: string;
  couponQuantityPerYear: number;
  maturityDate?: WireTimestamp;
  nominal?: WireMoneyValue;
  initialNominal?: WireMoneyValue;
  placementDate?: WireTimestamp;
  aciValue?: WireMoneyValue;
  sector: string;
  issueSize: string;
  floatingCouponFlag: boolean;
  perpetualFlag: boolean;
  amortizationFlag: boolean;
  riskLevel: string;
}

export interface WireEtf extends WireInstrumentCommon {
  assetUid: string;
  focusType: string;
  fixedCommission?: WireQuotation;
}

export interface WireCurrency extends WireInstrumentCommon {
  nominal?: WireMoneyValue;
  isoCurrencyName: string;
}

export interface WireInstrument extends WireInstrumentCommon {
  assetUid: string;
  instrumentType: string;
  instrumentKind: string;
}

export interface WireInstrumentShort {
  isin: string;
  figi: string;
  ticker: string;
  classCode: string;
  instrumentType: string;
  name: string;
  uid: string;
  positionUid: string;
  instrumentKind: string;
  apiTradeAvailableFlag: boolean;
  forIisFlag: boolean;
  forQualInvestorFlag: boolean;
  weekendFlag: boolean;
  blockedTcaFlag: boolean;
  lot: number;
  first1minCandleDate?: WireTimestamp;
  first1dayCandleDate?: WireTimestamp;
}

export interface WireInstrumentRequest {
  idType: WireInstrumentIdType;
  classCode?: string;
  id: string;
}

export interface WireLastPrice {
  figi: string;
  price?: WireQuotation | null;
  time?: WireTimestamp | null;
  ticker: string;
  classCode: string;
  instrumentUid: string;
  lastPriceType: string;
}

export interface WireHistoricCandle {
  open?: WireQuotation;
  high?: WireQuotation;
  low?: WireQuotation;
  close?: WireQuotation;
  volume: string;
  time?: WireTimestamp;
  isComplete: boolean;
  candleSource: string;
  volumeBuy: string;
  volumeSell: string;
}

export interface WireAccruedInterest {
  date?: WireTimestamp;
  value?: WireQuotation;
  valuePercent?: WireQuotation;
  nominal?: WireQuotation;
}

export interface WireCoupon {
  figi: string;
  couponDate?: WireTimestamp;
  couponNumber: string;
  fixDate?: WireTimestamp;
  payOneBond?: WireMoneyValue;
  couponType: string;
  couponStartDate?: WireTimestamp;
  couponEndDate?: WireTimestamp;
  couponPeriod: number;
}

export interface WireDividend {
  dividendNet?: WireMoneyValue;
  paymentDate?: WireTimestamp;
  declaredDate?: WireTimestamp;
  lastBuyDate?: WireTimestamp;
  dividendType: string;
  recordDate?: WireTimestamp;
  regularity: string;
  closePrice?: WireMoneyValue;
  yieldValue?: WireQuotation;
  createdAt?: WireTimestamp;
}

export interface WireAccount {
  id: string;
  type: string;
  name: string;
  status: string;
  openedDate?: WireTimestamp;
  closedDate?: WireTimestamp | null;
  accessLevel: string;
}

export interface WirePortfolioPosition {
  figi: string;
  instrumentType: string;
  instrumentUid: string;
  positionUid: string;
  ticker: string;
  classCode: string;
  quantity?: WireQuotation;
  averagePositionPrice?: WireMoneyValue;
  averagePositionPriceFifo?: WireMoneyValue;
  currentPrice?: WireMoneyValue;
  currentNkd?: WireMoneyValue | null;
  expectedYield?: WireQuotation;
  expectedYieldFifo?: WireQuotation;
  quantityLots?: WireQuotation;
  blockedLots?: WireQuotation;
  dailyYield?: WireMoneyValue;
  blocked: boolean;
}

export interface WirePortfolioResponse {
  totalAmountShares?: WireMoneyValue;
  totalAmountBonds?: WireMoneyValue;
  totalAmountEtf?: WireMoneyValue;
  totalAmountCurrencies?: WireMoneyValue;
  totalAmountFutures?: WireMoneyValue;
  totalAmountOptions?: WireMoneyValue;
  totalAmountSp?: WireMoneyValue;
  totalAmountPortfolio?: WireMoneyValue;
  expectedYield?: WireQuotation;
  positions: WirePortfolioPosition[];
  accountId: string;
  virtualPositions: unknown[];
  dailyYield?: WireMoneyValue;
  dailyYieldRelative?: WireQuotation;
}

export interface WirePositionsSecurities {
  figi: string;
  instrumentUid: string;
  positionUid: string;
  ticker: string;
  classCode: string;
  instrumentType: string;
  balance: string;
  blocked: string;
  exchangeBlocked: boolean;
}

export interface WirePositionsResponse {
  money: WireMoneyValue[];
  blocked: WireMoneyValue[];
  securities: WirePositionsSecurities[];
  limitsLoadingInProgress: boolean;
  futures: unknown[];
  options: unknown[];
  accountId: string;
}

export interface WireOperationItem {
  cursor: string;
  brokerAccountId: string;
  id: string;
  parentOperationId: string;
  name: string;
  date?: WireTimestamp;
  type: string;
  description: string;
  state: string;
  instrumentUid: string;
  figi: string;
  instrumentType: string;
  instrumentKind: string;
  positionUid: string;
  ticker: string;
  classCode: string;
  payment?: WireMoneyValue;
  price?: WireMoneyValue | null;
  commission?: WireMoneyValue | null;
  yield?: WireMoneyValue | null;
  yieldRelative?: WireQuotation | null;
  accruedInt?: WireMoneyValue | null;
  /** Ordered pieces; payouts (dividends, coupons, taxes, redemptions) carry none. */
  quantity: string;
  quantityRest: string;
  /** Executed pieces: an executed operation may be filled only partly. */
  quantityDone: string;
  cancelDateTime?: WireTimestamp | null;
  cancelReason: string;
  tradesInfo?: { trades: WireOperationTrade[] } | null;
  assetUid: string;
  childOperations: unknown[];
}

export interface WireOperationTrade {
  /** The exchange's trade number: stable, unlike the operation id. */
  num: string;
  date?: WireTimestamp;
  quantity: string;
  price?: WireMoneyValue | null;
}

export interface WireGetOperationsByCursorRequest {
  accountId: string;
  instrumentId?: string;
  from?: WireTimestamp;
  to?: WireTimestamp;
  cursor?: string;
  limit?: number;
  operationTypes?: string[];
  state?: string;
  withoutCommissions?: boolean;
  withoutTrades?: boolean;
  withoutOvernights?: boolean;
}

export interface WireGetOperationsByCursorResponse {
  hasNext: boolean;
  nextCursor: string;
  items: WireOperationItem[];
}
