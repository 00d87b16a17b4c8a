/**
 * MarketDataProvider over the T-Invest REST API: builds requests, checks response shapes and maps
 * T-Invest messages to our domain types. Transport concerns live in `client.ts`.
 */
import {
  MarketDataError,
  type AccruedInterest,
  type BrokerAccount,
  type Candle,
  type CandleInterval,
  type Coupon,
  type Dividend,
  type Instrument,
  type InstrumentKind,
  type InstrumentSummary,
  type LastPrice,
  type ListableInstrumentKind,
  type MarketDataProvider,
  type Money,
  type Operation,
  type OperationType,
  type OperationsQuery,
  type Portfolio,
  type Positions,
} from '../provider.js';
import { TinvestClient, type TinvestClientOptions } from './client.js';
import { WireReader } from './reader.js';
import {
  CANDLE_MAX_RANGE_MS,
  LAST_PRICES_BATCH_LIMIT,
  OPERATIONS_PAGE_LIMIT,
  type TinvestService,
  type WireCandleInterval,
  type WireCandleSource,
  type WireLastPriceType,
  type WireGetOperationsByCursorRequest,
  type WireInstrumentRequest,
} from './wire.js';

const LIST_METHOD: Readonly<Record<ListableInstrumentKind, string>> = {
  share: 'Shares',
  bond: 'Bonds',
  etf: 'Etfs',
  currency: 'Currencies',
};

const WIRE_INTERVAL: Readonly<Record<CandleInterval, WireCandleInterval>> = {
  '5sec': 'CANDLE_INTERVAL_5_SEC',
  '10sec': 'CANDLE_INTERVAL_10_SEC',
  '30sec': 'CANDLE_INTERVAL_30_SEC',
  '1min': 'CANDLE_INTERVAL_1_MIN',
  '2min': 'CANDLE_INTERVAL_2_MIN',
  '3min': 'CANDLE_INTERVAL_3_MIN',
  '5min': 'CANDLE_INTERVAL_5_MIN',
  '10min': 'CANDLE_INTERVAL_10_MIN',
  '15min': 'CANDLE_INTERVAL_15_MIN',
  '30min': 'CANDLE_INTERVAL_30_MIN',
  '1hour': 'CANDLE_INTERVAL_HOUR',
  '2hour': 'CANDLE_INTERVAL_2_HOUR',
  '4hour': 'CANDLE_INTERVAL_4_HOUR',
  day: 'CANDLE_INTERVAL_DAY',
  week: 'CANDLE_INTERVAL_WEEK',
  month: 'CANDLE_INTERVAL_MONTH',
};

/**
 * The OperationType names that move securities or cash; the others (order placements, reports)
 * are kept as `other`. TRANS_BS_BS is an inflow here and an outflow when its quantity is negative.
 */
const OPERATION_TYPES: Readonly<Record<string, OperationType>> = {
  OPERATION_TYPE_INPUT: 'deposit',
  OPERATION_TYPE_INPUT_SWIFT: 'deposit',
  OPERATION_TYPE_INPUT_ACQUIRING: 'deposit',
  OPERATION_TYPE_INP_MULTI: 'deposit',
  OPERATION_TYPE_OUTPUT: 'withdrawal',
  OPERATION_TYPE_OUTPUT_SWIFT: 'withdrawal',
  OPERATION_TYPE_OUTPUT_ACQUIRING: 'withdrawal',
  OPERATION_TYPE_OUT_MULTI: 'withdrawal',
  OPERATION_TYPE_BUY: 'buy',
  OPERATION_TYPE_BUY_CARD: 'buy',
  OPERATION_TYPE_BUY_MARGIN: 'buy',
  OPERATION_TYPE_DELIVERY_BUY: 'buy',
  OPERATION_TYPE_SELL: 'sell',
  OPERATION_TYPE_SELL_CARD: 'sell',
  OPERATION_TYPE_SELL_MARGIN: 'sell',
  OPERATION_TYPE_DELIVERY_SELL: 'sell',
  OPERATION_TYPE_DIVIDEND: 'dividend',
  OPERATION_TYPE_DIV_EXT: 'dividend',
  OPERATION_TYPE_COUPON: 'coupon',
  OPERATION_TYPE_BOND_REPAYMENT: 'bond_redemption',
  OPERATION_TYPE_BOND_REPAYMENT_FULL: 'bond_redemption_full',
  OPERATION_TYPE_INPUT_SECURITIES: 'transfer_in',
  OPERATION_TYPE_OUTPUT_SECURITIES: 'transfer_out',
  OPERATION_TYPE_TRANS_BS_BS: 'transfer_in',
  OPERATION_TYPE_TRANS_IIS_BS: 'iis_transfer',
  OPERATION_TYPE_OVERNIGHT: 'income',
  OPERATION_TYPE_OVER_INCOME: 'income',
  OPERATION_TYPE_ACCRUING_VARMARGIN: 'income',
  OPERATION_TYPE_WRITING_OFF_VARMARGIN: 'income',
  OPERATION_TYPE_DIVIDEND_TRANSFER: 'dividend',
  OPERATION_TYPE_OPTION_EXPIRATION: 'expiration',
  OPERATION_TYPE_FUTURE_EXPIRATION: 'expiration',
  OPERATION_TYPE_BROKER_FEE: 'fee',
  OPERATION_TYPE_SERVICE_FEE: 'fee',
  OPERATION_TYPE_MARGIN_FEE: 'fee',
  OPERATION_TYPE_SUCCESS_FEE: 'fee',
  OPERATION_TYPE_TRACK_MFEE: 'fee',
  OPERATION_TYPE_TRACK_PFEE: 'fee',
  OPERATION_TYPE_CASH_FEE: 'fee',
  OPERATION_TYPE_OUT_FEE: 'fee',
  OPERATION_TYPE_OUT_STAMP_DUTY: 'fee',
  OPERATION_TYPE_OUTPUT_PENALTY: 'fee',
  OPERATION_TYPE_ADVICE_FEE: 'fee',
  OPERATION_TYPE_OVER_COM: 'fee',
  OPERATION_TYPE_TAX: 'tax',
  OPERATION_TYPE_BOND_TAX: 'tax',
  OPERATION_TYPE_DIVIDEND_TAX: 'tax',
  OPERATION_TYPE_BENEFIT_TAX: 'tax',
  OPERATION_TYPE_TAX_CORRECTION: 'tax',
  OPERATION_TYPE_TAX_CORRECTION_COUPON: 'tax',
  OPERATION_TYPE_TAX_PROGRESSIVE: 'tax',
  OPERATION_TYPE_BOND_TAX_PROGRESSIVE: 'tax',
  OPERATION_TYPE_DIVIDEND_TAX_PROGRESSIVE: 'tax',
  OPERATION_TYPE_BENEFIT_TAX_PROGRESSIVE: 'tax',
  OPERATION_TYPE_TAX_CORRECTION_PROGRESSIVE: 'tax',
  OPERATION_TYPE_TAX_REPO: 'tax',
  OPERATION_TYPE_TAX_REPO_PROGRESSIVE: 'tax',
  OPERATION_TYPE_TAX_REPO_HOLD: 'tax',
  OPERATION_TYPE_TAX_REPO_HOLD_PROGRESSIVE: 'tax',
  OPERATION_TYPE_TAX_REPO_REFUND: 'tax',
  OPERATION_TYPE_TAX_REPO_REFUND_PROGRESSIVE: 'tax',
};

const INSTRUMENT_KINDS: readonly InstrumentKind[] = [
  'share',
  'bond',
  'etf',
  'currency',
  'futures',
  'option',
  'sp',
];

/** The string `instrumentType` of positions, operations and Instrument ("share", "bond", ...). */
function instrumentKind(instrumentType: string): InstrumentKind {
  const lower = instrumentType.toLowerCase();
  return INSTRUMENT_KINDS.find((kind) => kind === lower) ?? 'other';
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function isZero(money: Money | null): boolean {
  return money === null || /^-?0(\.0*)?$/.test(money.amount);
}

function nonZero(money: Money | null): Money | null {
  return isZero(money) ? null : money;
}

function readSummary(r: WireReader, kind: InstrumentKind): InstrumentSummary {
  return {
    uid: r.requiredString('uid'),
    figi: r.string('figi'),
    ticker: r.string('ticker'),
    classCode: r.string('classCode'),
    isin: r.string('isin'),
    name: r.string('name'),
    kind,
    lot: r.int32('lot'),
    tradable: r.boolean('apiTradeAvailableFlag'),
  };
}

/** Share, Bond, Etf, Currency or Instrument: the type-specific extras are read when present. */
function readInstrument(r: WireReader, kind: InstrumentKind): Instrument {
  const isBond = kind === 'bond';
  return {
    ...readSummary(r, kind),
    currency: r.string('currency').toUpperCase(),
    minPriceIncrement: r.quotation('minPriceIncrement'),
    nominal: isBond || kind === 'currency' ? r.money('nominal') : null,
    aciValue: isBond ? r.money('aciValue') : null,
    maturityDate: isBond ? r.timestamp('maturityDate') : null,
    couponsPerYear: isBond ? r.int32('couponQuantityPerYear') : null,
    firstDayCandleDate: r.timestamp('first1dayCandleDate'),
  };
}

const ACCOUNT_TYPES: Readonly<Record<string, BrokerAccount['type']>> = {
  ACCOUNT_TYPE_TINKOFF: 'broker',
  ACCOUNT_TYPE_TINKOFF_IIS: 'iis',
  ACCOUNT_TYPE_INVEST_BOX: 'invest_box',
  ACCOUNT_TYPE_INVEST_FUND: 'invest_fund',
};
const ACCOUNT_STATUSES: Readonly<Record<string, BrokerAccount['status']>> = {
  ACCOUNT_STATUS_NEW: 'new',
  ACCOUNT_STATUS_OPEN: 'open',
  ACCOUNT_STATUS_CLOSED: 'closed',
};
const ACCESS_LEVELS: Readonly<Record<string, BrokerAccount['accessLevel']>> = {
  ACCOUNT_ACCESS_LEVEL_FULL_ACCESS: 'full',
  ACCOUNT_ACCESS_LEVEL_READ_ONLY: 'read_only',
  ACCOUNT_ACCESS_LEVEL_NO_ACCESS: 'none',
};
const COUPON_TYPES: Readonly<Record<string, Coupon['type']>> = {
  COUPON_TYPE_CONSTANT: 'constant',
  COUPON_TYPE_FLOATING: 'floating',
  COUPON_TYPE_DISCOUNT: 'discount',
  COUPON_TYPE_MORTGAGE: 'mortgage',
  COUPON_TYPE_FIX: 'fix',
  COUPON_TYPE_VARIABLE: 'variable',
};
const OPERATION_STATES: Readonly<Record<string, Operation['state']>> = {
  OPERATION_STATE_EXECUTED: 'executed',
  OPERATION_STATE_CANCELED: 'canceled',
  OPERATION_STATE_PROGRESS: 'in_progress',
};

/**
 * The executed quantity: `quantity` is what was ordered, `quantityDone` what was filled. An
 * executed operation without `quantityDone` counts the ordered amount less the unfilled rest.
 */
function executedQuantity(r: WireReader, state: Operation['state']): bigint {
  const done = BigInt(r.int64('quantityDone'));
  if (done !== 0n || state !== 'executed') return done;
  const ordered = BigInt(r.int64('quantity'));
  const rest = BigInt(r.int64('quantityRest'));
  return ordered > 0n && rest < ordered ? ordered - rest : 0n;
}

function readOperation(r: WireReader, accountId: string): Operation {
  const payment = r.money('payment');
  const currency = payment?.currency ?? '';
  const upstreamType = r.string('type');
  const instrumentUid = r.string('instrumentUid');
  const parentId = r.string('parentOperationId');
  const state = OPERATION_STATES[r.string('state')] ?? 'unknown';
  const quantity = executedQuantity(r, state);
  const mapped = OPERATION_TYPES[upstreamType] ?? 'other';
  return {
    id: r.requiredString('id'),
    accountId: r.string('brokerAccountId') || accountId,
    parentId: parentId === '' ? null : parentId,
    type: mapped === 'transfer_in' && quantity < 0n ? 'transfer_out' : mapped,
    upstreamType,
    state,
    instrumentUid: instrumentUid === '' ? null : instrumentUid,
    figi: r.string('figi'),
    ticker: r.string('ticker'),
    date: r.requiredTimestamp('date'),
    quantity: (quantity < 0n ? -quantity : quantity).toString(),
    tradeNums: (r.object('tradesInfo')?.array('trades') ?? [])
      .map((trade) => trade.string('num'))
      .filter((num) => num !== ''),
    price: nonZero(r.money('price')),
    payment: payment ?? { amount: '0', currency },
    commission: nonZero(r.money('commission')),
    accruedInterest: nonZero(r.money('accruedInt')),
    currency,
    description: r.string('name') || r.string('description'),
  };
}

export class TinvestProvider implements MarketDataProvider {
  private readonly client: TinvestClient;

  constructor(options: TinvestClientOptions) {
    this.client = new TinvestClient(options);
  }

  private async call(
    service: TinvestService,
    method: string,
    request: object,
    token: string | undefined,
  ): Promise<WireReader> {
    const json = await this.client.call(service, method, request, token);
    return WireReader.root(json, `${service}/${method}`);
  }

  /** Account data must never be fetched with the server's token, so an empty user token stops here. */
  private accountCall(service: TinvestService, method: string, request: object, userToken: string) {
    if (userToken === '') {
      throw new MarketDataError('TOKEN_MISSING', 'A T-Invest token of the account owner is required', {
        operation: `${service}/${method}`,
      });
    }
    return this.call(service, method, request, userToken);
  }

  async listInstruments(kind: ListableInstrumentKind, token?: string): Promise<Instrument[]> {
    const r = await this.call(
      'InstrumentsService',
      LIST_METHOD[kind],
      { instrumentStatus: 'INSTRUMENT_STATUS_BASE' },
      token,
    );
    return r.array('instruments').map((item) => readInstrument(item, kind));
  }

  async findInstruments(query: string, token?: string): Promise<InstrumentSummary[]> {
    // An empty query is an upstream error (30087); nothing matches it anyway.
    if (query.trim() === '') return [];
    const r = await this.call('InstrumentsService', 'FindInstrument', { query: query.trim() }, token);
    return r
      .array('instruments')
      .map((item) => readSummary(item, instrumentKind(item.string('instrumentType'))));
  }

  async getInstrument(uid: string, token?: string): Promise<Instrument> {
    const request: WireInstrumentRequest = { idType: 'INSTRUMENT_ID_TYPE_UID', id: uid };
    const r = await this.call('InstrumentsService', 'GetInstrumentBy', request, token);
    const instrument = r.object('instrument');
    if (instrument === null) {
      throw new MarketDataError('UPSTREAM_BAD_RESPONSE', 'T-Invest GetInstrumentBy returned no instrument', {
        operation: 'InstrumentsService/GetInstrumentBy',
      });
    }
    const kind = instrumentKind(instrument.string('instrumentType'));
    // Instrument lacks nominal and НКД; only the typed *By methods carry them.
    const detailMethod = kind === 'bond' ? 'BondBy' : kind === 'currency' ? 'CurrencyBy' : undefined;
    if (detailMethod === undefined) return readInstrument(instrument, kind);
    const detail = (await this.call('InstrumentsService', detailMethod, request, token)).object('instrument');
    return readInstrument(detail ?? instrument, kind);
  }

  async getLastPrices(uids: readonly string[], token?: string): Promise<LastPrice[]> {
    const unique = [...new Set(uids)];
    // An empty list asks for the prices of every instrument there is.
    if (unique.length === 0) return [];
    const responses = await Promise.all(
      chunk(unique, LAST_PRICES_BATCH_LIMIT).map((batch) =>
        this.call(
          'MarketDataService',
          'GetLastPrices',
          // Exchange prices: a dealer's weekend price is not the market's.
          {
            instrumentId: batch,
            lastPriceType: 'LAST_PRICE_EXCHANGE' satisfies WireLastPriceType,
            instrumentStatus: 'INSTRUMENT_STATUS_ALL',
          },
          token,
        ),
      ),
    );
    const prices: LastPrice[] = [];
    for (const r of responses) {
      for (const item of r.array('lastPrices')) {
        const price = item.quotation('price');
        const time = item.timestamp('time');
        // An instrument that never traded comes back without a price or time: no quote, not zero.
        if (price === null || time === null || item.string('lastPriceType') === 'LAST_PRICE_DEALER') continue;
        prices.push({ instrumentUid: item.requiredString('instrumentUid'), price, time });
      }
    }
    return prices;
  }

  async getCandles(
    uid: string,
    from: Date,
    to: Date,
    interval: CandleInterval,
    token?: string,
  ): Promise<Candle[]> {
    const wireInterval = WIRE_INTERVAL[interval];
    const step = CANDLE_MAX_RANGE_MS[wireInterval];
    // Keyed by open time: for daily and longer candles the server widens a chunk's edges to whole
    // periods, so neighbouring chunks can return the same candle.
    const byTime = new Map<number, Candle>();
    for (let start = from.getTime(); start < to.getTime(); start += step) {
      const end = Math.min(start + step, to.getTime());
      const r = await this.call(
        'MarketDataService',
        'GetCandles',
        {
          instrumentId: uid,
          from: new Date(start).toISOString(),
          to: new Date(end).toISOString(),
          interval: wireInterval,
          // Without it dealer weekend candles come too, and one would become a "close".
          candleSourceType: 'CANDLE_SOURCE_EXCHANGE' satisfies WireCandleSource,
        },
        token,
      );
      for (const item of r.array('candles')) {
        const time = item.requiredTimestamp('time');
        if (time < from || time >= to || item.string('candleSource') === 'CANDLE_SOURCE_DEALER_WEEKEND')
          continue;
        byTime.set(time.getTime(), {
          time,
          open: item.requiredQuotation('open'),
          high: item.requiredQuotation('high'),
          low: item.requiredQuotation('low'),
          close: item.requiredQuotation('close'),
          volume: item.int64('volume'),
        });
      }
    }
    return [...byTime.values()].sort((a, b) => a.time.getTime() - b.time.getTime());
  }

  async getAccruedInterests(uid: string, from: Date, to: Date, token?: string): Promise<AccruedInterest[]> {
    const r = await this.call(
      'InstrumentsService',
      'GetAccruedInterests',
      { instrumentId: uid, from: from.toISOString(), to: to.toISOString() },
      token,
    );
    return r.array('accruedInterests').map((item) => ({
      date: item.requiredTimestamp('date'),
      value: item.quotation('value') ?? '0',
      valuePercent: item.quotation('valuePercent') ?? '0',
      nominal: item.quotation('nominal') ?? '0',
    }));
  }

  async getBondCoupons(uid: string, from?: Date, to?: Date, token?: string): Promise<Coupon[]> {
    const r = await this.call(
      'InstrumentsService',
      'GetBondCoupons',
      { instrumentId: uid, from: from?.toISOString(), to: to?.toISOString() },
      token,
    );
    return r.array('events').map((item) => ({
      instrumentUid: uid,
      number: Number(item.int64('couponNumber')),
      couponDate: item.timestamp('couponDate'),
      fixDate: item.timestamp('fixDate'),
      // Future floating coupons come as zero or absent until they are fixed.
      amountPerBond: nonZero(item.money('payOneBond')),
      type: COUPON_TYPES[item.string('couponType')] ?? 'other',
      periodStart: item.timestamp('couponStartDate'),
      periodEnd: item.timestamp('couponEndDate'),
      periodDays: item.int32('couponPeriod'),
    }));
  }

  async getDividends(uid: string, from?: Date, to?: Date, token?: string): Promise<Dividend[]> {
    const r = await this.call(
      'InstrumentsService',
      'GetDividends',
      { instrumentId: uid, from: from?.toISOString(), to: to?.toISOString() },
      token,
    );
    return r.array('dividends').map((item) => ({
      instrumentUid: uid,
      netPerShare: nonZero(item.money('dividendNet')),
      declaredDate: item.timestamp('declaredDate'),
      lastBuyDate: item.timestamp('lastBuyDate'),
      recordDate: item.timestamp('recordDate'),
      paymentDate: item.timestamp('paymentDate'),
      dividendType: item.string('dividendType'),
      regularity: item.string('regularity'),
      closePrice: item.money('closePrice'),
      yieldPercent: item.quotation('yieldValue'),
    }));
  }

  async getAccounts(userToken: string): Promise<BrokerAccount[]> {
    // ALL, not the default: closed accounts still hold the history a re-sync needs.
    const r = await this.accountCall(
      'UsersService',
      'GetAccounts',
      { status: 'ACCOUNT_STATUS_ALL' },
      userToken,
    );
    return r.array('accounts').map((item) => ({
      id: item.requiredString('id'),
      name: item.string('name'),
      type: ACCOUNT_TYPES[item.string('type')] ?? 'other',
      status: ACCOUNT_STATUSES[item.string('status')] ?? 'other',
      accessLevel: ACCESS_LEVELS[item.string('accessLevel')] ?? 'unknown',
      openedDate: item.timestamp('openedDate'),
      closedDate: item.timestamp('closedDate'),
    }));
  }

  async getPortfolio(userToken: string, accountId: string): Promise<Portfolio> {
    const r = await this.accountCall(
      'OperationsService',
      'GetPortfolio',
      { accountId, currency: 'RUB' },
      userToken,
    );
    return {
      accountId: r.string('accountId') || accountId,
      totalValue: r.money('totalAmountPortfolio'),
      totalShares: r.money('totalAmountShares'),
      totalBonds: r.money('totalAmountBonds'),
      totalEtfs: r.money('totalAmountEtf'),
      totalCurrencies: r.money('totalAmountCurrencies'),
      expectedYieldPercent: r.quotation('expectedYield'),
      positions: r.array('positions').map((item) => ({
        instrumentUid: item.string('instrumentUid'),
        figi: item.string('figi'),
        ticker: item.string('ticker'),
        classCode: item.string('classCode'),
        kind: instrumentKind(item.string('instrumentType')),
        quantity: item.quotation('quantity') ?? '0',
        averagePrice: item.money('averagePositionPrice'),
        currentPrice: item.money('currentPrice'),
        currentAci: item.money('currentNkd'),
        expectedYield: item.quotation('expectedYield'),
        blocked: item.boolean('blocked'),
      })),
    };
  }

  async getPositions(userToken: string, accountId: string): Promise<Positions> {
    const r = await this.accountCall('OperationsService', 'GetPositions', { accountId }, userToken);
    return {
      accountId: r.string('accountId') || accountId,
      money: r.moneyArray('money'),
      blockedMoney: r.moneyArray('blocked'),
      securities: r.array('securities').map((item) => ({
        instrumentUid: item.string('instrumentUid'),
        figi: item.string('figi'),
        ticker: item.string('ticker'),
        classCode: item.string('classCode'),
        kind: instrumentKind(item.string('instrumentType')),
        balance: item.int64('balance'),
        blocked: item.int64('blocked'),
      })),
    };
  }

  async getOperationsByCursor(
    userToken: string,
    accountId: string,
    query: OperationsQuery = {},
  ): Promise<Operation[]> {
    const operation = 'OperationsService/GetOperationsByCursor';
    const byId = new Map<string, Operation>();
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const request: WireGetOperationsByCursorRequest = {
        accountId,
        instrumentId: query.instrumentUid,
        from: query.from?.toISOString(),
        to: query.to?.toISOString(),
        cursor,
        limit: OPERATIONS_PAGE_LIMIT,
        // Trade numbers identify an operation when its id has changed.
        withoutTrades: false,
      };
      const r = await this.accountCall('OperationsService', 'GetOperationsByCursor', request, userToken);
      for (const item of r.array('items')) {
        const op = readOperation(item, accountId);
        byId.set(op.id, op);
      }
      if (!r.boolean('hasNext')) break;
      const next = r.string('nextCursor');
      // An empty or repeated cursor would loop forever: the upstream is misbehaving.
      if (next === '' || seenCursors.has(next)) {
        throw new MarketDataError(
          'UPSTREAM_BAD_RESPONSE',
          `T-Invest ${operation}: hasNext without a new cursor`,
          {
            operation,
          },
        );
      }
      seenCursors.add(next);
      cursor = next;
    }
    return [...byId.values()].sort((a, b) => a.date.getTime() - b.date.getTime() || a.id.localeCompare(b.id));
  }
}
