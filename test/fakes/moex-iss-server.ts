/**
 * A fake MOEX ISS speaking its real JSON over real HTTP: `GET /iss/….json`, every block a
 * `{columns, data}` table, `iss.meta`, `iss.only` and `<block>.columns` honoured, `securities=`
 * filtering a board document, candles paged 500 at a time with `start`, bondization paged 20 rows
 * unless `limit=unlimited`. As untidy as the real one: prices are JSON numbers (some whole, some
 * not), the rouble is "SUR", missing dates are "0000-00-00", a bond's future floating coupon has a
 * null value, a board lists securities nobody asked about, errors come as HTML pages.
 *
 * Tests drive it through the returned object (fault modes, prices, a call log). Standalone it is an
 * offline demo data source:
 *   npx tsx test/fakes/moex-iss-server.ts --port 9998
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';

type Kind = 'share' | 'bond' | 'etf' | 'currency' | 'index';

interface FakeSecurity {
  kind: Kind;
  secid: string;
  board: string;
  name: string;
  shortname: string;
  isin: string;
  lot: number;
  /** Last price: per share, % of face for bonds, RUB per unit for currencies, points for the index. */
  price: number;
  minstep: number;
  // Bonds
  face?: number;
  faceunit?: string;
  aci?: number;
  matdate?: string;
  couponPeriod?: number;
  coupon?: number;
  /** The next coupon after the fixed ones has no value yet. */
  floating?: boolean;
  /** Face value repaid per bond so many days from today (before maturity). */
  amortizations?: { inDays: number; value: number }[];
  /** Record dates so many days from today (negative: past ones). */
  dividends?: { inDays: number; value: number }[];
  status?: string;
}

const DAY = 86_400_000;

/** Ten shares, five bonds, two funds, three currencies, the index — and a few securities nobody holds. */
export const FAKE_ISS_SECURITIES: readonly FakeSecurity[] = [
  {
    kind: 'share',
    secid: 'SBER',
    board: 'TQBR',
    name: 'Сбербанк России ПАО ао',
    shortname: 'Сбербанк',
    isin: 'RU0009029540',
    lot: 10,
    price: 287.5,
    minstep: 0.01,
    dividends: [
      { inDays: -140, value: 34.84 },
      { inDays: 226, value: 37.5 },
    ],
  },
  {
    kind: 'share',
    secid: 'GAZP',
    board: 'TQBR',
    name: '"Газпром" (ПАО) ао',
    shortname: 'ГАЗПРОМ ао',
    isin: 'RU0007661625',
    lot: 10,
    price: 128.41,
    minstep: 0.01,
  },
  {
    kind: 'share',
    secid: 'LKOH',
    board: 'TQBR',
    name: 'НК ЛУКОЙЛ (ПАО) - ао',
    shortname: 'ЛУКОЙЛ',
    isin: 'RU0009024277',
    lot: 1,
    price: 6850,
    minstep: 0.5,
    dividends: [{ inDays: 45, value: 541 }],
  },
  {
    kind: 'share',
    secid: 'GMKN',
    board: 'TQBR',
    name: 'ГМК "Нор.Никель" ПАО ао',
    shortname: 'ГМКНорНик',
    isin: 'RU0007288411',
    lot: 10,
    price: 121.36,
    minstep: 0.02,
  },
  {
    kind: 'share',
    secid: 'NVTK',
    board: 'TQBR',
    name: 'ПАО "НОВАТЭК" ао',
    shortname: 'Новатэк ао',
    isin: 'RU000A0DKVS5',
    lot: 1,
    price: 1102.4,
    minstep: 0.2,
  },
  {
    kind: 'share',
    secid: 'ROSN',
    board: 'TQBR',
    name: 'ПАО НК Роснефть',
    shortname: 'Роснефть',
    isin: 'RU000A0J2Q06',
    lot: 1,
    price: 431.15,
    minstep: 0.05,
  },
  {
    kind: 'share',
    secid: 'YDEX',
    board: 'TQBR',
    name: 'МКПАО "Яндекс" ао',
    shortname: 'Яндекс',
    isin: 'RU000A107T19',
    lot: 1,
    price: 4012,
    minstep: 0.5,
  },
  {
    kind: 'share',
    secid: 'MGNT',
    board: 'TQBR',
    name: 'ПАО "Магнит" ао',
    shortname: 'Магнит ао',
    isin: 'RU000A0JKQU8',
    lot: 1,
    price: 4420.5,
    minstep: 0.5,
  },
  {
    kind: 'share',
    secid: 'MTSS',
    board: 'TQBR',
    name: 'МТС-ао',
    shortname: 'МТС-ао',
    isin: 'RU0007775219',
    lot: 10,
    price: 214.6,
    minstep: 0.05,
  },
  {
    kind: 'share',
    secid: 'TATN',
    board: 'TQBR',
    name: 'ПАО "Татнефть" им. В.Д.Шашина ао',
    shortname: 'Татнфт 3ао',
    isin: 'RU0009033591',
    lot: 1,
    price: 612.3,
    minstep: 0.1,
  },
  {
    kind: 'share',
    secid: 'VTBR',
    board: 'TQBR',
    name: 'ао ПАО Банк ВТБ',
    shortname: 'ВТБ ао',
    isin: 'RU000A0JP5V6',
    lot: 1,
    price: 72.05,
    minstep: 0.005,
    status: 'N',
  },
  {
    kind: 'bond',
    secid: 'SU26238RMFS4',
    board: 'TQOB',
    name: 'ОФЗ-ПД 26238 15/05/2041',
    shortname: 'ОФЗ 26238',
    isin: 'RU000A1038V6',
    lot: 1,
    price: 58.7,
    minstep: 0.001,
    face: 1000,
    faceunit: 'SUR',
    aci: 12.65,
    matdate: '2041-05-15',
    couponPeriod: 182,
    coupon: 35.4,
  },
  {
    kind: 'bond',
    secid: 'SU26240RMFS0',
    board: 'TQOB',
    name: 'ОФЗ-ПД 26240 30/07/2036',
    shortname: 'ОФЗ 26240',
    isin: 'RU000A103BR0',
    lot: 1,
    price: 64.215,
    minstep: 0.001,
    face: 1000,
    faceunit: 'SUR',
    aci: 3.02,
    matdate: '2036-07-30',
    couponPeriod: 182,
    coupon: 34.9,
  },
  {
    kind: 'bond',
    secid: 'RU000A106LL5',
    board: 'TQCB',
    name: 'Газпром капитал ООО БО-05',
    shortname: 'ГазКадБО5',
    isin: 'RU000A106LL5',
    lot: 1,
    price: 97.8,
    minstep: 0.01,
    face: 1000,
    faceunit: 'SUR',
    aci: 21.37,
    matdate: '2028-06-21',
    couponPeriod: 91,
    coupon: 22.19,
  },
  {
    kind: 'bond',
    secid: 'RU000A107D74',
    board: 'TQCB',
    name: 'ЭнергоТехСервис 001P-05',
    shortname: 'ЭТС 1P5',
    isin: 'RU000A107D74',
    lot: 1,
    price: 100.5,
    minstep: 0.01,
    face: 790,
    faceunit: 'SUR',
    aci: 7.74,
    matdate: '2027-12-02',
    couponPeriod: 30,
    coupon: 11.69,
    amortizations: [
      { inDays: 90, value: 70 },
      { inDays: 182, value: 70 },
    ],
  },
  {
    kind: 'bond',
    secid: 'RU000A105RH2',
    board: 'TQCB',
    name: 'РЖД ПАО 001Р-26R',
    shortname: 'РЖД 1Р-26R',
    isin: 'RU000A105RH2',
    lot: 1,
    price: 99.12,
    minstep: 0.01,
    face: 1000,
    faceunit: 'SUR',
    aci: 0,
    matdate: '2029-02-08',
    couponPeriod: 91,
    coupon: 24.93,
    floating: true,
  },
  {
    kind: 'etf',
    secid: 'TMOS',
    board: 'TQTF',
    name: 'БПИФ Т-Капитал Индекс МосБиржи',
    shortname: 'TMOS ETF',
    isin: 'RU000A101X76',
    lot: 1,
    price: 6.93,
    minstep: 0.01,
  },
  {
    kind: 'etf',
    secid: 'LQDT',
    board: 'TQTF',
    name: 'БПИФ ВИМ Ликвидность',
    shortname: 'LQDT ETF',
    isin: 'RU000A1014L8',
    lot: 1,
    price: 1.8231,
    minstep: 0.0001,
  },
  {
    kind: 'currency',
    secid: 'USD000UTSTOM',
    board: 'CETS',
    name: 'USD/РУБ_TOM - USD/RUB',
    shortname: 'USDRUB_TOM',
    isin: '',
    lot: 1000,
    price: 81.2575,
    minstep: 0.0025,
  },
  {
    kind: 'currency',
    secid: 'CNYRUB_TOM',
    board: 'CETS',
    name: 'CNY/RUB_TOM - CNY/РУБ',
    shortname: 'CNYRUB_TOM',
    isin: '',
    lot: 1000,
    price: 11.318,
    minstep: 0.001,
  },
  {
    kind: 'currency',
    secid: 'EUR_RUB__TOM',
    board: 'CETS',
    name: 'EUR/RUB_TOM - EUR/РУБ',
    shortname: 'EURRUB_TOM',
    isin: '',
    lot: 1000,
    price: 93.74,
    minstep: 0.0025,
  },
  {
    kind: 'currency',
    secid: 'USDRUB_TMS',
    board: 'CETS',
    name: 'USDRUB_TMS - СВОП USD',
    shortname: 'USDRUB_TMS',
    isin: '',
    lot: 1000,
    price: 0.0105,
    minstep: 0.0001,
  },
  {
    kind: 'index',
    secid: 'IMOEX',
    board: 'SNDX',
    name: 'Индекс МосБиржи',
    shortname: 'Индекс МосБиржи',
    isin: 'RU000A0JP7K5',
    lot: 1,
    price: 2598.46,
    minstep: 0.01,
  },
];

const PLACES: Record<string, { engine: string; market: string; group: string }> = {
  TQBR: { engine: 'stock', market: 'shares', group: 'stock_shares' },
  TQTF: { engine: 'stock', market: 'shares', group: 'stock_etf' },
  TQOB: { engine: 'stock', market: 'bonds', group: 'stock_bonds' },
  TQCB: { engine: 'stock', market: 'bonds', group: 'stock_bonds' },
  CETS: { engine: 'currency', market: 'selt', group: 'currency_selt' },
  SNDX: { engine: 'stock', market: 'index', group: 'stock_index' },
};

export type IssFault = '5xx' | 'timeout' | 'malformed' | 'empty';

export interface FakeIss {
  url: string;
  /** Every request: path and query. */
  calls: { path: string; query: URLSearchParams }[];
  /** Until cleared, every request fails this way ('empty': an empty trading day — no trades, no candles). */
  fault: IssFault | null;
  setPrice(secid: string, price: number): void;
  close(): Promise<void>;
}

export interface FakeIssOptions {
  port?: number;
  host?: string;
  now?: () => Date;
}

type Table = { columns: string[]; data: unknown[][] };

function table(columns: string[], rows: Record<string, unknown>[]): Table {
  return { columns, data: rows.map((r) => columns.map((c) => (r[c] === undefined ? null : r[c]))) };
}

/** Moscow wall-clock parts of an instant (UTC+3, no daylight saving). */
function msk(d: Date): { date: string; time: string } {
  const iso = new Date(d.getTime() + 3 * 3_600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** A smooth, repeatable wiggle: the price at an instant, ending at the current price now. */
function pathPrice(s: FakeSecurity, current: number, at: number, now: number): number {
  const t = (now - at) / DAY;
  const seed = [...s.secid].reduce((a, c) => a + c.charCodeAt(0), 0);
  const factor = 1 + 0.04 * Math.sin(t / 9 + seed) - 0.04 * Math.sin(seed) - 0.0004 * t;
  return round(current * factor, s.kind === 'bond' ? 3 : 4);
}

function isWeekday(ms: number): boolean {
  const day = new Date(ms + 3 * 3_600_000).getUTCDay();
  return day !== 0 && day !== 6;
}

export async function startFakeIss(options: FakeIssOptions = {}): Promise<FakeIss> {
  const now = options.now ?? (() => new Date());
  const prices = new Map(FAKE_ISS_SECURITIES.map((s) => [s.secid, s.price]));
  const sockets = new Set<Socket>();
  const calls: FakeIss['calls'] = [];

  const priceOf = (s: FakeSecurity) => prices.get(s.secid) ?? s.price;
  const inDays = (days: number) => msk(new Date(now().getTime() + days * DAY)).date;
  const onBoard = (board: string) => FAKE_ISS_SECURITIES.filter((s) => s.board === board);
  const bySecid = (secid: string) => FAKE_ISS_SECURITIES.filter((s) => s.secid === secid);

  function securitiesRow(s: FakeSecurity): Record<string, unknown> {
    const prevDay = msk(new Date(now().getTime() - DAY)).date;
    const prev = pathPrice(s, priceOf(s), now().getTime() - DAY, now().getTime());
    const common = {
      SECID: s.secid,
      BOARDID: s.board,
      SHORTNAME: s.shortname,
      SECNAME: s.name,
      PREVPRICE: prev,
      LOTSIZE: s.lot,
      STATUS: s.status ?? 'A',
      MINSTEP: s.minstep,
      PREVDATE: prevDay,
      ISIN: s.isin,
      LATNAME: s.secid,
      CURRENCYID: 'SUR',
      SECTYPE: '1',
    };
    if (s.kind === 'bond') {
      return {
        ...common,
        FACEVALUE: s.face,
        FACEUNIT: s.faceunit,
        ACCRUEDINT: s.aci,
        MATDATE: s.matdate,
        COUPONPERIOD: s.couponPeriod,
        COUPONVALUE: s.coupon,
        NEXTCOUPON: coupons(s).find((c) => c.coupondate >= msk(now()).date)?.coupondate ?? '0000-00-00',
        PREVWAPRICE: prev,
        OFFERDATE: null,
      };
    }
    if (s.kind === 'currency')
      return { ...common, FACEVALUE: 1, FACEUNIT: s.secid.slice(0, 3), CURRENCYID: 'RUB', ISIN: undefined };
    if (s.kind === 'index')
      return {
        SECID: s.secid,
        BOARDID: s.board,
        NAME: s.name,
        SHORTNAME: s.shortname,
        CURRENCYID: 'RUB',
        DECIMALS: 2,
      };
    return { ...common, FACEVALUE: 0.01, FACEUNIT: 'SUR', PREVLEGALCLOSEPRICE: prev, PREVWAPRICE: prev };
  }

  function marketdataRow(s: FakeSecurity, empty: boolean): Record<string, unknown> {
    // Anonymous data is 15 minutes late.
    const at = msk(new Date(now().getTime() - 15 * 60_000));
    const price = empty || s.status === 'N' ? null : priceOf(s);
    const systime = `${at.date} ${at.time}`;
    if (s.kind === 'index')
      return {
        SECID: s.secid,
        BOARDID: s.board,
        CURRENTVALUE: price,
        LASTVALUE: price,
        UPDATETIME: at.time,
        SYSTIME: systime,
        TIME: at.time,
        TRADEDATE: at.date,
      };
    return {
      SECID: s.secid,
      BOARDID: s.board,
      BID: price === null ? null : round(price * 0.999, 4),
      OFFER: price === null ? null : round(price * 1.001, 4),
      LAST: price,
      LCURRENTPRICE: price,
      MARKETPRICE: price,
      NUMTRADES: price === null ? 0 : 1234,
      VALTODAY: price === null ? 0 : 987654321,
      UPDATETIME: at.time,
      TIME: price === null ? null : at.time,
      SYSTIME: systime,
      SEQNUM: 20251031190412,
      TRADINGSTATUS: 'T',
    };
  }

  function coupons(s: FakeSecurity) {
    // Every couponPeriod days backwards from maturity, the last eight years of them.
    const out: { coupondate: string; recorddate: string; startdate: string; value: number | null }[] = [];
    if (s.kind !== 'bond' || !s.matdate || !s.couponPeriod) return out;
    const limit = now().getTime() - 8 * 365 * DAY;
    let end = Date.parse(`${s.matdate}T00:00:00Z`);
    const today = Date.parse(`${msk(now()).date}T00:00:00Z`);
    const dates: number[] = [];
    while (end > limit) {
      dates.push(end);
      end -= s.couponPeriod * DAY;
    }
    dates.reverse();
    const futureFixed = 2;
    let future = 0;
    for (const date of dates) {
      const d = new Date(date).toISOString().slice(0, 10);
      if (date > today) future++;
      out.push({
        coupondate: d,
        recorddate: new Date(date - DAY).toISOString().slice(0, 10),
        startdate: new Date(date - (s.couponPeriod ?? 0) * DAY).toISOString().slice(0, 10),
        value: s.floating === true && future > futureFixed ? null : (s.coupon ?? null),
      });
    }
    return out;
  }

  function candles(s: FakeSecurity, q: URLSearchParams, empty: boolean): Table {
    const columns = ['open', 'close', 'high', 'low', 'value', 'volume', 'begin', 'end'];
    if (empty) return { columns, data: [] };
    const interval = Number(q.get('interval') ?? '10');
    const from = Date.parse(`${q.get('from') ?? '2000-01-01'}T00:00:00+03:00`);
    const till = Date.parse(`${q.get('till') ?? msk(now()).date}T23:59:59+03:00`);
    const nowMs = now().getTime() - 15 * 60_000;
    const step = { 1: 60_000, 10: 600_000, 60: 3_600_000, 24: DAY, 7: 7 * DAY, 31: 30 * DAY }[interval];
    if (step === undefined) return { columns, data: [] };
    const rows: Record<string, unknown>[] = [];
    const startDay = Date.parse(
      `${msk(new Date(Math.max(from, nowMs - 12 * 365 * DAY))).date}T00:00:00+03:00`,
    );
    for (
      let day = startDay;
      day <= Math.min(till, nowMs);
      day += interval === 7 ? 7 * DAY : interval === 31 ? 30 * DAY : DAY
    ) {
      if (interval !== 7 && interval !== 31 && !isWeekday(day)) continue;
      const sessions = interval === 24 || interval === 7 || interval === 31 ? [day] : [];
      if (sessions.length === 0)
        for (let t = day + 10 * 3_600_000; t < day + 18 * 3_600_000 + 40 * 60_000; t += step)
          sessions.push(t);
      for (const t of sessions) {
        if (t < from || t > Math.min(till, nowMs)) continue;
        const open = pathPrice(s, priceOf(s), t, nowMs);
        const close = pathPrice(s, priceOf(s), t + Math.min(step, 8 * 3_600_000), nowMs);
        const b = msk(new Date(t));
        const e = msk(new Date(t + step - 1000));
        rows.push({
          open,
          close,
          high: Math.max(open, close) + s.minstep,
          low: Math.min(open, close) - s.minstep,
          value: 1_000_000.5,
          volume: 4200,
          begin: `${b.date} ${b.time}`,
          end: `${e.date} ${e.time}`,
        });
      }
    }
    const start = Number(q.get('start') ?? '0');
    return table(columns, rows.slice(start, start + 500));
  }

  /** The document at a path, as blocks; undefined when ISS has no such document. */
  function document(path: string, q: URLSearchParams, empty: boolean): Record<string, Table> | undefined {
    let m = /^\/iss\/engines\/(\w+)\/markets\/(\w+)\/boards\/(\w+)\/securities(?:\/([\w.-]+))?$/.exec(path);
    if (m) {
      const [, , , board, secid] = m;
      const wanted = secid ? [secid] : (q.get('securities')?.split(',').filter(Boolean) ?? null);
      const list = onBoard(board!).filter((s) => wanted === null || wanted.includes(s.secid));
      const secRows = list.map(securitiesRow);
      const mdRows = list.map((s) => marketdataRow(s, empty));
      const cols = (rows: Record<string, unknown>[], fallback: string[]) =>
        rows.length === 0 ? fallback : [...new Set(rows.flatMap((r) => Object.keys(r)))];
      return {
        securities: table(cols(secRows, ['SECID', 'BOARDID', 'SHORTNAME']), secRows),
        marketdata: table(cols(mdRows, ['SECID', 'BOARDID', 'LAST']), mdRows),
        dataversion: table(['data_version', 'seqnum'], [{ data_version: 8412, seqnum: 20251031190412 }]),
      };
    }
    m = /^\/iss\/engines\/\w+\/markets\/\w+\/boards\/(\w+)\/securities\/([\w.-]+)\/candles$/.exec(path);
    if (m) {
      const s = onBoard(m[1]!).find((x) => x.secid === m![2]);
      return {
        candles: s
          ? candles(s, q, empty)
          : table(['open', 'close', 'high', 'low', 'value', 'volume', 'begin', 'end'], []),
      };
    }
    m = /^\/iss\/securities\/([\w.-]+)\/bondization$/.exec(path);
    if (m) {
      const s = bySecid(m[1]!).find((x) => x.kind === 'bond');
      const all = s ? coupons(s) : [];
      const unlimited = q.get('limit') === 'unlimited';
      const start = Number(q.get('start') ?? '0');
      const page = unlimited ? all : all.slice(start, start + 20);
      const couponColumns = [
        'isin',
        'name',
        'issuevalue',
        'coupondate',
        'recorddate',
        'startdate',
        'initialfacevalue',
        'facevalue',
        'faceunit',
        'value',
        'valueprc',
        'value_rub',
        'secid',
        'primary_boardid',
      ];
      const amortColumns = [
        'isin',
        'name',
        'issuevalue',
        'amortdate',
        'facevalue',
        'initialfacevalue',
        'faceunit',
        'valueprc',
        'value',
        'value_rub',
        'data_source',
        'secid',
        'primary_boardid',
      ];
      return {
        coupons: table(
          couponColumns,
          page.map((c) => ({
            isin: s?.isin,
            name: s?.name,
            issuevalue: 10_000_000_000,
            ...c,
            initialfacevalue: 1000,
            facevalue: s?.face,
            faceunit: s?.faceunit,
            valueprc:
              c.value === null
                ? null
                : round((c.value / (s?.face ?? 1000)) * (365 / (s?.couponPeriod ?? 182)) * 100, 2),
            value_rub: c.value,
            secid: s?.secid,
            primary_boardid: s?.board,
          })),
        ),
        amortizations: table(
          amortColumns,
          [
            ...(s?.amortizations ?? []).map((a) => ({ date: inDays(a.inDays), value: a.value })),
            ...(s ? [{ date: s.matdate!, value: s.face! }] : []),
          ].map((a) => ({
            isin: s?.isin,
            name: s?.name,
            issuevalue: 10_000_000_000,
            amortdate: a.date,
            facevalue: a.value,
            initialfacevalue: 1000,
            faceunit: s?.faceunit,
            valueprc: round((a.value / 1000) * 100, 2),
            value: a.value,
            value_rub: a.value,
            data_source: a.date === s?.matdate ? 'maturity' : 'amortization',
            secid: s?.secid,
            primary_boardid: s?.board,
          })),
        ),
        offers: table(
          [
            'isin',
            'name',
            'offerdate',
            'offerdatestart',
            'offerdateend',
            'facevalue',
            'faceunit',
            'price',
            'value',
            'agent',
            'offertype',
          ],
          [],
        ),
      };
    }
    m = /^\/iss\/securities\/([\w.-]+)\/dividends$/.exec(path);
    if (m) {
      const s = bySecid(m[1]!)[0];
      return {
        dividends: table(
          ['secid', 'isin', 'registryclosedate', 'value', 'currencyid'],
          (s?.dividends ?? []).map((d) => ({
            secid: s!.secid,
            isin: s!.isin,
            registryclosedate: inDays(d.inDays),
            value: d.value,
            currencyid: 'RUB',
          })),
        ),
      };
    }
    m = /^\/iss\/securities\/([\w.-]+)$/.exec(path);
    if (m) {
      const list = bySecid(m[1]!);
      return {
        description: table(
          ['name', 'title', 'value', 'type', 'sort_order', 'is_hidden', 'precision'],
          list.slice(0, 1).map((s) => ({
            name: 'SECID',
            title: 'Код ценной бумаги',
            value: s.secid,
            type: 'string',
            sort_order: 1,
            is_hidden: 0,
          })),
        ),
        boards: table(
          [
            'secid',
            'boardid',
            'title',
            'board_group_id',
            'market_id',
            'market',
            'engine_id',
            'engine',
            'is_traded',
            'decimals',
            'history_from',
            'history_till',
            'listed_from',
            'listed_till',
            'is_primary',
            'currencyid',
          ],
          list.map((s) => ({
            secid: s.secid,
            boardid: s.board,
            title: s.board,
            market: PLACES[s.board]!.market,
            engine: PLACES[s.board]!.engine,
            is_traded: 1,
            is_primary: 1,
            currencyid: 'RUB',
          })),
        ),
      };
    }
    if (path === '/iss/securities') {
      const text = (q.get('q') ?? '').toLowerCase();
      const hits = FAKE_ISS_SECURITIES.filter(
        (s) =>
          text.length >= 3 &&
          [s.secid, s.name, s.shortname, s.isin].some((v) => v.toLowerCase().includes(text)),
      );
      return {
        securities: table(
          [
            'id',
            'secid',
            'shortname',
            'regnumber',
            'name',
            'isin',
            'is_traded',
            'emitent_id',
            'emitent_title',
            'emitent_inn',
            'emitent_okpo',
            'gosreg',
            'type',
            'group',
            'primary_boardid',
            'marketprice_boardid',
          ],
          hits.map((s, i) => ({
            id: 1000 + i,
            secid: s.secid,
            shortname: s.shortname,
            name: s.name,
            isin: s.isin || null,
            is_traded: s.status === 'N' ? 0 : 1,
            type: s.kind,
            group: PLACES[s.board]!.group,
            primary_boardid: s.board,
            marketprice_boardid: s.board,
          })),
        ),
      };
    }
    return undefined;
  }

  const fake: FakeIss = {
    url: '',
    calls,
    fault: null,
    setPrice(secid, price) {
      prices.set(secid, price);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/\.json$/, '');
    calls.push({ path, query: url.searchParams });
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<html><head><title>${status}</title></head><body>${body}</body></html>`);
    };
    if (req.method !== 'GET') return html(405, 'Method Not Allowed');
    if (fake.fault === 'timeout') return; // never answers; the client gives up
    if (fake.fault === '5xx') return html(502, '<h1>502 Bad Gateway</h1><hr><center>nginx</center>');
    if (fake.fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return res.end('{"securities": {"columns": ["SECID", "BOARDID"], "data": [["SBER", "TQBR", ');
    }
    if (!url.pathname.endsWith('.json')) return html(404, 'Not Found');
    const doc = document(path, url.searchParams, fake.fault === 'empty');
    if (doc === undefined) return html(404, 'Not Found');
    const only = url.searchParams
      .get('iss.only')
      ?.split(',')
      .map((b) => b.trim())
      .filter(Boolean);
    const out: Record<string, unknown> = {};
    for (const [name, t] of Object.entries(doc)) {
      if (only && !only.includes(name)) continue;
      const pick = url.searchParams.get(`${name}.columns`)?.split(',').filter(Boolean);
      const block = pick
        ? { columns: pick, data: t.data.map((row) => pick.map((c) => row[t.columns.indexOf(c)] ?? null)) }
        : t;
      out[name] = url.searchParams.get('iss.meta') === 'off' ? block : { metadata: {}, ...block };
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(out));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  fake.url = `http://${options.host ?? '127.0.0.1'}:${port}/iss`;
  return fake;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const args = process.argv.slice(2);
  const at = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const fake = await startFakeIss({
    port: Number(at('--port') ?? '9998'),
    host: at('--host') ?? '127.0.0.1',
  });
  console.log(`Fake MOEX ISS: ${fake.url}`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
