/**
 * A fake T-Invest REST server speaking the real protocol (see /work/shared/tinvest-api.md) over
 * real HTTP: `POST /rest/tinkoff.public.invest.api.contract.v1.{Service}/{Method}`, proto3 JSON
 * (int64 as strings, enums as names, Quotation/MoneyValue), Bearer tokens, x-tracking-id and
 * x-ratelimit-* headers, error bodies `{code, message, description}`.
 *
 * It is as untidy as the real API (corrections at the top of tinvest-api.md):
 * - executed orders filled only partly (`quantity` ordered, `quantityDone` executed);
 * - operation ids that change: `renumber()` gives every operation a new id, some of them ids other
 *   operations had before;
 * - payouts, taxes and bond redemptions without a quantity; unset message fields as `null`;
 * - securities moved in and out (INPUT/OUTPUT_SECURITIES, TRANS_IIS_BS, TRANS_BS_BS), overnight
 *   income, dividend transfers, variation margin, option and future expirations;
 * - dealer weekend candles (and dealer last prices) unless the exchange source is asked for;
 * - error `description` as an integer; request limits counted per user, across all their tokens;
 * - a `drop` fault that cuts the connection in the middle of an answer.
 *
 * Tests drive it through the returned object (fault injection, prices, rate limits, a call log).
 * Standalone, it is an offline demo data source:
 *   npx tsx test/fakes/tinvest-server.ts --port 9999
 */
import type { Decimal } from '../../src/common/decimal.js';
import { dec } from '../../src/common/decimal.js';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { decimalToQuotation } from '../../src/server/modules/market/tinvest/quotation.js';
import type {
  WireAccount,
  WireAccruedInterest,
  WireBond,
  WireCoupon,
  WireCurrency,
  WireDividend,
  WireEtf,
  WireHistoricCandle,
  WireInstrument,
  WireInstrumentCommon,
  WireInstrumentShort,
  WireLastPrice,
  WireMoneyValue,
  WireOperationItem,
  WirePortfolioPosition,
  WirePortfolioResponse,
  WirePositionsResponse,
  WireQuotation,
  WireShare,
} from '../../src/server/modules/market/tinvest/wire.js';

export const FAKE_DEMO_TOKEN = 't.fake-demo-token';
/** An account-scoped token: sees only the broker account, gets 40002 for the other one. */
export const FAKE_LIMITED_TOKEN = 't.fake-limited-token';
export const FAKE_BROKER_ACCOUNT_ID = '2000100001';
export const FAKE_IIS_ACCOUNT_ID = '2000100002';
/** The T-Invest user behind the demo and the account-scoped token: limits are counted per user. */
export const FAKE_USER_ID = 'fake-user';

const PREFIX = '/rest/tinkoff.public.invest.api.contract.v1.';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Operations are generated up to this instant so the data set does not change from day to day. */
const HISTORY_END = Date.parse('2025-10-31T00:00:00Z');

// ------------------------------------------------------------------------------------------------
// Data set

type Kind = 'share' | 'bond' | 'etf' | 'currency' | 'futures' | 'option';

interface DividendSpec {
  record: string;
  payment: string;
  declared: string;
  /** Per share in the instrument currency; "0" with type Cancelled for a skipped payout. */
  net: string;
  type?: string;
}

interface FakeInstrument {
  kind: Kind;
  uid: string;
  positionUid: string;
  assetUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  isin: string;
  name: string;
  lot: number;
  currency: string;
  /** Last price per piece; bonds in % of nominal; currencies in RUB. */
  price: string;
  step: string;
  tradable: boolean;
  firstDay: string;
  // Bonds
  nominal?: string;
  couponsPerYear?: number;
  /** Per bond and period. */
  coupon?: string;
  floating?: boolean;
  placement?: string;
  maturity?: string;
  sector?: string;
  // Shares
  dividends?: DividendSpec[];
  // Currencies
  iso?: string;
  /** Never traded lately: GetLastPrices answers it with `price: null`. */
  noLastPrice?: true;
}

/** Stable uuid-shaped ids, so demo data survives restarts. */
function fakeUid(seed: string): string {
  const h = createHash('sha1').update(`fake-tinvest:${seed}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type InstrumentSeed = Omit<FakeInstrument, 'uid' | 'positionUid' | 'assetUid'> & { uid?: string };

const SEEDS: InstrumentSeed[] = [
  // Shares
  {
    kind: 'share',
    uid: 'e6123145-9665-43e0-8413-cd61b8aa9b13',
    figi: 'BBG004730N88',
    ticker: 'SBER',
    classCode: 'TQBR',
    isin: 'RU0009029540',
    name: 'Сбер Банк',
    lot: 10,
    currency: 'rub',
    price: '285.5',
    step: '0.01',
    tradable: true,
    firstDay: '2007-07-20',
    sector: 'financial',
    dividends: [
      { declared: '2024-04-19', record: '2024-07-11', payment: '2024-07-19', net: '33.3' },
      { declared: '2025-04-28', record: '2025-07-18', payment: '2025-07-21', net: '34.84' },
    ],
  },
  {
    kind: 'share',
    figi: 'BBG004730RP0',
    ticker: 'GAZP',
    classCode: 'TQBR',
    isin: 'RU0007661625',
    name: 'Газпром',
    lot: 10,
    currency: 'rub',
    price: '128.4',
    step: '0.01',
    tradable: true,
    firstDay: '2006-01-23',
    sector: 'energy',
    dividends: [
      { declared: '2024-06-28', record: '2024-07-18', payment: '2024-07-31', net: '0', type: 'Cancelled' },
    ],
  },
  {
    kind: 'share',
    figi: 'BBG004731032',
    ticker: 'LKOH',
    classCode: 'TQBR',
    isin: 'RU0009024277',
    name: 'ЛУКОЙЛ',
    lot: 1,
    currency: 'rub',
    price: '6850.5',
    step: '0.5',
    tradable: true,
    firstDay: '2006-01-23',
    sector: 'energy',
    dividends: [
      { declared: '2024-11-22', record: '2024-12-17', payment: '2025-01-10', net: '514' },
      { declared: '2025-04-24', record: '2025-06-03', payment: '2025-06-25', net: '541' },
    ],
  },
  {
    kind: 'share',
    figi: 'TCS00A107T19',
    ticker: 'YDEX',
    classCode: 'TQBR',
    isin: 'RU000A107T19',
    name: 'Яндекс',
    lot: 1,
    currency: 'rub',
    price: '4120',
    step: '0.5',
    tradable: true,
    firstDay: '2024-07-24',
    sector: 'it',
    dividends: [{ declared: '2025-04-28', record: '2025-07-07', payment: '2025-07-21', net: '80' }],
  },
  {
    kind: 'share',
    figi: 'TCS80A107UL4',
    ticker: 'TCSG',
    classCode: 'TQBR',
    isin: 'RU000A107UL4',
    name: 'Т-Технологии',
    lot: 1,
    currency: 'rub',
    price: '3150.2',
    step: '0.2',
    tradable: true,
    firstDay: '2019-10-28',
    sector: 'financial',
    dividends: [],
  },
  {
    kind: 'share',
    figi: 'BBG000B9XRY4',
    ticker: 'AAPL',
    classCode: 'SPBXM',
    isin: 'US0378331005',
    name: 'Apple',
    lot: 1,
    currency: 'usd',
    price: '227.35',
    step: '0.01',
    tradable: true,
    firstDay: '2015-01-05',
    sector: 'it',
    dividends: [
      { declared: '2024-05-02', record: '2024-05-13', payment: '2024-05-16', net: '0.25' },
      { declared: '2024-08-01', record: '2024-08-12', payment: '2024-08-15', net: '0.25' },
      { declared: '2024-10-31', record: '2024-11-11', payment: '2024-11-14', net: '0.25' },
      { declared: '2025-01-30', record: '2025-02-10', payment: '2025-02-13', net: '0.25' },
      { declared: '2025-05-01', record: '2025-05-12', payment: '2025-05-15', net: '0.26' },
      { declared: '2025-07-31', record: '2025-08-11', payment: '2025-08-14', net: '0.26' },
    ],
  },
  // Bonds: nominal 1000 RUB, price in % of nominal.
  {
    kind: 'bond',
    figi: 'TCS00A1038V6',
    ticker: 'SU26238RMFS4',
    classCode: 'TQOB',
    isin: 'RU000A1038V6',
    name: 'ОФЗ 26238',
    lot: 1,
    currency: 'rub',
    price: '58.123',
    step: '0.001',
    tradable: true,
    firstDay: '2021-06-16',
    nominal: '1000',
    couponsPerYear: 2,
    coupon: '35.4',
    placement: '2021-06-16',
    maturity: '2041-05-15',
    sector: 'government',
  },
  {
    kind: 'bond',
    figi: 'TCS00A108EF8',
    ticker: 'SU26243RMFS4',
    classCode: 'TQOB',
    isin: 'RU000A108EF8',
    name: 'ОФЗ 26243',
    lot: 1,
    currency: 'rub',
    price: '72.45',
    step: '0.001',
    tradable: true,
    firstDay: '2023-06-21',
    nominal: '1000',
    couponsPerYear: 2,
    coupon: '48.87',
    placement: '2023-06-21',
    maturity: '2038-05-19',
    sector: 'government',
  },
  {
    kind: 'bond',
    figi: 'TCS00A1002S8',
    ticker: 'SU26222RMFS8',
    classCode: 'TQOB',
    isin: 'RU000A0ZYU88',
    name: 'ОФЗ 26222',
    lot: 1,
    currency: 'rub',
    price: '100',
    step: '0.001',
    tradable: false,
    firstDay: '2017-10-25',
    nominal: '1000',
    couponsPerYear: 2,
    coupon: '35.4',
    placement: '2017-10-25',
    maturity: '2024-10-16',
    sector: 'government',
  },
  {
    kind: 'bond',
    figi: 'TCS00A107RM8',
    ticker: 'RU000A107RM8',
    classCode: 'TQCB',
    isin: 'RU000A107RM8',
    name: 'МТС 001P-26',
    lot: 1,
    currency: 'rub',
    price: '98.7',
    step: '0.01',
    tradable: true,
    firstDay: '2024-01-18',
    nominal: '1000',
    couponsPerYear: 4,
    coupon: '31.16',
    floating: true,
    placement: '2024-01-18',
    maturity: '2027-01-14',
    sector: 'telecom',
  },
  {
    kind: 'bond',
    figi: 'TCS00A106375',
    ticker: 'RU000A106375',
    classCode: 'TQCB',
    isin: 'RU000A106375',
    name: 'РЖД 001P-26R',
    lot: 1,
    currency: 'rub',
    price: '91.2',
    step: '0.01',
    tradable: true,
    firstDay: '2023-03-23',
    nominal: '1000',
    couponsPerYear: 2,
    coupon: '42.38',
    placement: '2023-03-23',
    maturity: '2029-03-15',
    sector: 'industrials',
  },
  // ETFs
  {
    kind: 'etf',
    figi: 'BBG333333333',
    ticker: 'TMOS',
    classCode: 'TQTF',
    isin: 'RU000A101X76',
    name: 'Т-Капитал Индекс МосБиржи',
    lot: 1,
    currency: 'rub',
    price: '6.78',
    step: '0.01',
    tradable: true,
    firstDay: '2020-08-05',
    sector: 'equity',
  },
  {
    kind: 'etf',
    figi: 'TCS10A101X50',
    ticker: 'TGLD',
    classCode: 'TQTF',
    isin: 'RU000A101X50',
    name: 'Т-Капитал Золото',
    lot: 1,
    currency: 'rub',
    price: '11.02',
    step: '0.01',
    tradable: true,
    firstDay: '2020-08-05',
    sector: 'commodity',
  },
  {
    kind: 'etf',
    figi: 'BBG00302ZH74',
    ticker: 'FXUS',
    classCode: 'TQTD',
    isin: 'IE00BD3QHZ91',
    name: 'FinEx Акции американских компаний',
    lot: 1,
    currency: 'usd',
    price: '0.742',
    step: '0.001',
    tradable: true,
    firstDay: '2013-10-31',
    sector: 'equity',
  },
  // Derivatives, expired within the history: a USD/RUB future (price in points) and a call option.
  {
    kind: 'futures',
    figi: 'FUTSI1224000',
    ticker: 'SiZ4',
    classCode: 'SPBFUT',
    isin: '',
    name: 'Si-12.24 Курс доллар - рубль',
    lot: 1,
    currency: 'rub',
    price: '101850',
    step: '1',
    tradable: false,
    firstDay: '2024-03-15',
  },
  {
    kind: 'option',
    figi: '',
    ticker: 'SR300CC5',
    classCode: 'SPBOPT',
    isin: '',
    name: 'SBER CALL 300 03.25',
    lot: 1,
    currency: 'rub',
    price: '12.5',
    step: '0.01',
    tradable: false,
    firstDay: '2024-12-02',
    noLastPrice: true,
  },
  // Currencies, priced in RUB.
  {
    kind: 'currency',
    figi: 'BBG0013HGFT4',
    ticker: 'USD000UTSTOM',
    classCode: 'CETS',
    isin: '',
    name: 'Доллар США',
    lot: 1,
    currency: 'rub',
    price: '81.235',
    step: '0.0025',
    tradable: true,
    firstDay: '2011-01-01',
    iso: 'usd',
  },
  {
    kind: 'currency',
    figi: 'BBG0013HJJ31',
    ticker: 'EUR_RUB__TOM',
    classCode: 'CETS',
    isin: '',
    name: 'Евро',
    lot: 1,
    currency: 'rub',
    price: '94.12',
    step: '0.0025',
    tradable: true,
    firstDay: '2011-01-01',
    iso: 'eur',
  },
  {
    kind: 'currency',
    figi: 'BBG0013HRTL0',
    ticker: 'CNYRUB_TOM',
    classCode: 'CETS',
    isin: '',
    name: 'Юань',
    lot: 1,
    currency: 'rub',
    price: '11.285',
    step: '0.0005',
    tradable: true,
    firstDay: '2015-11-09',
    iso: 'cny',
  },
  {
    kind: 'currency',
    figi: 'RUB000UTSTOM',
    ticker: 'RUB000UTSTOM',
    classCode: 'CETS',
    isin: '',
    name: 'Российский рубль',
    lot: 1,
    currency: 'rub',
    price: '1',
    step: '0.01',
    tradable: false,
    firstDay: '2011-01-01',
    iso: 'rub',
  },
];

const INSTRUMENTS: readonly FakeInstrument[] = SEEDS.map((seed) => {
  const uid = seed.uid ?? fakeUid(seed.ticker);
  return {
    ...seed,
    uid,
    positionUid: fakeUid(`position:${seed.ticker}`),
    assetUid: fakeUid(`asset:${seed.ticker}`),
  };
});

function byTicker(ticker: string): FakeInstrument {
  const found = INSTRUMENTS.find((i) => i.ticker === ticker);
  if (found === undefined) throw new Error(`fake data set has no ${ticker}`);
  return found;
}

/** The RUB-priced currency instrument for an ISO code: cash positions show up as these. */
function currencyInstrument(iso: string): FakeInstrument | undefined {
  return INSTRUMENTS.find((i) => i.kind === 'currency' && i.iso === iso);
}

// ------------------------------------------------------------------------------------------------
// Wire helpers

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly grpcCode: number,
    readonly description: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (description: string, message: string) => new ApiError(400, 3, description, message);
const instrumentNotFound = () => new ApiError(404, 5, '50002', 'instrument not found');

function q(value: Decimal | string | number): WireQuotation {
  return decimalToQuotation(dec(value).round(9, 'half-up').toFixed());
}

function mv(value: Decimal | string | number, currency: string): WireMoneyValue {
  return { currency, ...q(value) };
}

function ts(ms: number): string {
  return new Date(ms).toISOString();
}

function day(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function round2(value: Decimal): Decimal {
  return value.round(2, 'half-up');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid('30001', `${key} must be a string`);
  return value;
}

function stringList(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalid('30001', `${key} must be a list of strings`);
  }
  return value;
}

/** Proto3 JSON timestamps within the range the API allows. */
function optTime(body: Record<string, unknown>, key: string, invalidCode: string): number | undefined {
  const value = optString(body, key);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalid(invalidCode, `${key} is invalid`);
  if (ms < 0 || ms >= Date.parse('2100-01-01T00:00:00Z')) {
    throw invalid(key === 'from' ? '30061' : '30062', `${key} is out of range`);
  }
  return ms;
}

function requiredTime(body: Record<string, unknown>, key: 'from' | 'to'): number {
  const ms = optTime(body, key, key === 'from' ? '30009' : '30010');
  if (ms === undefined) throw invalid(key === 'from' ? '30001' : '30004', `${key} is required`);
  return ms;
}

// ------------------------------------------------------------------------------------------------
// Bonds: coupon schedules and НКД

interface CouponEvent {
  number: number;
  date: number;
  start: number;
  amount: string;
}

function addMonthsUtc(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate());
}

/** Counted back from maturity in equal month steps, the way OFZ schedules are built. */
function couponSchedule(bond: FakeInstrument): CouponEvent[] {
  const months = 12 / (bond.couponsPerYear ?? 2);
  const placement = day(bond.placement ?? bond.firstDay);
  const dates: number[] = [];
  for (let k = 0; ; k++) {
    const date = addMonthsUtc(day(bond.maturity ?? bond.firstDay), -k * months);
    if (date <= placement) break;
    dates.unshift(date);
  }
  return dates.map((date, index) => ({
    number: index + 1,
    date,
    start: index === 0 ? placement : (dates[index - 1] ?? placement),
    amount: bond.coupon ?? '0',
  }));
}

/** НКД per bond at `at`: the coupon accrued linearly over the current period. */
function accruedInterest(bond: FakeInstrument, at: number): Decimal {
  const current = couponSchedule(bond).find((c) => c.start <= at && at < c.date);
  if (current === undefined) return dec(0);
  const elapsedDays = Math.floor((at - current.start) / DAY);
  const periodDays = Math.round((current.date - current.start) / DAY);
  return round2(dec(current.amount).times(elapsedDays).div(periodDays));
}

// ------------------------------------------------------------------------------------------------
// Accounts and operations, generated by replaying a script so positions, cash and income agree.

interface FakeAccount {
  wire: WireAccount;
  /** Ids are `idBase` + a sequence number; renumbering shuffles them within that range. */
  idBase: number;
  operations: WireOperationItem[];
  /** uid -> pieces and average clean price per piece. */
  holdings: Map<string, { quantity: Decimal; averagePrice: Decimal }>;
  /** Lower-case ISO -> amount, plus the RUB-weighted average rate paid for foreign cash. */
  cash: Map<string, Decimal>;
  fxAverage: Map<string, Decimal>;
}

type TransferType =
  | 'OPERATION_TYPE_INPUT_SECURITIES'
  | 'OPERATION_TYPE_OUTPUT_SECURITIES'
  | 'OPERATION_TYPE_TRANS_IIS_BS'
  | 'OPERATION_TYPE_TRANS_BS_BS';

type CashType =
  | 'OPERATION_TYPE_OVERNIGHT'
  | 'OPERATION_TYPE_OVER_INCOME'
  | 'OPERATION_TYPE_DIVIDEND_TRANSFER'
  | 'OPERATION_TYPE_ACCRUING_VARMARGIN'
  | 'OPERATION_TYPE_WRITING_OFF_VARMARGIN';

type ScriptStep =
  | { at: string; deposit: string }
  | { at: string; withdraw: string }
  | { at: string; serviceFee: string }
  /** `filled`: the executed part of an order filled only partly. */
  | { at: string; buy: string; quantity: number; price: string; canceled?: true; filled?: number }
  | { at: string; sell: string; quantity: number; price: string; filled?: number }
  /** Securities credited without payment, at the price the broker books them at (if any). */
  | { at: string; transferIn: string; quantity: number; price: string | null; type: TransferType }
  | { at: string; transferOut: string; quantity: number; type: TransferType }
  /** A credit or a charge in cash only (signed), perhaps naming an instrument. */
  | { at: string; cash: CashType; amount: string; currency?: string; instrument?: string }
  /** An option or a future expires: the position closes, `payment` settles it. */
  | {
      at: string;
      expire: string;
      type: 'OPERATION_TYPE_OPTION_EXPIRATION' | 'OPERATION_TYPE_FUTURE_EXPIRATION';
      payment: string;
      /** The real API may leave the quantity out. */
      withQuantity: boolean;
    };

const BROKER_SCRIPT: ScriptStep[] = [
  { at: '2024-01-15T07:05:11Z', deposit: '1000000' },
  { at: '2024-01-16T07:15:02Z', buy: 'SBER', quantity: 200, price: '272.1' },
  { at: '2024-01-16T07:16:40Z', buy: 'GAZP', quantity: 500, price: '163.5' },
  { at: '2024-01-17T08:01:09Z', buy: 'LKOH', quantity: 10, price: '7015' },
  { at: '2024-01-18T08:30:00Z', buy: 'SU26238RMFS4', quantity: 100, price: '64.5' },
  { at: '2024-01-19T09:12:44Z', buy: 'TMOS', quantity: 20000, price: '6.62' },
  { at: '2024-02-01T00:00:00Z', serviceFee: '99' },
  { at: '2024-03-05T10:00:00Z', buy: 'USD000UTSTOM', quantity: 3000, price: '91.35' },
  { at: '2024-03-06T14:31:00Z', buy: 'AAPL', quantity: 15, price: '170.2' },
  {
    at: '2024-06-10T07:00:00Z',
    transferIn: 'LKOH',
    quantity: 3,
    price: '7100',
    type: 'OPERATION_TYPE_INPUT_SECURITIES',
  },
  { at: '2024-08-20T11:45:10Z', sell: 'GAZP', quantity: 300, price: '131.1' },
  { at: '2024-09-02T06:00:00Z', deposit: '150000' },
  { at: '2024-09-03T07:20:00Z', buy: 'YDEX', quantity: 15, price: '3950' },
  { at: '2024-10-01T08:00:00Z', buy: 'SiZ4', quantity: 2, price: '96500' },
  {
    at: '2024-10-15T16:00:00Z',
    cash: 'OPERATION_TYPE_ACCRUING_VARMARGIN',
    amount: '1520.5',
    instrument: 'SiZ4',
  },
  {
    at: '2024-11-15T16:00:00Z',
    cash: 'OPERATION_TYPE_WRITING_OFF_VARMARGIN',
    amount: '-830.25',
    instrument: 'SiZ4',
  },
  {
    at: '2024-12-19T16:00:00Z',
    expire: 'SiZ4',
    type: 'OPERATION_TYPE_FUTURE_EXPIRATION',
    payment: '0',
    withQuantity: true,
  },
  { at: '2025-01-20T08:00:00Z', buy: 'SR300CC5', quantity: 10, price: '12.5' },
  { at: '2025-02-03T21:00:00Z', cash: 'OPERATION_TYPE_OVERNIGHT', amount: '57.31' },
  { at: '2025-02-04T21:00:00Z', cash: 'OPERATION_TYPE_OVER_INCOME', amount: '12.08' },
  { at: '2025-03-03T07:40:00Z', buy: 'TGLD', quantity: 10000, price: '9.85' },
  // A Sunday: its rate must be Friday's exchange close, not a dealer's weekend candle.
  { at: '2025-03-09T09:00:00Z', cash: 'OPERATION_TYPE_OVERNIGHT', amount: '0.35', currency: 'usd' },
  {
    at: '2025-03-19T16:00:00Z',
    expire: 'SR300CC5',
    type: 'OPERATION_TYPE_OPTION_EXPIRATION',
    payment: '0',
    withQuantity: false,
  },
  { at: '2025-04-01T12:00:00Z', withdraw: '50000' },
  { at: '2025-05-20T07:00:00Z', buy: 'YDEX', quantity: 10, filled: 4, price: '4000' },
  {
    at: '2025-06-10T07:00:05Z',
    transferIn: 'SBER',
    quantity: 50,
    price: '305',
    type: 'OPERATION_TYPE_TRANS_IIS_BS',
  },
  {
    at: '2025-06-11T07:00:00Z',
    transferIn: 'TCSG',
    quantity: 5,
    price: null,
    type: 'OPERATION_TYPE_TRANS_BS_BS',
  },
  {
    at: '2025-07-25T09:00:00Z',
    cash: 'OPERATION_TYPE_DIVIDEND_TRANSFER',
    amount: '120.4',
    instrument: 'YDEX',
  },
  {
    at: '2025-08-01T07:00:00Z',
    transferOut: 'TMOS',
    quantity: 5000,
    type: 'OPERATION_TYPE_OUTPUT_SECURITIES',
  },
];

const IIS_SCRIPT: ScriptStep[] = [
  { at: '2024-02-05T06:30:00Z', deposit: '400000' },
  { at: '2024-02-06T07:10:00Z', buy: 'SU26243RMFS4', quantity: 150, price: '88.2' },
  { at: '2024-02-06T07:12:30Z', buy: 'RU000A107RM8', quantity: 100, price: '99.1' },
  { at: '2024-02-07T07:00:00Z', buy: 'SU26222RMFS8', quantity: 100, price: '98.4' },
  { at: '2024-02-08T08:00:00Z', buy: 'TCSG', quantity: 20, price: '3100' },
  { at: '2024-02-08T08:05:00Z', buy: 'TCSG', quantity: 20, price: '3080', canceled: true },
  { at: '2024-04-10T09:00:00Z', buy: 'RU000A106375', quantity: 50, price: '95.3' },
  { at: '2024-12-02T06:00:00Z', deposit: '400000' },
  { at: '2024-12-03T10:00:00Z', buy: 'USD000UTSTOM', quantity: 500, price: '103.5' },
  { at: '2024-12-03T10:05:00Z', buy: 'FXUS', quantity: 600, price: '0.78' },
  { at: '2025-02-10T11:00:00Z', sell: 'SU26243RMFS4', quantity: 50, price: '71.1' },
  { at: '2025-03-03T07:30:00Z', buy: 'SBER', quantity: 100, price: '305' },
  { at: '2025-05-06T08:00:00Z', buy: 'TMOS', quantity: 10000, price: '6.95' },
  { at: '2025-06-10T07:00:00Z', transferOut: 'SBER', quantity: 50, type: 'OPERATION_TYPE_TRANS_IIS_BS' },
  { at: '2025-09-15T10:00:00Z', sell: 'RU000A106375', quantity: 20, filled: 15, price: '92.4' },
];

const OPERATION_NAMES: Readonly<Record<string, string>> = {
  OPERATION_TYPE_INPUT: 'Пополнение брокерского счёта',
  OPERATION_TYPE_OUTPUT: 'Вывод денежных средств',
  OPERATION_TYPE_BUY: 'Покупка ценных бумаг',
  OPERATION_TYPE_SELL: 'Продажа ценных бумаг',
  OPERATION_TYPE_BROKER_FEE: 'Удержание комиссии за операцию',
  OPERATION_TYPE_SERVICE_FEE: 'Удержание комиссии за обслуживание брокерского счёта',
  OPERATION_TYPE_DIVIDEND: 'Выплата дивидендов',
  OPERATION_TYPE_DIVIDEND_TAX: 'Удержание налога по дивидендам',
  OPERATION_TYPE_COUPON: 'Выплата купонов',
  OPERATION_TYPE_BOND_TAX: 'Удержание НДФЛ по купонам',
  OPERATION_TYPE_BOND_REPAYMENT_FULL: 'Полное погашение облигаций',
  OPERATION_TYPE_INPUT_SECURITIES: 'Ввод ценных бумаг',
  OPERATION_TYPE_OUTPUT_SECURITIES: 'Вывод ценных бумаг',
  OPERATION_TYPE_TRANS_IIS_BS: 'Перевод ценных бумаг с ИИС на брокерский счёт',
  OPERATION_TYPE_TRANS_BS_BS: 'Перевод ценных бумаг с одного брокерского счёта на другой',
  OPERATION_TYPE_OVERNIGHT: 'Доход по сделке РЕПО овернайт',
  OPERATION_TYPE_OVER_INCOME: 'Доход от оверанайта',
  OPERATION_TYPE_DIVIDEND_TRANSFER: 'Передача дивидендного дохода',
  OPERATION_TYPE_ACCRUING_VARMARGIN: 'Зачисление вариационной маржи',
  OPERATION_TYPE_WRITING_OFF_VARMARGIN: 'Списание вариационной маржи',
  OPERATION_TYPE_OPTION_EXPIRATION: 'Экспирация опциона',
  OPERATION_TYPE_FUTURE_EXPIRATION: 'Экспирация фьючерса',
};

const BROKER_FEE_RATE = dec('0.0005');
const TAX_RATE = dec('0.13');

const INSTRUMENT_KIND_ENUM: Readonly<Record<Kind, string>> = {
  share: 'INSTRUMENT_TYPE_SHARE',
  bond: 'INSTRUMENT_TYPE_BOND',
  etf: 'INSTRUMENT_TYPE_ETF',
  currency: 'INSTRUMENT_TYPE_CURRENCY',
  futures: 'INSTRUMENT_TYPE_FUTURES',
  option: 'INSTRUMENT_TYPE_OPTION',
};

/** Money value of one piece at a quoted price: bonds are quoted in % of the nominal. */
function pieceValue(instrument: FakeInstrument, price: Decimal | string): Decimal {
  return instrument.kind === 'bond'
    ? dec(price)
        .times(instrument.nominal ?? '0')
        .div(100)
    : dec(price);
}

function buildAccount(wire: WireAccount, script: ScriptStep[], idBase: number): FakeAccount {
  const account: FakeAccount = {
    wire,
    idBase,
    operations: [],
    holdings: new Map(),
    cash: new Map(),
    fxAverage: new Map(),
  };
  let seq = 0;
  const cashOf = (iso: string) => account.cash.get(iso) ?? dec(0);
  const addCash = (iso: string, amount: Decimal) => account.cash.set(iso, cashOf(iso).plus(amount));
  const holdingOf = (instrument: FakeInstrument) =>
    account.holdings.get(instrument.uid) ?? { quantity: dec(0), averagePrice: dec(0) };
  const setHolding = (instrument: FakeInstrument, holding: { quantity: Decimal; averagePrice: Decimal }) => {
    if (holding.quantity.eq(0)) account.holdings.delete(instrument.uid);
    else account.holdings.set(instrument.uid, holding);
  };

  /** An operation as the API sends it: unset messages come as null, payouts without a quantity. */
  function emit(
    date: number,
    type: string,
    payment: Decimal,
    currency: string,
    extra: Partial<WireOperationItem> & { instrument?: FakeInstrument } = {},
  ): WireOperationItem {
    const { instrument, ...fields } = extra;
    const item: WireOperationItem = {
      cursor: '',
      brokerAccountId: wire.id,
      id: String(idBase + ++seq),
      parentOperationId: '',
      name: OPERATION_NAMES[type] ?? type,
      date: ts(date),
      type,
      description: '',
      state: 'OPERATION_STATE_EXECUTED',
      instrumentUid: instrument?.uid ?? '',
      figi: instrument?.figi ?? '',
      instrumentType: instrument?.kind ?? '',
      instrumentKind:
        instrument === undefined ? 'INSTRUMENT_TYPE_UNSPECIFIED' : INSTRUMENT_KIND_ENUM[instrument.kind],
      positionUid: instrument?.positionUid ?? '',
      ticker: instrument?.ticker ?? '',
      classCode: instrument?.classCode ?? '',
      payment: mv(payment, currency),
      price: null,
      commission: null,
      yield: null,
      yieldRelative: null,
      accruedInt: null,
      quantity: '0',
      quantityRest: '0',
      quantityDone: '0',
      cancelDateTime: null,
      cancelReason: '',
      tradesInfo: null,
      assetUid: instrument?.assetUid ?? '',
      childOperations: [],
      ...fields,
    };
    account.operations.push(item);
    return item;
  }

  function trade(
    at: number,
    side: 'buy' | 'sell',
    instrument: FakeInstrument,
    ordered: number,
    price: string,
    filled = ordered,
  ) {
    // Currency purchases settle in RUB; everything else in the instrument currency.
    const currency = instrument.currency;
    const notional = round2(pieceValue(instrument, price).times(filled));
    // A future is not paid for: its result arrives as variation margin.
    const amount = instrument.kind === 'futures' ? dec(0) : notional;
    const aci = instrument.kind === 'bond' ? round2(accruedInterest(instrument, at).times(filled)) : dec(0);
    const fee = round2(notional.times(BROKER_FEE_RATE));
    const sign = side === 'buy' ? -1 : 1;
    const type = side === 'buy' ? 'OPERATION_TYPE_BUY' : 'OPERATION_TYPE_SELL';
    const item = emit(at, type, amount.times(sign), currency, {
      instrument,
      price: mv(pieceValue(instrument, price), currency),
      quantity: String(ordered),
      quantityDone: String(filled),
      quantityRest: String(ordered - filled),
      commission: mv(fee.neg(), currency),
      ...(instrument.kind === 'bond' ? { accruedInt: mv(aci.times(sign), currency) } : {}),
      tradesInfo: {
        trades: [
          {
            num: String(9_000_000 + idBase + seq),
            date: ts(at),
            quantity: String(filled),
            price: mv(pieceValue(instrument, price), currency),
          },
        ],
      },
    });
    emit(at + 1000, 'OPERATION_TYPE_BROKER_FEE', fee.neg(), currency, {
      instrument,
      parentOperationId: item.id,
    });
    addCash(currency, amount.plus(aci).times(sign).minus(fee));

    if (instrument.kind === 'currency' && instrument.iso !== undefined) {
      // Bought currency becomes cash in that currency, not a security position.
      const iso = instrument.iso;
      const held = cashOf(iso);
      const average = account.fxAverage.get(iso) ?? dec(0);
      if (side === 'buy') {
        account.fxAverage.set(iso, held.times(average).plus(notional).div(held.plus(filled)));
      }
      addCash(iso, dec(filled).times(-sign));
      return;
    }
    const position = holdingOf(instrument);
    if (side === 'buy') {
      const cost = position.quantity.times(position.averagePrice).plus(notional);
      position.quantity = position.quantity.plus(filled);
      position.averagePrice = cost.div(position.quantity);
    } else {
      position.quantity = position.quantity.minus(filled);
    }
    setHolding(instrument, position);
  }

  function transferIn(
    at: number,
    instrument: FakeInstrument,
    quantity: number,
    price: string | null,
    type: string,
  ) {
    emit(at, type, dec(0), instrument.currency, {
      instrument,
      price: price === null ? null : mv(price, instrument.currency),
      quantity: String(quantity),
      quantityDone: String(quantity),
    });
    const position = holdingOf(instrument);
    const cost = position.quantity.times(position.averagePrice).plus(dec(price ?? '0').times(quantity));
    position.quantity = position.quantity.plus(quantity);
    position.averagePrice = cost.div(position.quantity);
    setHolding(instrument, position);
  }

  function transferOut(at: number, instrument: FakeInstrument, quantity: number, type: string) {
    // Between two broker accounts the sending side shows a negative quantity [inferred].
    const signed = type === 'OPERATION_TYPE_TRANS_BS_BS' ? -quantity : quantity;
    emit(at, type, dec(0), instrument.currency, {
      instrument,
      quantity: String(signed),
      quantityDone: String(signed),
    });
    const position = holdingOf(instrument);
    position.quantity = position.quantity.minus(quantity);
    setHolding(instrument, position);
  }

  function expire(
    at: number,
    instrument: FakeInstrument,
    type: string,
    payment: string,
    withQuantity: boolean,
  ) {
    const held = holdingOf(instrument).quantity.toFixed();
    emit(at, type, dec(payment), instrument.currency, {
      instrument,
      ...(withQuantity ? { quantity: held, quantityDone: held } : {}),
    });
    addCash(instrument.currency, dec(payment));
    account.holdings.delete(instrument.uid);
  }

  // Income events are snapshotted on their record date and paid later, like the real thing.
  type Event = { at: number; run: () => void };
  const events: Event[] = script.map((step) => ({
    at: Date.parse(step.at),
    run: () => {
      const at = Date.parse(step.at);
      if ('deposit' in step) {
        emit(at, 'OPERATION_TYPE_INPUT', dec(step.deposit), 'rub');
        addCash('rub', dec(step.deposit));
      } else if ('withdraw' in step) {
        emit(at, 'OPERATION_TYPE_OUTPUT', dec(step.withdraw).neg(), 'rub');
        addCash('rub', dec(step.withdraw).neg());
      } else if ('serviceFee' in step) {
        emit(at, 'OPERATION_TYPE_SERVICE_FEE', dec(step.serviceFee).neg(), 'rub');
        addCash('rub', dec(step.serviceFee).neg());
      } else if ('buy' in step && step.canceled === true) {
        const instrument = byTicker(step.buy);
        emit(at, 'OPERATION_TYPE_BUY', dec(0), instrument.currency, {
          instrument,
          state: 'OPERATION_STATE_CANCELED',
          price: mv(pieceValue(instrument, step.price), instrument.currency),
          quantity: String(step.quantity),
          quantityRest: String(step.quantity),
          cancelDateTime: ts(at + 60_000),
          cancelReason: 'Заявка отменена пользователем',
        });
      } else if ('buy' in step) {
        trade(at, 'buy', byTicker(step.buy), step.quantity, step.price, step.filled);
      } else if ('sell' in step) {
        trade(at, 'sell', byTicker(step.sell), step.quantity, step.price, step.filled);
      } else if ('transferIn' in step) {
        transferIn(at, byTicker(step.transferIn), step.quantity, step.price, step.type);
      } else if ('transferOut' in step) {
        transferOut(at, byTicker(step.transferOut), step.quantity, step.type);
      } else if ('cash' in step) {
        const currency = step.currency ?? 'rub';
        const instrument = step.instrument === undefined ? undefined : byTicker(step.instrument);
        emit(at, step.cash, dec(step.amount), currency, { instrument });
        addCash(currency, dec(step.amount));
      } else {
        expire(at, byTicker(step.expire), step.type, step.payment, step.withQuantity);
      }
    },
  }));

  for (const instrument of INSTRUMENTS) {
    for (const dividend of instrument.dividends ?? []) {
      const net = dec(dividend.net);
      if (net.lte(0)) continue;
      events.push({
        at: day(dividend.record) + 23 * HOUR,
        run: () => {
          const held = account.holdings.get(instrument.uid)?.quantity;
          if (held === undefined) return;
          const paid = day(dividend.payment) + 9 * HOUR;
          const gross = round2(net.times(held));
          const tax = round2(gross.times(TAX_RATE));
          const currency = instrument.currency;
          const item = emit(paid, 'OPERATION_TYPE_DIVIDEND', gross, currency, { instrument });
          emit(paid + 1000, 'OPERATION_TYPE_DIVIDEND_TAX', tax.neg(), currency, {
            instrument,
            parentOperationId: item.id,
          });
          addCash(currency, gross.minus(tax));
        },
      });
    }
    if (instrument.kind !== 'bond') continue;
    for (const coupon of couponSchedule(instrument)) {
      events.push({
        // Record date: the day before payment.
        at: coupon.date - DAY,
        run: () => {
          const held = account.holdings.get(instrument.uid)?.quantity;
          if (held === undefined) return;
          const paid = coupon.date + 10 * HOUR;
          const gross = round2(dec(coupon.amount).times(held));
          const tax = round2(gross.times(TAX_RATE));
          const item = emit(paid, 'OPERATION_TYPE_COUPON', gross, 'rub', { instrument });
          emit(paid + 1000, 'OPERATION_TYPE_BOND_TAX', tax.neg(), 'rub', {
            instrument,
            parentOperationId: item.id,
          });
          addCash('rub', gross.minus(tax));
          if (coupon.date === day(instrument.maturity ?? '')) {
            // A full redemption says neither how many bonds nor at what price.
            const redeemed = round2(held.times(instrument.nominal ?? '0'));
            emit(paid + 2000, 'OPERATION_TYPE_BOND_REPAYMENT_FULL', redeemed, 'rub', { instrument });
            addCash('rub', redeemed);
            account.holdings.delete(instrument.uid);
          }
        },
      });
    }
  }

  events
    .filter((event) => event.at < HISTORY_END)
    .sort((a, b) => a.at - b.at)
    .forEach((event) => event.run());
  account.operations.sort(
    (a, b) => Date.parse(a.date ?? '') - Date.parse(b.date ?? '') || Number(a.id) - Number(b.id),
  );
  return account;
}

/**
 * New ids for every operation, as the API may hand out over time. Odd generations number the
 * history backwards within the original range, so an operation gets an id another one had before.
 */
function renumber(account: FakeAccount, generation: number): void {
  const count = account.operations.length;
  const ids = new Map<string, string>();
  account.operations.forEach((op, index) => {
    const n = generation % 2 === 1 ? count - index : index + 1;
    ids.set(op.id, String(account.idBase + (generation % 2 === 1 ? 0 : 50_000) + n));
  });
  for (const op of account.operations) {
    op.id = ids.get(op.id) ?? op.id;
    if (op.parentOperationId !== '') op.parentOperationId = ids.get(op.parentOperationId) ?? '';
  }
}

function buildAccounts(): Map<string, FakeAccount> {
  const broker = buildAccount(
    {
      id: FAKE_BROKER_ACCOUNT_ID,
      type: 'ACCOUNT_TYPE_TINKOFF',
      name: 'Брокерский счёт',
      status: 'ACCOUNT_STATUS_OPEN',
      openedDate: '2019-03-11T00:00:00Z',
      closedDate: null,
      accessLevel: 'ACCOUNT_ACCESS_LEVEL_READ_ONLY',
    },
    BROKER_SCRIPT,
    31_200_000,
  );
  const iis = buildAccount(
    {
      id: FAKE_IIS_ACCOUNT_ID,
      type: 'ACCOUNT_TYPE_TINKOFF_IIS',
      name: 'ИИС',
      status: 'ACCOUNT_STATUS_OPEN',
      openedDate: '2021-06-01T00:00:00Z',
      closedDate: null,
      accessLevel: 'ACCOUNT_ACCESS_LEVEL_READ_ONLY',
    },
    IIS_SCRIPT,
    41_500_000,
  );
  return new Map([
    [broker.wire.id, broker],
    [iis.wire.id, iis],
  ]);
}

// ------------------------------------------------------------------------------------------------
// Candles: a deterministic price path, so any range and interval always gives the same candles.

interface IntervalSpec {
  /** Candle length; months are handled by calendar. */
  ms: number;
  /** Largest `to - from` accepted (30014 beyond), per the API documentation. */
  maxRange: number;
  /** Where the documentation says months ("3 months", "one year"): counted by the calendar. */
  maxMonths?: number;
}

const INTERVALS: Readonly<Record<string, IntervalSpec>> = {
  CANDLE_INTERVAL_5_SEC: { ms: 5000, maxRange: 200 * MINUTE },
  CANDLE_INTERVAL_10_SEC: { ms: 10_000, maxRange: 200 * MINUTE },
  CANDLE_INTERVAL_30_SEC: { ms: 30_000, maxRange: 20 * HOUR },
  CANDLE_INTERVAL_1_MIN: { ms: MINUTE, maxRange: DAY },
  CANDLE_INTERVAL_2_MIN: { ms: 2 * MINUTE, maxRange: DAY },
  CANDLE_INTERVAL_3_MIN: { ms: 3 * MINUTE, maxRange: DAY },
  CANDLE_INTERVAL_5_MIN: { ms: 5 * MINUTE, maxRange: 7 * DAY },
  CANDLE_INTERVAL_10_MIN: { ms: 10 * MINUTE, maxRange: 7 * DAY },
  CANDLE_INTERVAL_15_MIN: { ms: 15 * MINUTE, maxRange: 21 * DAY },
  CANDLE_INTERVAL_30_MIN: { ms: 30 * MINUTE, maxRange: 21 * DAY },
  CANDLE_INTERVAL_HOUR: { ms: HOUR, maxRange: 92 * DAY, maxMonths: 3 },
  CANDLE_INTERVAL_2_HOUR: { ms: 2 * HOUR, maxRange: 92 * DAY, maxMonths: 3 },
  CANDLE_INTERVAL_4_HOUR: { ms: 4 * HOUR, maxRange: 92 * DAY, maxMonths: 3 },
  CANDLE_INTERVAL_DAY: { ms: DAY, maxRange: 366 * DAY, maxMonths: 12 },
  CANDLE_INTERVAL_WEEK: { ms: 7 * DAY, maxRange: 5 * 366 * DAY },
  CANDLE_INTERVAL_MONTH: { ms: 31 * DAY, maxRange: 10 * 366 * DAY },
};

function isWeekend(ms: number): boolean {
  const weekday = new Date(ms).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Epoch day 0 was a Thursday; weeks start on Monday. */
const MONDAY_OFFSET = 4 * DAY;

function noise(seed: string, n: number): number {
  const h = createHash('sha1').update(`${seed}:${n}`).digest();
  return h.readUInt32BE(0) / 0xffffffff;
}

/** Waves around today's price, plus a little per-point noise; always positive. */
function pathPrice(instrument: FakeInstrument, at: number, basePrice: string): number {
  const t = at / DAY;
  const wave = 0.12 * Math.sin(t / 29) + 0.04 * Math.sin(t / 4.3) + 0.01 * Math.sin(t * 7.1);
  const jitter = (noise(instrument.uid, Math.floor(at / MINUTE)) - 0.5) * 0.004;
  return Number(basePrice) * (1 + wave + jitter);
}

function decimalsOf(step: string): number {
  return step.split('.')[1]?.length ?? 0;
}

/** Dealers trade some instruments at weekends, at their own prices. */
const DEALER_MARKUP = 1.03;

function candleStarts(
  interval: string,
  from: number,
  to: number,
  spec: IntervalSpec,
  withWeekends: boolean,
): number[] {
  const starts: number[] = [];
  if (interval === 'CANDLE_INTERVAL_MONTH') {
    const d = new Date(from);
    for (let m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); m < to; m = addMonthsUtc(m, 1))
      starts.push(m);
    return starts;
  }
  const offset = interval === 'CANDLE_INTERVAL_WEEK' ? MONDAY_OFFSET : 0;
  for (let t = Math.floor((from - offset) / spec.ms) * spec.ms + offset; t < to; t += spec.ms) {
    // No exchange trading at weekends; below a week, dealer candles fill them unless excluded.
    if (spec.ms < 7 * DAY && isWeekend(t) && !withWeekends) continue;
    starts.push(t);
  }
  return starts;
}

// ------------------------------------------------------------------------------------------------
// The server

export type FakeFault =
  | 'timeout'
  /** The connection is cut in the middle of a 200 answer. */
  | 'drop'
  | 'redirect'
  | 'oversized'
  | { status: number; code?: string; message?: string }
  | { status?: number; body: string };

export interface FakeCall {
  service: string;
  method: string;
  body: unknown;
  token: string | null;
  appName: string | null;
}

export interface FakeTinvestOptions {
  port?: number;
  host?: string;
}

export interface FakeTinvest {
  /** REST base to pass to the client as `baseUrl`. */
  url: string;
  port: number;
  /** Every request to an API path, in arrival order (including failed ones). */
  calls: FakeCall[];
  /** Calls to one method ("GetLastPrices"). */
  callsTo(method: string): FakeCall[];
  clearCalls(): void;
  /**
   * After `after` calls pass, the next `times` calls to `method` ("GetLastPrices" or
   * "MarketDataService/GetLastPrices") fail so.
   */
  failNext(method: string, fault: FakeFault, times?: number, after?: number): void;
  /** Overrides the last price (bonds in %) of an instrument given by uid, FIGI or ticker. */
  setPrice(id: string, price: string): void;
  /** A dealer's price, answered when GetLastPrices does not ask for the exchange's. */
  setDealerPrice(id: string, price: string | null): void;
  /** Per-minute request budget of one service for each user (all their tokens); restarts the window. */
  setRateLimit(service: string, perMinute: number): void;
  /** Moves the fake's clock, e.g. to let a rate-limit window pass without waiting. */
  advanceClock(ms: number): void;
  /** Caps GetOperationsByCursor pages below the requested limit, to exercise paging. */
  setMaxPageSize(size: number): void;
  /** Accepts another token; by default it sees every account and belongs to FAKE_USER_ID. */
  addToken(token: string, accountIds?: string[], userId?: string): void;
  /** Gives every operation a new id, as the real API may over time. */
  renumber(): void;
  uidOf(ticker: string): string;
  /** Operations of an account as the server holds them, oldest first. */
  operationsOf(accountId: string): readonly WireOperationItem[];
  close(): Promise<void>;
}

interface Fault {
  fault: FakeFault;
  remaining: number;
  /** Calls to let through before failing. */
  skip: number;
}

interface TokenGrant {
  accounts: readonly string[];
  userId: string;
}

const DEFAULT_LIMITS: Readonly<Record<string, number>> = {
  InstrumentsService: 200,
  UsersService: 100,
  OperationsService: 200,
  MarketDataService: 600,
};

const ACCOUNT_STATUS_FILTER = new Set(['ACCOUNT_STATUS_NEW', 'ACCOUNT_STATUS_OPEN', 'ACCOUNT_STATUS_CLOSED']);

export async function startFakeTinvest(options: FakeTinvestOptions = {}): Promise<FakeTinvest> {
  const host = options.host ?? '127.0.0.1';
  const accounts = buildAccounts();
  const tokens = new Map<string, TokenGrant>([
    [FAKE_DEMO_TOKEN, { accounts: [...accounts.keys()], userId: FAKE_USER_ID }],
    [FAKE_LIMITED_TOKEN, { accounts: [FAKE_BROKER_ACCOUNT_ID], userId: FAKE_USER_ID }],
  ]);
  const visibleTo = (token: string) => tokens.get(token)?.accounts ?? [];
  const prices = new Map<string, string>(INSTRUMENTS.map((i) => [i.uid, i.price]));
  const dealerPrices = new Map<string, string>();
  let generation = 0;
  const faults = new Map<string, Fault[]>();
  const limits = new Map<string, number>(Object.entries(DEFAULT_LIMITS));
  const windows = new Map<string, { start: number; count: number }>();
  const calls: FakeCall[] = [];
  let clockOffset = 0;
  let maxPageSize = Number.POSITIVE_INFINITY;
  const now = () => Date.now() + clockOffset;

  function resolve(id: string): FakeInstrument | undefined {
    return (
      INSTRUMENTS.find((i) => i.uid === id) ??
      INSTRUMENTS.find((i) => i.figi === id) ??
      INSTRUMENTS.find((i) => `${i.ticker}_${i.classCode}` === id)
    );
  }

  function priceOf(instrument: FakeInstrument): string {
    return prices.get(instrument.uid) ?? instrument.price;
  }

  /** RUB per unit of a currency (ISO, lower-case). */
  function rubRate(iso: string): Decimal {
    if (iso === 'rub') return dec(1);
    const instrument = currencyInstrument(iso);
    if (instrument === undefined) throw new Error(`fake has no rate for ${iso}`);
    return dec(priceOf(instrument));
  }

  // ---- instrument payloads

  function common(i: FakeInstrument): WireInstrumentCommon {
    return {
      figi: i.figi,
      ticker: i.ticker,
      classCode: i.classCode,
      isin: i.isin,
      lot: i.lot,
      currency: i.currency,
      name: i.name,
      exchange: i.kind === 'currency' ? 'FX' : i.classCode === 'SPBXM' ? 'SPB' : 'MOEX',
      countryOfRisk: i.classCode === 'SPBXM' ? 'US' : 'RU',
      tradingStatus: i.tradable
        ? 'SECURITY_TRADING_STATUS_NORMAL_TRADING'
        : 'SECURITY_TRADING_STATUS_NOT_AVAILABLE_FOR_TRADING',
      minPriceIncrement: q(i.step),
      apiTradeAvailableFlag: i.tradable,
      buyAvailableFlag: i.tradable,
      sellAvailableFlag: i.tradable,
      uid: i.uid,
      positionUid: i.positionUid,
      realExchange: i.classCode === 'SPBXM' ? 'REAL_EXCHANGE_RTS' : 'REAL_EXCHANGE_MOEX',
      forIisFlag: true,
      forQualInvestorFlag: i.classCode === 'SPBXM',
      first1minCandleDate: `${i.firstDay}T07:00:00Z`,
      first1dayCandleDate: `${i.firstDay}T00:00:00Z`,
    };
  }

  function shareWire(i: FakeInstrument): WireShare {
    return {
      ...common(i),
      assetUid: i.assetUid,
      sector: i.sector ?? '',
      nominal: mv(i.currency === 'usd' ? '0.00001' : '1', i.currency),
      issueSize: '1000000000',
      divYieldFlag: (i.dividends ?? []).length > 0,
      shareType: 'SHARE_TYPE_COMMON',
    };
  }

  function bondWire(i: FakeInstrument): WireBond {
    const schedule = couponSchedule(i);
    return {
      ...common(i),
      assetUid: i.assetUid,
      couponQuantityPerYear: i.couponsPerYear ?? 0,
      maturityDate: `${i.maturity ?? i.firstDay}T00:00:00Z`,
      nominal: mv(i.nominal ?? '0', 'rub'),
      initialNominal: mv(i.nominal ?? '0', 'rub'),
      placementDate: `${i.placement ?? i.firstDay}T00:00:00Z`,
      aciValue: mv(accruedInterest(i, now()), 'rub'),
      sector: i.sector ?? '',
      issueSize: String(1_000_000 * schedule.length),
      floatingCouponFlag: i.floating === true,
      perpetualFlag: false,
      amortizationFlag: false,
      riskLevel: i.classCode === 'TQOB' ? 'RISK_LEVEL_LOW' : 'RISK_LEVEL_MODERATE',
    };
  }

  function etfWire(i: FakeInstrument): WireEtf {
    return { ...common(i), assetUid: i.assetUid, focusType: i.sector ?? '', fixedCommission: q('0.79') };
  }

  function currencyWire(i: FakeInstrument): WireCurrency {
    return { ...common(i), nominal: mv('1', i.iso ?? ''), isoCurrencyName: i.iso ?? '' };
  }

  function typedWire(i: FakeInstrument): WireShare | WireBond | WireEtf | WireCurrency | WireInstrument {
    switch (i.kind) {
      case 'share':
        return shareWire(i);
      case 'bond':
        return bondWire(i);
      case 'etf':
        return etfWire(i);
      case 'currency':
        return currencyWire(i);
      case 'futures':
      case 'option':
        return instrumentWire(i);
    }
  }

  function instrumentWire(i: FakeInstrument): WireInstrument {
    return {
      ...common(i),
      assetUid: i.assetUid,
      instrumentType: i.kind,
      instrumentKind: INSTRUMENT_KIND_ENUM[i.kind],
    };
  }

  function shortWire(i: FakeInstrument): WireInstrumentShort {
    return {
      isin: i.isin,
      figi: i.figi,
      ticker: i.ticker,
      classCode: i.classCode,
      instrumentType: i.kind,
      name: i.name,
      uid: i.uid,
      positionUid: i.positionUid,
      instrumentKind: INSTRUMENT_KIND_ENUM[i.kind],
      apiTradeAvailableFlag: i.tradable,
      forIisFlag: true,
      forQualInvestorFlag: i.classCode === 'SPBXM',
      weekendFlag: false,
      blockedTcaFlag: false,
      lot: i.lot,
      first1minCandleDate: `${i.firstDay}T07:00:00Z`,
      first1dayCandleDate: `${i.firstDay}T00:00:00Z`,
    };
  }

  /** InstrumentRequest → instrument, with the API's validation order. */
  function findBy(body: Record<string, unknown>, kind?: Kind): FakeInstrument {
    const idType = optString(body, 'idType');
    const id = optString(body, 'id');
    const classCode = optString(body, 'classCode');
    if (idType === undefined || idType === 'INSTRUMENT_ID_UNSPECIFIED')
      throw invalid('30006', 'id_type is required');
    if (id === undefined || id === '') throw invalid('30007', 'id is required');
    let found: FakeInstrument | undefined;
    switch (idType) {
      case 'INSTRUMENT_ID_TYPE_UID':
        found = INSTRUMENTS.find((i) => i.uid === id);
        break;
      case 'INSTRUMENT_ID_TYPE_FIGI':
        found = INSTRUMENTS.find((i) => i.figi === id);
        break;
      case 'INSTRUMENT_ID_TYPE_POSITION_UID':
        found = INSTRUMENTS.find((i) => i.positionUid === id);
        break;
      case 'INSTRUMENT_ID_TYPE_TICKER':
        if (classCode === undefined || classCode === '') throw invalid('30013', 'class_code is required');
        found = INSTRUMENTS.find((i) => i.ticker === id && i.classCode === classCode);
        break;
      default:
        throw invalid('30005', 'id_type is invalid');
    }
    if (found === undefined || (kind !== undefined && found.kind !== kind)) throw instrumentNotFound();
    return found;
  }

  function instrumentIdOf(body: Record<string, unknown>): FakeInstrument {
    const id = optString(body, 'instrumentId') ?? optString(body, 'figi');
    if (id === undefined || id === '') throw invalid('30093', 'figi or instrument_id is required');
    const found = resolve(id);
    if (found === undefined) throw instrumentNotFound();
    return found;
  }

  function listing(kind: Kind, body: Record<string, unknown>) {
    const status = optString(body, 'instrumentStatus') ?? 'INSTRUMENT_STATUS_UNSPECIFIED';
    if (
      !['INSTRUMENT_STATUS_UNSPECIFIED', 'INSTRUMENT_STATUS_BASE', 'INSTRUMENT_STATUS_ALL'].includes(status)
    ) {
      throw invalid('30050', 'instrument_status is invalid');
    }
    const all = status === 'INSTRUMENT_STATUS_ALL';
    return { instruments: INSTRUMENTS.filter((i) => i.kind === kind && (all || i.tradable)).map(typedWire) };
  }

  // ---- market data

  function lastPrices(body: Record<string, unknown>) {
    const ids = [...stringList(body, 'instrumentId'), ...stringList(body, 'figi')];
    if (ids.length > 3000) throw invalid('30218', 'the request contains more than 3000 instruments');
    const type = optString(body, 'lastPriceType') ?? 'LAST_PRICE_UNSPECIFIED';
    if (!['LAST_PRICE_UNSPECIFIED', 'LAST_PRICE_EXCHANGE', 'LAST_PRICE_DEALER'].includes(type))
      throw invalid('30001', 'last_price_type is invalid');
    // An empty list means every instrument, as the real API answers it.
    const wanted = ids.length === 0 ? INSTRUMENTS : ids.flatMap((id) => resolve(id) ?? []);
    const lastPrices: WireLastPrice[] = wanted.map((instrument) => {
      const dealer = type === 'LAST_PRICE_EXCHANGE' ? undefined : dealerPrices.get(instrument.uid);
      const base = {
        figi: instrument.figi,
        ticker: instrument.ticker,
        classCode: instrument.classCode,
        instrumentUid: instrument.uid,
      };
      if (dealer !== undefined)
        return { ...base, price: q(dealer), time: ts(now() - 1000), lastPriceType: 'LAST_PRICE_DEALER' };
      // Every requested instrument comes back, one without a price with nulls.
      if (instrument.noLastPrice === true)
        return { ...base, price: null, time: null, lastPriceType: 'LAST_PRICE_UNSPECIFIED' };
      return {
        ...base,
        price: q(priceOf(instrument)),
        time: ts(instrument.tradable ? now() - 3000 : day(instrument.maturity ?? instrument.firstDay)),
        lastPriceType: 'LAST_PRICE_EXCHANGE',
      };
    });
    return { lastPrices };
  }

  function candles(body: Record<string, unknown>) {
    const instrument = instrumentIdOf(body);
    let from = requiredTime(body, 'from');
    const to = requiredTime(body, 'to');
    if (to < from) throw invalid('30012', 'to is before from');
    const interval = optString(body, 'interval') ?? 'CANDLE_INTERVAL_UNSPECIFIED';
    const spec = INTERVALS[interval];
    if (spec === undefined) throw invalid('30011', 'interval is invalid');
    const limit =
      spec.maxMonths === undefined ? from + spec.maxRange : addMonthsUtc(from, spec.maxMonths) + (from % DAY);
    if (to > limit)
      throw invalid('30014', 'the maximum request period for the given candle interval is exceeded');
    const source = optString(body, 'candleSourceType') ?? 'CANDLE_SOURCE_UNSPECIFIED';
    if (
      !['CANDLE_SOURCE_UNSPECIFIED', 'CANDLE_SOURCE_EXCHANGE', 'CANDLE_SOURCE_INCLUDE_WEEKEND'].includes(
        source,
      )
    )
      throw invalid('30001', 'candle_source_type is invalid');
    // Unless the exchange is asked for, dealer weekend candles come too (the API's default).
    const withWeekends = source !== 'CANDLE_SOURCE_EXCHANGE';
    // For daily candles the API ignores the time of day in `from`.
    if (interval === 'CANDLE_INTERVAL_DAY') from = Math.floor(from / DAY) * DAY;
    const base = priceOf(instrument);
    const decimals = decimalsOf(instrument.step);
    const current = now();
    const result: WireHistoricCandle[] = [];
    for (const start of candleStarts(interval, from, to, spec, withWeekends)) {
      if (start > current || start < day(instrument.firstDay)) continue;
      const end = interval === 'CANDLE_INTERVAL_MONTH' ? addMonthsUtc(start, 1) : start + spec.ms;
      const dealer = spec.ms < 7 * DAY && isWeekend(start);
      const markup = dealer ? DEALER_MARKUP : 1;
      const open = pathPrice(instrument, start, base) * markup;
      const close = pathPrice(instrument, Math.min(end, current), base) * markup;
      const spread = 1 + noise(instrument.uid, start) * 0.01;
      const volume = Math.floor(
        1000 + noise(`${instrument.uid}:volume`, start) * 50_000 * (spec.ms / MINUTE) ** 0.5,
      );
      const buy = Math.floor(volume * 0.5);
      result.push({
        open: q(open.toFixed(decimals)),
        high: q((Math.max(open, close) * spread).toFixed(decimals)),
        low: q((Math.min(open, close) / spread).toFixed(decimals)),
        close: q(close.toFixed(decimals)),
        volume: String(volume),
        time: ts(start),
        isComplete: end <= current,
        candleSource: dealer ? 'CANDLE_SOURCE_DEALER_WEEKEND' : 'CANDLE_SOURCE_EXCHANGE',
        volumeBuy: String(buy),
        volumeSell: String(volume - buy),
      });
    }
    return { candles: result };
  }

  // ---- bonds and dividends

  function requireBond(instrument: FakeInstrument): void {
    if (instrument.kind !== 'bond') throw invalid('30048', 'instrument is not a bond');
  }

  function bondCoupons(body: Record<string, unknown>) {
    const bond = instrumentIdOf(body);
    requireBond(bond);
    const from = optTime(body, 'from', '30009') ?? Number.NEGATIVE_INFINITY;
    const to = optTime(body, 'to', '30010') ?? Number.POSITIVE_INFINITY;
    const horizon = now();
    const events: WireCoupon[] = couponSchedule(bond)
      .filter((c) => c.date >= from && c.date <= to)
      .map((c) => ({
        figi: bond.figi,
        couponDate: ts(c.date),
        couponNumber: String(c.number),
        fixDate: ts(c.date - DAY),
        // A floating coupon is only known for the current period.
        ...(bond.floating === true && c.start > horizon ? {} : { payOneBond: mv(c.amount, 'rub') }),
        couponType: bond.floating === true ? 'COUPON_TYPE_FLOATING' : 'COUPON_TYPE_CONSTANT',
        couponStartDate: ts(c.start),
        couponEndDate: ts(c.date),
        couponPeriod: Math.round((c.date - c.start) / DAY),
      }));
    return { events };
  }

  function accruedInterests(body: Record<string, unknown>) {
    const bond = instrumentIdOf(body);
    const from = requiredTime(body, 'from');
    const to = requiredTime(body, 'to');
    if (to < from) throw invalid('30012', 'to is before from');
    requireBond(bond);
    if (to - from > 5 * 366 * DAY) throw invalid('30014', 'the maximum request period is exceeded');
    const nominal = dec(bond.nominal ?? '0');
    const accruedInterests: WireAccruedInterest[] = [];
    for (let d = Math.ceil(from / DAY) * DAY; d <= to; d += DAY) {
      const value = accruedInterest(bond, d);
      accruedInterests.push({
        date: ts(d),
        value: q(value),
        valuePercent: q(nominal.eq(0) ? 0 : value.div(nominal).times(100).round(4, 'half-up')),
        nominal: q(nominal),
      });
    }
    return { accruedInterests };
  }

  function dividends(body: Record<string, unknown>) {
    const share = instrumentIdOf(body);
    const from = optTime(body, 'from', '30009') ?? Number.NEGATIVE_INFINITY;
    const to = optTime(body, 'to', '30010') ?? Number.POSITIVE_INFINITY;
    const result: WireDividend[] = (share.dividends ?? [])
      .filter((d) => day(d.record) >= from && day(d.record) <= to)
      .map((d) => {
        const closePrice = dec(priceOf(share));
        return {
          dividendNet: mv(d.net, share.currency),
          paymentDate: ts(day(d.payment)),
          declaredDate: ts(day(d.declared)),
          lastBuyDate: ts(day(d.record) - DAY),
          dividendType: d.type ?? 'Regular Cash',
          recordDate: ts(day(d.record)),
          regularity: share.classCode === 'SPBXM' ? 'Quarter' : 'Annual',
          closePrice: mv(closePrice, share.currency),
          yieldValue: q(dec(d.net).div(closePrice).times(100).round(2, 'half-up')),
          createdAt: ts(day(d.declared) + 12 * HOUR),
        };
      });
    return { dividends: result };
  }

  function findInstrument(body: Record<string, unknown>) {
    const query = (optString(body, 'query') ?? '').trim().toLowerCase();
    if (query === '') throw invalid('30087', 'query is required');
    const kind = optString(body, 'instrumentKind');
    const tradableOnly = body.apiTradeAvailableFlag === true;
    const instruments = INSTRUMENTS.filter(
      (i) =>
        [i.ticker, i.isin, i.figi, i.name].some((field) => field.toLowerCase().includes(query)) &&
        (kind === undefined ||
          kind === 'INSTRUMENT_TYPE_UNSPECIFIED' ||
          INSTRUMENT_KIND_ENUM[i.kind] === kind) &&
        (!tradableOnly || i.tradable),
    ).map(shortWire);
    return { instruments };
  }

  // ---- accounts

  function accountFor(body: Record<string, unknown>, token: string): FakeAccount {
    const accountId = optString(body, 'accountId');
    if (accountId === undefined || accountId === '') throw invalid('30021', 'account_id is required');
    const account = accounts.get(accountId);
    if (account === undefined) throw new ApiError(404, 5, '50004', 'account not found');
    if (!visibleTo(token).includes(accountId)) {
      throw new ApiError(403, 7, '40002', 'insufficient privileges');
    }
    return account;
  }

  function getAccounts(body: Record<string, unknown>, token: string) {
    const status = optString(body, 'status');
    const visible = visibleTo(token);
    return {
      accounts: [...accounts.values()]
        .filter((a) => visible.includes(a.wire.id))
        .filter((a) => status === undefined || !ACCOUNT_STATUS_FILTER.has(status) || a.wire.status === status)
        .map((a) => a.wire),
    };
  }

  function portfolio(body: Record<string, unknown>, token: string): WirePortfolioResponse {
    const account = accountFor(body, token);
    const requested = (optString(body, 'currency') ?? 'RUB').toLowerCase();
    if (!['rub', 'usd', 'eur'].includes(requested)) throw invalid('30001', 'currency is invalid');
    const inRequested = (amount: Decimal, iso: string) => amount.times(rubRate(iso)).div(rubRate(requested));
    const totals: Record<Kind, Decimal> = {
      share: dec(0),
      bond: dec(0),
      etf: dec(0),
      currency: dec(0),
      futures: dec(0),
      option: dec(0),
    };
    let cost = dec(0);
    let value = dec(0);
    const positions: WirePortfolioPosition[] = [];

    for (const [uid, holding] of account.holdings) {
      const instrument = INSTRUMENTS.find((i) => i.uid === uid);
      if (instrument === undefined) continue;
      const currency = instrument.currency;
      const current = pieceValue(instrument, priceOf(instrument));
      const aci = instrument.kind === 'bond' ? accruedInterest(instrument, now()) : dec(0);
      const expectedYield = current.minus(holding.averagePrice).times(holding.quantity);
      totals[instrument.kind] = totals[instrument.kind].plus(
        inRequested(current.plus(aci).times(holding.quantity), currency),
      );
      cost = cost.plus(inRequested(holding.averagePrice.times(holding.quantity), currency));
      value = value.plus(inRequested(current.times(holding.quantity), currency));
      positions.push({
        figi: instrument.figi,
        instrumentType: instrument.kind,
        instrumentUid: instrument.uid,
        positionUid: instrument.positionUid,
        ticker: instrument.ticker,
        classCode: instrument.classCode,
        quantity: q(holding.quantity),
        averagePositionPrice: mv(round2(holding.averagePrice), currency),
        averagePositionPriceFifo: mv(round2(holding.averagePrice), currency),
        currentPrice: mv(round2(current), currency),
        currentNkd: instrument.kind === 'bond' ? mv(aci, currency) : null,
        expectedYield: q(round2(expectedYield)),
        expectedYieldFifo: q(round2(expectedYield)),
        quantityLots: q(holding.quantity.div(instrument.lot).round(0, 'down')),
        blockedLots: q(0),
        blocked: false,
      });
    }
    for (const [iso, amount] of account.cash) {
      const instrument = currencyInstrument(iso);
      if (instrument === undefined || amount.eq(0)) continue;
      const rate = rubRate(iso);
      totals.currency = totals.currency.plus(inRequested(amount, iso));
      positions.push({
        figi: instrument.figi,
        instrumentType: 'currency',
        instrumentUid: instrument.uid,
        positionUid: instrument.positionUid,
        ticker: instrument.ticker,
        classCode: instrument.classCode,
        quantity: q(amount),
        averagePositionPrice: mv(round2(account.fxAverage.get(iso) ?? rate), 'rub'),
        currentPrice: mv(rate, 'rub'),
        currentNkd: null,
        blocked: false,
      });
    }
    const zero = mv(0, requested);
    const total = Object.values(totals).reduce((sum, part) => sum.plus(part), dec(0));
    return {
      totalAmountShares: mv(round2(totals.share), requested),
      totalAmountBonds: mv(round2(totals.bond), requested),
      totalAmountEtf: mv(round2(totals.etf), requested),
      totalAmountCurrencies: mv(round2(totals.currency), requested),
      totalAmountFutures: mv(round2(totals.futures), requested),
      totalAmountOptions: mv(round2(totals.option), requested),
      totalAmountSp: zero,
      totalAmountPortfolio: mv(round2(total), requested),
      expectedYield: q(cost.eq(0) ? 0 : value.minus(cost).div(cost).times(100).round(2, 'half-up')),
      positions,
      accountId: account.wire.id,
      virtualPositions: [],
      dailyYield: zero,
      dailyYieldRelative: q(0),
    };
  }

  function positionsOf(body: Record<string, unknown>, token: string): WirePositionsResponse {
    const account = accountFor(body, token);
    return {
      money: [...account.cash].filter(([, amount]) => !amount.eq(0)).map(([iso, amount]) => mv(amount, iso)),
      blocked: [],
      securities: [...account.holdings].flatMap(([uid, holding]) => {
        const i = INSTRUMENTS.find((candidate) => candidate.uid === uid);
        if (i === undefined) return [];
        return [
          {
            figi: i.figi,
            instrumentUid: i.uid,
            positionUid: i.positionUid,
            ticker: i.ticker,
            classCode: i.classCode,
            instrumentType: i.kind,
            balance: holding.quantity.toFixed(0),
            blocked: '0',
            exchangeBlocked: false,
          },
        ];
      }),
      limitsLoadingInProgress: false,
      futures: [],
      options: [],
      accountId: account.wire.id,
    };
  }

  function operationsByCursor(body: Record<string, unknown>, token: string) {
    const account = accountFor(body, token);
    const limit = typeof body.limit === 'number' ? body.limit : 100;
    if (!Number.isInteger(limit) || limit < 0 || limit > 1000)
      throw invalid('30069', 'limit must not exceed 1000');
    const from = optTime(body, 'from', '30009') ?? Number.NEGATIVE_INFINITY;
    const to = optTime(body, 'to', '30010') ?? Number.POSITIVE_INFINITY;
    const instrumentId = optString(body, 'instrumentId');
    const instrument = instrumentId === undefined || instrumentId === '' ? undefined : resolve(instrumentId);
    if (instrumentId !== undefined && instrumentId !== '' && instrument === undefined)
      throw instrumentNotFound();
    const types = stringList(body, 'operationTypes');
    const state = optString(body, 'state');
    const withoutCommissions = body.withoutCommissions === true;
    const withoutTrades = body.withoutTrades === true;
    // Newest first, as the real API pages.
    const matching = [...account.operations].reverse().filter((op) => {
      const at = Date.parse(op.date ?? '');
      return (
        at >= from &&
        at < to &&
        (instrument === undefined || op.instrumentUid === instrument.uid) &&
        (types.length === 0 || types.includes(op.type)) &&
        (state === undefined || state === 'OPERATION_STATE_UNSPECIFIED' || op.state === state) &&
        (!withoutCommissions || op.type !== 'OPERATION_TYPE_BROKER_FEE')
      );
    });
    const cursor = optString(body, 'cursor');
    const offset = cursor === undefined || cursor === '' ? 0 : decodeCursor(cursor);
    const size = Math.min(limit === 0 ? 100 : limit, maxPageSize);
    const page = matching.slice(offset, offset + size).map((op, index) => ({
      ...op,
      cursor: encodeCursor(offset + index),
      tradesInfo: withoutTrades ? null : op.tradesInfo,
    }));
    const hasNext = offset + size < matching.length;
    return { hasNext, nextCursor: hasNext ? encodeCursor(offset + size) : '', items: page };
  }

  // ---- dispatch

  type Handler = (body: Record<string, unknown>, token: string) => unknown;
  const handlers: Record<string, Handler> = {
    'InstrumentsService/Shares': (body) => listing('share', body),
    'InstrumentsService/Bonds': (body) => listing('bond', body),
    'InstrumentsService/Etfs': (body) => listing('etf', body),
    'InstrumentsService/Currencies': (body) => listing('currency', body),
    'InstrumentsService/ShareBy': (body) => ({ instrument: shareWire(findBy(body, 'share')) }),
    'InstrumentsService/BondBy': (body) => ({ instrument: bondWire(findBy(body, 'bond')) }),
    'InstrumentsService/EtfBy': (body) => ({ instrument: etfWire(findBy(body, 'etf')) }),
    'InstrumentsService/CurrencyBy': (body) => ({ instrument: currencyWire(findBy(body, 'currency')) }),
    'InstrumentsService/GetInstrumentBy': (body) => ({ instrument: instrumentWire(findBy(body)) }),
    'InstrumentsService/FindInstrument': findInstrument,
    'InstrumentsService/GetBondCoupons': bondCoupons,
    'InstrumentsService/GetAccruedInterests': accruedInterests,
    'InstrumentsService/GetDividends': dividends,
    'MarketDataService/GetLastPrices': lastPrices,
    'MarketDataService/GetCandles': candles,
    'UsersService/GetAccounts': getAccounts,
    'UsersService/GetInfo': (_body, token) => ({
      premStatus: false,
      qualStatus: false,
      qualifiedForWorkWith: [],
      tariff: 'investor',
      userId: tokens.get(token)?.userId ?? '',
      riskLevelCode: '',
    }),
    'OperationsService/GetPortfolio': portfolio,
    'OperationsService/GetPositions': positionsOf,
    'OperationsService/GetOperationsByCursor': operationsByCursor,
  };

  /** Fixed one-minute windows per user and service, whichever token is used, reported as Envoy does. */
  function rateLimit(service: string, token: string, res: ServerResponse): boolean {
    const limit = limits.get(service) ?? 100;
    const key = `${service}:${tokens.get(token)?.userId ?? token}`;
    const windowStart = Math.floor(now() / MINUTE) * MINUTE;
    let window = windows.get(key);
    if (window === undefined || window.start !== windowStart) {
      window = { start: windowStart, count: 0 };
      windows.set(key, window);
    }
    window.count++;
    res.setHeader('x-ratelimit-limit', `${limit}, ${limit};w=60`);
    res.setHeader('x-ratelimit-remaining', String(Math.max(0, limit - window.count)));
    res.setHeader('x-ratelimit-reset', String(Math.max(1, Math.ceil((windowStart + MINUTE - now()) / 1000))));
    return window.count <= limit;
  }

  function sendJson(res: ServerResponse, status: number, payload: unknown): void {
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function sendError(res: ServerResponse, error: ApiError): void {
    sendJson(res, error.status, {
      code: error.grpcCode,
      message: error.message,
      // An integer, as openapi types it.
      description: Number(error.description),
    });
  }

  function takeFault(service: string, method: string): FakeFault | undefined {
    for (const key of [method, `${service}/${method}`]) {
      const queue = faults.get(key);
      const head = queue?.[0];
      if (queue === undefined || head === undefined) continue;
      if (head.skip > 0) {
        head.skip--;
        return undefined;
      }
      head.remaining--;
      if (head.remaining <= 0) queue.shift();
      return head.fault;
    }
    return undefined;
  }

  const DEFAULT_FAULT_ERRORS: Readonly<Record<number, [number, string, string]>> = {
    400: [3, '30001', 'bad request'],
    401: [16, '40003', 'authentication token is missing or invalid'],
    403: [7, '40002', 'insufficient privileges'],
    404: [5, '50002', 'instrument not found'],
    429: [8, '80002', 'request limit exceeded'],
    500: [13, '70001', 'internal error'],
    503: [14, '70003', 'service is unavailable, retry later'],
    504: [4, '70002', 'deadline exceeded'],
  };

  function applyFault(fault: FakeFault, res: ServerResponse, service: string): void {
    if (fault === 'timeout') return; // never answer; the client must give up on its own
    if (fault === 'drop') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"hasNext":true,"items":[{"id":"');
      res.socket?.destroy();
      return;
    }
    if (fault === 'redirect') {
      res.writeHead(307, { location: `${url}/moved` });
      res.end();
      return;
    }
    if (fault === 'oversized') {
      // Chunked, no Content-Length: the client has to count bytes itself.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"lastPrices":[],"padding":"');
      const block = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 32; i++) res.write(block);
      res.end('"}');
      return;
    }
    if ('body' in fault) {
      res.writeHead(fault.status ?? 200, { 'content-type': 'application/json' });
      res.end(fault.body);
      return;
    }
    const [grpc, code, message] = DEFAULT_FAULT_ERRORS[fault.status] ?? [2, '70001', 'unknown error'];
    if (fault.status === 429) {
      const windowEnd = Math.floor(now() / MINUTE) * MINUTE + MINUTE;
      res.setHeader('x-ratelimit-limit', `${limits.get(service) ?? 100}, ${limits.get(service) ?? 100};w=60`);
      res.setHeader('x-ratelimit-remaining', '0');
      res.setHeader('x-ratelimit-reset', String(Math.max(1, Math.ceil((windowEnd - now()) / 1000))));
    }
    sendError(res, new ApiError(fault.status, grpc, fault.code ?? code, fault.message ?? message));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-tracking-id', randomUUID().replaceAll('-', ''));
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(PREFIX)) {
      sendJson(res, 404, { code: 5, message: 'Not Found', details: [] });
      return;
    }
    const [service = '', method = ''] = path.slice(PREFIX.length).split('/');
    const operation = `${service}/${method}`;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' });
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      sendJson(res, 400, { code: 3, message: 'invalid JSON body', details: [] });
      return;
    }
    const authorization = req.headers.authorization ?? '';
    const token = authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : null;
    const appName = req.headers['x-app-name'];
    calls.push({ service, method, body, token, appName: typeof appName === 'string' ? appName : null });

    const fault = takeFault(service, method);
    if (fault !== undefined) {
      applyFault(fault, res, service);
      return;
    }
    const handler = handlers[operation];
    if (handler === undefined) {
      sendJson(res, 404, { code: 5, message: 'Not Found', details: [] });
      return;
    }
    if (token === null || !tokens.has(token)) {
      sendError(res, new ApiError(401, 16, '40003', 'authentication token is missing or invalid'));
      return;
    }
    if (!rateLimit(service, token, res)) {
      sendError(res, new ApiError(429, 8, '80002', 'request limit exceeded'));
      return;
    }
    if (!isRecord(body)) {
      sendJson(res, 400, { code: 3, message: 'request body must be an object', details: [] });
      return;
    }
    try {
      sendJson(res, 200, handler(body, token));
    } catch (error) {
      if (error instanceof ApiError) sendError(res, error);
      else sendError(res, new ApiError(500, 13, '70001', 'internal error'));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, new ApiError(500, 13, '70001', 'internal error'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}/rest`;

  return {
    url,
    port,
    calls,
    callsTo: (method) =>
      calls.filter((call) => call.method === method || `${call.service}/${call.method}` === method),
    clearCalls: () => {
      calls.length = 0;
    },
    failNext: (method, fault, times = 1, after = 0) => {
      const queue = faults.get(method) ?? [];
      queue.push({ fault, remaining: times, skip: after });
      faults.set(method, queue);
    },
    setPrice: (id, price) => {
      const instrument = resolve(id) ?? INSTRUMENTS.find((i) => i.ticker === id);
      if (instrument === undefined) throw new Error(`fake has no instrument ${id}`);
      decimalToQuotation(price); // refuses what a Quotation could not carry
      prices.set(instrument.uid, price);
    },
    setDealerPrice: (id, price) => {
      const instrument = resolve(id) ?? INSTRUMENTS.find((i) => i.ticker === id);
      if (instrument === undefined) throw new Error(`fake has no instrument ${id}`);
      if (price === null) dealerPrices.delete(instrument.uid);
      else dealerPrices.set(instrument.uid, price);
    },
    setRateLimit: (service, perMinute) => {
      limits.set(service, perMinute);
      // A new budget starts counting afresh, whatever earlier requests used.
      for (const key of windows.keys()) if (key.startsWith(`${service}:`)) windows.delete(key);
    },
    advanceClock: (ms) => {
      clockOffset += ms;
    },
    setMaxPageSize: (size) => {
      maxPageSize = size;
    },
    addToken: (token, accountIds, userId = FAKE_USER_ID) => {
      tokens.set(token, { accounts: accountIds ?? [...accounts.keys()], userId });
    },
    renumber: () => {
      generation++;
      for (const account of accounts.values()) renumber(account, generation);
    },
    uidOf: (ticker) => byTicker(ticker).uid,
    operationsOf: (accountId) => accounts.get(accountId)?.operations ?? [],
    close: () =>
      new Promise<void>((resolveClose) => {
        // Requests held open by a 'timeout' fault must not keep the server alive.
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`op:${offset}`).toString('base64');
}

function decodeCursor(cursor: string): number {
  const match = /^op:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (match?.[1] === undefined) throw invalid('30001', 'cursor is invalid');
  return Number(match[1]);
}

// ------------------------------------------------------------------------------------------------
// Standalone: an offline demo data source.

function argValue(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const args = process.argv.slice(2);
  const port = Number(argValue(args, '--port') ?? '9999');
  const fake = await startFakeTinvest({ port, host: argValue(args, '--host') ?? '127.0.0.1' });
  console.log(`Fake T-Invest REST API: ${fake.url}`);
  console.log(`Demo token (all accounts): ${FAKE_DEMO_TOKEN}`);
  console.log(`Account-scoped token (broker account only): ${FAKE_LIMITED_TOKEN}`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
