/**
 * MarketDataProvider over the public MOEX ISS (no token; anonymous data is 15 minutes delayed).
 *
 * An instrument is a security on a board: its provider uid is `moex:BOARD:SECID` (e.g.
 * `moex:TQBR:SBER`), and BOARD is the class code, SECID the ticker — the same pair T-Invest uses,
 * which is how the market service recognises one instrument across both providers.
 *
 * ISS facts this relies on: tables are `{columns, data}` blocks; prices are JSON numbers; bond
 * prices are in % of the face value (FACEVALUE, in FACEUNIT), ACCRUEDINT is the НКД per bond;
 * "SUR" means roubles; times are Moscow time without a zone; `0000-00-00` means no date; candles
 * come at most 500 a page (`start` pages on); bondization pages at 20 rows unless limit=unlimited.
 */
import { Decimal, dec } from '../../../../common/decimal.js';
import { tradingDayBefore } from '../../../../common/calendar/index.js';

import {
  MarketDataError,
  type AccruedInterest,
  type Amortization,
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
  type Operation,
  type Portfolio,
  type Positions,
} from '../provider.js';
import { IssClient, type IssClientOptions, type IssRow } from './iss-client.js';

interface Board {
  engine: string;
  market: string;
  kind: InstrumentKind;
}

/** The boards the catalogue is listed from, and where each lives in the ISS tree. */
const BOARDS: Readonly<Record<string, Board>> = {
  TQBR: { engine: 'stock', market: 'shares', kind: 'share' },
  TQTF: { engine: 'stock', market: 'shares', kind: 'etf' },
  TQOB: { engine: 'stock', market: 'bonds', kind: 'bond' },
  TQCB: { engine: 'stock', market: 'bonds', kind: 'bond' },
  TQIR: { engine: 'stock', market: 'bonds', kind: 'bond' },
  CETS: { engine: 'currency', market: 'selt', kind: 'currency' },
  SNDX: { engine: 'stock', market: 'index', kind: 'other' },
};

const LIST_BOARDS: Readonly<Record<ListableInstrumentKind, readonly string[]>> = {
  share: ['TQBR'],
  bond: ['TQOB', 'TQCB', 'TQIR'],
  etf: ['TQTF'],
  currency: ['CETS'],
};

/** Where a security of an ISS search group is traded, when it is one of ours. */
const GROUP_KIND: Readonly<Record<string, InstrumentKind>> = {
  stock_shares: 'share',
  stock_dr: 'share',
  stock_bonds: 'bond',
  stock_etf: 'etf',
  stock_ppif: 'etf',
  currency_selt: 'currency',
  stock_index: 'other',
};

/** ISS candle intervals in minutes (24 = day, 7 = week, 31 = month); the others do not exist. */
const ISS_INTERVAL: Partial<Record<CandleInterval, number>> = {
  '1min': 1,
  '10min': 10,
  '1hour': 60,
  day: 24,
  week: 7,
  month: 31,
};

/** The `securities=` filter of a board document takes this many tickers at a time. */
const PRICE_BATCH = 10;
const CANDLE_PAGE = 500;
const MAX_CANDLE_PAGES = 40;

export const MOEX_UID_PREFIX = 'moex:';

export function moexUid(board: string, secid: string): string {
  return `${MOEX_UID_PREFIX}${board}:${secid}`;
}

/** Board and ticker of a `moex:BOARD:SECID` id; null for any other id. */
export function parseMoexUid(uid: string): { board: string; secid: string } | null {
  const m = /^moex:([A-Z0-9_]+):([A-Za-z0-9_.-]+)$/.exec(uid);
  return m ? { board: m[1]!, secid: m[2]! } : null;
}

function parseUid(uid: string): { board: string; secid: string } {
  const parsed = parseMoexUid(uid);
  if (parsed === null) throw new MarketDataError('NOT_FOUND', `not a MOEX instrument: ${uid}`);
  return parsed;
}

const text = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';

/** A cell as an exact decimal string; null for null, "", 0 where 0 means "none", and junk. */
function decimal(v: unknown, zeroIsNone = false): string | null {
  if (v === null || v === undefined || v === '') return null;
  const d = Decimal.lenient(v);
  if (d === null) return null;
  if (zeroIsNone && d.eq(0)) return null;
  return d.toFixed();
}

/** ISS spells the rouble "SUR" (its pre-1998 code) and sometimes in lower case. */
function currency(v: unknown): string {
  const c = text(v).toUpperCase();
  return c === 'SUR' || c === 'RUR' ? 'RUB' : c;
}

/** "YYYY-MM-DD" as a UTC midnight; "0000-00-00", "" and null as null. */
function day(v: unknown): Date | null {
  const s = text(v);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || s.startsWith('0000')) return null;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "YYYY-MM-DD HH:MM:SS" in Moscow time (UTC+3 all year since 2014) as an instant. */
function moscowTime(date: string, time = '00:00:00'): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date.startsWith('0000') || !/^\d{2}:\d{2}:\d{2}$/.test(time))
    return null;
  const d = new Date(`${date}T${time}+03:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

function moscowDay(d: Date): string {
  return new Date(d.getTime() + 3 * 3_600_000).toISOString().slice(0, 10);
}

export interface IssProviderOptions extends IssClientOptions {
  client?: IssClient;
  /** The process clock: "today" of the accrued interest ISS publishes. */
  now: () => Date;
}

export class MoexIssProvider implements MarketDataProvider {
  private readonly client: IssClient;
  private readonly now: () => Date;
  readonly candleIntervals = Object.keys(ISS_INTERVAL) as CandleInterval[];

  constructor(options: IssProviderOptions) {
    this.client = options.client ?? new IssClient(options);
    this.now = options.now;
  }

  /** The engine and market a board lives in; boards we do not list are looked up once. */
  private async board(board: string, secid: string): Promise<Board> {
    const known = BOARDS[board];
    if (known) return known;
    const { boards } = await this.client.tables(`/securities/${encodeURIComponent(secid)}`, ['boards']);
    const row = boards.find((b) => text(b.boardid) === board);
    if (!row) throw new MarketDataError('NOT_FOUND', `MOEX ISS: ${secid} is not traded on ${board}`);
    const group = `${text(row.engine)}_${text(row.market)}`;
    return { engine: text(row.engine), market: text(row.market), kind: GROUP_KIND[group] ?? 'other' };
  }

  private boardPath(b: Board, board: string): string {
    return `/engines/${b.engine}/markets/${b.market}/boards/${board}/securities`;
  }

  private toInstrument(row: IssRow, board: string, kind: InstrumentKind): Instrument {
    const secid = text(row.SECID);
    const bond = kind === 'bond';
    const faceUnit = currency(row.FACEUNIT);
    // A currency pair: the traded currency is named by the face unit, else by the ticker (USD000UTSTOM).
    const traded = faceUnit !== '' && faceUnit !== 'RUB' ? faceUnit : secid.slice(0, 3).toUpperCase();
    const face = decimal(row.FACEVALUE, true);
    return {
      uid: moexUid(board, secid),
      figi: '',
      ticker: secid,
      classCode: board,
      isin: text(row.ISIN),
      name: text(row.SECNAME) || text(row.SHORTNAME) || text(row.NAME) || secid,
      kind,
      lot: Math.max(1, Number(row.LOTSIZE) || 1),
      // Active on the board; ISS has no notion of "tradable through an API".
      tradable: text(row.STATUS) === '' || text(row.STATUS) === 'A',
      currency: currency(row.CURRENCYID) || (kind === 'other' ? 'RUB' : faceUnit) || 'RUB',
      minPriceIncrement: decimal(row.MINSTEP, true),
      nominal:
        kind === 'currency'
          ? { amount: face ?? '1', currency: traded }
          : bond && face !== null
            ? { amount: face, currency: faceUnit || 'RUB' }
            : null,
      aciValue: bond ? { amount: decimal(row.ACCRUEDINT) ?? '0', currency: faceUnit || 'RUB' } : null,
      maturityDate: bond ? day(row.MATDATE) : null,
      couponsPerYear:
        bond && Number(row.COUPONPERIOD) > 0 ? Math.round(365 / Number(row.COUPONPERIOD)) : null,
      firstDayCandleDate: null,
    };
  }

  async listInstruments(kind: ListableInstrumentKind): Promise<Instrument[]> {
    const out: Instrument[] = [];
    for (const board of LIST_BOARDS[kind]) {
      const b = BOARDS[board]!;
      const { securities } = await this.client.tables(this.boardPath(b, board), ['securities']);
      for (const row of securities) {
        if (text(row.SECID) === '') continue;
        // CETS also lists swaps and other settlement dates; the "tomorrow" contracts price currencies.
        if (kind === 'currency' && !/TOM$/.test(text(row.SECID))) continue;
        out.push(this.toInstrument(row, board, b.kind));
      }
    }
    return out;
  }

  async findInstruments(query: string): Promise<InstrumentSummary[]> {
    const { securities } = await this.client.tables('/securities', ['securities'], { q: query, limit: 50 });
    const out: InstrumentSummary[] = [];
    for (const row of securities) {
      const kind = GROUP_KIND[text(row.group)];
      const board = text(row.primary_boardid);
      const secid = text(row.secid);
      if (kind === undefined || board === '' || secid === '') continue;
      out.push({
        uid: moexUid(board, secid),
        figi: '',
        ticker: secid,
        classCode: board,
        isin: text(row.isin),
        name: text(row.name) || text(row.shortname) || secid,
        kind,
        lot: 1,
        tradable: Number(row.is_traded) === 1,
      });
    }
    return out;
  }

  async getInstrument(uid: string): Promise<Instrument> {
    const { board, secid } = parseUid(uid);
    const b = await this.board(board, secid);
    const { securities } = await this.client.tables(
      `${this.boardPath(b, board)}/${encodeURIComponent(secid)}`,
      ['securities'],
    );
    const row = securities[0];
    if (!row) throw new MarketDataError('NOT_FOUND', `MOEX ISS: no ${secid} on ${board}`);
    return this.toInstrument(row, board, b.kind);
  }

  async getLastPrices(uids: readonly string[]): Promise<LastPrice[]> {
    const byBoard = new Map<string, string[]>();
    for (const uid of uids) {
      const { board, secid } = parseUid(uid);
      byBoard.set(board, [...(byBoard.get(board) ?? []), secid]);
    }
    const out: LastPrice[] = [];
    for (const [board, secids] of byBoard) {
      const b = await this.board(board, secids[0]!);
      for (let i = 0; i < secids.length; i += PRICE_BATCH) {
        const batch = secids.slice(i, i + PRICE_BATCH);
        const { securities, marketdata } = await this.client.tables(
          this.boardPath(b, board),
          ['securities', 'marketdata'],
          { securities: batch.join(',') },
        );
        const wanted = new Set(batch);
        const previous = new Map(securities.map((r) => [text(r.SECID), r]));
        const priced = new Set<string>();
        for (const md of marketdata) {
          const secid = text(md.SECID);
          if (!wanted.has(secid)) continue;
          const price =
            decimal(md.LAST, true) ??
            decimal(md.LCURRENTPRICE, true) ??
            decimal(md.MARKETPRICE, true) ??
            decimal(md.CURRENTVALUE, true);
          const sys = text(md.SYSTIME);
          const time =
            moscowTime(sys.slice(0, 10), text(md.TIME) || text(md.UPDATETIME) || sys.slice(11)) ??
            moscowTime(sys.slice(0, 10), sys.slice(11));
          if (price === null || time === null) continue;
          out.push({ instrumentUid: moexUid(board, secid), price, time });
          priced.add(secid);
        }
        // No trade yet today (or an empty day): the previous session's close still prices it.
        for (const secid of batch) {
          if (priced.has(secid)) continue;
          const row = previous.get(secid);
          if (!row) continue;
          const price = decimal(row.PREVLEGALCLOSEPRICE, true) ?? decimal(row.PREVPRICE, true);
          const time = moscowTime(text(row.PREVDATE), '18:50:00');
          if (price !== null && time !== null)
            out.push({ instrumentUid: moexUid(board, secid), price, time });
        }
      }
    }
    return out;
  }

  async getCandles(uid: string, from: Date, to: Date, interval: CandleInterval): Promise<Candle[]> {
    const minutes = ISS_INTERVAL[interval];
    if (minutes === undefined)
      throw new MarketDataError('INVALID_REQUEST', `MOEX ISS has no ${interval} candles`);
    const { board, secid } = parseUid(uid);
    const b = await this.board(board, secid);
    const path = `${this.boardPath(b, board)}/${encodeURIComponent(secid)}/candles`;
    const out: Candle[] = [];
    for (let page = 0, start = 0; page < MAX_CANDLE_PAGES; page++) {
      const { candles } = await this.client.tables(path, ['candles'], {
        from: moscowDay(from),
        till: moscowDay(to),
        interval: minutes,
        start,
      });
      for (const c of candles) {
        const begin = text(c.begin);
        const time = moscowTime(begin.slice(0, 10), begin.slice(11));
        const [open, high, low, close] = [c.open, c.high, c.low, c.close].map((v) => decimal(v));
        if (time === null || open == null || high == null || low == null || close == null) continue;
        if (time < from || time >= to) continue;
        out.push({ time, open, high, low, close, volume: decimal(c.volume) ?? '0' });
      }
      if (candles.length < CANDLE_PAGE) break;
      start += candles.length;
    }
    return out;
  }

  /** ISS publishes only today's НКД (in the board document), not a daily history. */
  async getAccruedInterests(uid: string, from: Date, to: Date): Promise<AccruedInterest[]> {
    const bond = await this.getInstrument(uid);
    const today = new Date(`${moscowDay(this.now())}T00:00:00Z`);
    if (bond.aciValue === null || today < from || today > to) return [];
    const nominal = bond.nominal?.amount ?? '0';
    return [
      {
        date: today,
        value: bond.aciValue.amount,
        valuePercent: dec(nominal).eq(0)
          ? '0'
          : dec(bond.aciValue.amount).times(100).div(nominal).round(9).toFixed(),
        nominal,
      },
    ];
  }

  async getBondCoupons(uid: string, from?: Date, to?: Date): Promise<Coupon[]> {
    const { secid } = parseUid(uid);
    const { coupons } = await this.client.tables(
      `/securities/${encodeURIComponent(secid)}/bondization`,
      ['coupons'],
      {
        limit: 'unlimited',
      },
    );
    return coupons
      .map((c, i): Coupon => {
        const couponDate = day(c.coupondate);
        const periodStart = day(c.startdate);
        const value = decimal(c.value);
        return {
          instrumentUid: uid,
          number: i + 1,
          couponDate,
          fixDate: day(c.recorddate),
          // A future floating coupon is published with an empty value until it is fixed.
          amountPerBond: value === null ? null : { amount: value, currency: currency(c.faceunit) || 'RUB' },
          type: value === null ? 'floating' : 'constant',
          periodStart,
          periodEnd: couponDate,
          periodDays:
            couponDate !== null && periodStart !== null
              ? Math.round((couponDate.getTime() - periodStart.getTime()) / 86_400_000)
              : 0,
        };
      })
      .filter((c) => c.couponDate !== null && (!from || c.couponDate >= from) && (!to || c.couponDate <= to));
  }

  async getBondAmortizations(uid: string): Promise<Amortization[]> {
    const { secid } = parseUid(uid);
    const { amortizations } = await this.client.tables(
      `/securities/${encodeURIComponent(secid)}/bondization`,
      ['amortizations'],
      { limit: 'unlimited' },
    );
    const out: Amortization[] = [];
    for (const a of amortizations) {
      const date = day(a.amortdate);
      const value = decimal(a.value, true);
      // The schedule ends with the redemption at maturity, which the calendar has from the bond.
      if (date === null || value === null || text(a.data_source) === 'maturity') continue;
      out.push({
        instrumentUid: uid,
        date,
        amountPerBond: { amount: value, currency: currency(a.faceunit) || 'RUB' },
      });
    }
    return out;
  }

  async getDividends(uid: string, from?: Date, to?: Date): Promise<Dividend[]> {
    const { secid } = parseUid(uid);
    const { dividends } = await this.client.tables(`/securities/${encodeURIComponent(secid)}/dividends`, [
      'dividends',
    ]);
    const out: Dividend[] = [];
    for (const d of dividends) {
      const recordDate = day(d.registryclosedate);
      if (recordDate === null || (from && recordDate < from) || (to && recordDate > to)) continue;
      const value = decimal(d.value);
      // T+1 settlement: the last day to buy is the trading day before the record date, weekends
      // and holidays skipped.
      const lastBuy = new Date(`${tradingDayBefore(recordDate.toISOString().slice(0, 10))}T00:00:00Z`);
      out.push({
        instrumentUid: uid,
        // ISS gives the declared amount per share, before the tax withheld.
        netPerShare: value === null ? null : { amount: value, currency: currency(d.currencyid) || 'RUB' },
        declaredDate: null,
        lastBuyDate: lastBuy,
        recordDate,
        paymentDate: null,
        dividendType: '',
        regularity: '',
        closePrice: null,
        yieldPercent: null,
      });
    }
    return out;
  }

  // The exchange knows nothing about anyone's broker account.
  getAccounts(): Promise<BrokerAccount[]> {
    return Promise.reject(noAccounts());
  }
  getPortfolio(): Promise<Portfolio> {
    return Promise.reject(noAccounts());
  }
  getPositions(): Promise<Positions> {
    return Promise.reject(noAccounts());
  }
  getOperationsByCursor(): Promise<Operation[]> {
    return Promise.reject(noAccounts());
  }
}

const noAccounts = () => new MarketDataError('TOKEN_MISSING', 'MOEX ISS has no broker accounts');
