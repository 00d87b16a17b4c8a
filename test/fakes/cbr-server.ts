/**
 * A fake Bank of Russia rates server speaking the real format over HTTP:
 *   GET /scripts/XML_daily.asp?date_req=DD/MM/YYYY
 *   GET /scripts/XML_dynamic.asp?date_req1=DD/MM/YYYY&date_req2=DD/MM/YYYY&VAL_NM_RQ=R01235
 * windows-1251 bytes, comma decimals, Nominal 1/100/10 000, VunitRate, the Date of a rate = the day
 * it applies from. Rates are set for Tuesday to Saturday (the Bank sets them on working days for the
 * next day), so Sunday and Monday keep Saturday's.
 *
 * Tests drive it through the returned object (fault modes, fixed rates, a call log). Standalone, it
 * is the demo's offline rate source:
 *   npx tsx test/fakes/cbr-server.ts --port 9998
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

interface FakeCurrency {
  id: string;
  numCode: string;
  charCode: string;
  nominal: number;
  name: string;
  /** Roubles for `nominal` units on the first day; later days move around it. */
  base: number;
}

export const FAKE_CBR_CURRENCIES: FakeCurrency[] = [
  { id: 'R01010', numCode: '036', charCode: 'AUD', nominal: 1, name: 'Австралийский доллар', base: 52.8744 },
  { id: 'R01035', numCode: '826', charCode: 'GBP', nominal: 1, name: 'Фунт стерлингов', base: 109.411 },
  { id: 'R01060', numCode: '051', charCode: 'AMD', nominal: 100, name: 'Армянских драмов', base: 21.5637 },
  {
    id: 'R01150',
    numCode: '704',
    charCode: 'VND',
    nominal: 10000,
    name: 'Вьетнамских донгов',
    base: 39.9592,
  },
  { id: 'R01235', numCode: '840', charCode: 'USD', nominal: 1, name: 'Доллар США', base: 81.4 },
  { id: 'R01239', numCode: '978', charCode: 'EUR', nominal: 1, name: 'Евро', base: 92.7 },
  { id: 'R01375', numCode: '156', charCode: 'CNY', nominal: 1, name: 'Юань', base: 11.2 },
  { id: 'R01820', numCode: '392', charCode: 'JPY', nominal: 100, name: 'Японских иен', base: 54.3 },
];

export type CbrFault = '500' | 'timeout' | 'garbage' | 'empty' | null;

/** Unicode → windows-1251: ASCII as is, А–я at 0xC0–0xFF, Ё 0xA8, ё 0xB8, № 0xB9. */
export function encodeWindows1251(text: string): Buffer {
  const bytes = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes[i] = code;
    else if (code >= 0x410 && code <= 0x44f) bytes[i] = code - 0x410 + 0xc0;
    else if (code === 0x401) bytes[i] = 0xa8;
    else if (code === 0x451) bytes[i] = 0xb8;
    else if (code === 0x2116) bytes[i] = 0xb9;
    else bytes[i] = 0x3f;
  }
  return bytes;
}

const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Tuesday to Saturday: the days rates are set for. */
export const isRateDay = (day: string) => weekday(day) >= 2 && weekday(day) <= 6;

const toQueryDay = (raw: string | null) => {
  const m = /^(\d{2})[/.](\d{2})[/.](\d{4})$/.exec(raw ?? '');
  return m === null ? null : `${m[3]}-${m[2]}-${m[1]}`;
};
const cbrDate = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
const comma = (value: string) => value.replace('.', ',');

export interface FakeCbr {
  /** Base address of the scripts, e.g. http://127.0.0.1:1234/scripts/ */
  url: string;
  fault: CbrFault;
  /** Every request path with its query, in order. */
  calls: string[];
  /** Roubles for the currency's nominal set for `day` (4 places, as published). */
  valueOn(charCode: string, day: string): string | null;
  /** Fixes the value published for a day (a rate day) instead of the generated one. */
  setValue(charCode: string, day: string, value: string): void;
  close(): Promise<void>;
}

export async function startFakeCbr(options: { port?: number } = {}): Promise<FakeCbr> {
  const fixed = new Map<string, string>();
  const hanging = new Set<ServerResponse>();

  const valueOn = (charCode: string, day: string): string | null => {
    const currency = FAKE_CBR_CURRENCIES.find((c) => c.charCode === charCode);
    if (currency === undefined || !isRateDay(day)) return null;
    const own = fixed.get(`${charCode}:${day}`);
    if (own !== undefined) return own;
    // A wobble of up to ±3 % that differs from one day to the next.
    const n = dayNumber(day);
    const wobble = (((n * 7919) % 601) - 300) / 10_000;
    return (currency.base * (1 + wobble)).toFixed(4);
  };

  /** The latest rate day on or before `day`. */
  const setFor = (day: string) => {
    let d = day;
    while (!isRateDay(d)) d = addDays(d, -1);
    return d;
  };

  const valute = (c: FakeCurrency, day: string) => {
    const value = valueOn(c.charCode, day)!;
    // VunitRate is printed without trailing zeros, as the Bank does.
    const unit = (Number(value) / c.nominal)
      .toFixed(c.nominal === 1 ? 4 : 8)
      .replace(/0+$/, '')
      .replace(/\.$/, '');
    return `<Valute ID="${c.id}"><NumCode>${c.numCode}</NumCode><CharCode>${c.charCode}</CharCode><Nominal>${c.nominal}</Nominal><Name>${c.name}</Name><Value>${comma(value)}</Value><VunitRate>${comma(unit)}</VunitRate></Valute>`;
  };

  const daily = (day: string) => {
    const set = setFor(day);
    return `<ValCurs Date="${cbrDate(set)}" name="Foreign Currency Market">${FAKE_CBR_CURRENCIES.map((c) => valute(c, set)).join('')}</ValCurs>`;
  };

  const dynamic = (id: string, from: string, to: string) => {
    const currency = FAKE_CBR_CURRENCIES.find((c) => c.id === id);
    const records: string[] = [];
    if (currency !== undefined) {
      for (let d = from; d <= to; d = addDays(d, 1)) {
        if (!isRateDay(d)) continue;
        const value = valueOn(currency.charCode, d)!;
        records.push(
          `<Record Date="${cbrDate(d)}" Id="${id}"><Nominal>${currency.nominal}</Nominal><Value>${comma(value)}</Value><VunitRate>${comma((Number(value) / currency.nominal).toString())}</VunitRate></Record>`,
        );
      }
    }
    return `<ValCurs ID="${id}" DateRange1="${cbrDate(from)}" DateRange2="${cbrDate(to)}" name="Foreign Currency Market Dynamic">${records.join('\n')}</ValCurs>`;
  };

  const state: { fault: CbrFault } = { fault: null };
  const calls: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    calls.push(`${url.pathname}${url.search}`);
    if (state.fault === 'timeout') {
      hanging.add(res);
      return;
    }
    if (state.fault === '500') {
      res
        .writeHead(500, { 'content-type': 'text/html' })
        .end('<html><body>Internal Server Error</body></html>');
      return;
    }
    let body: string | null = null;
    if (url.pathname === '/scripts/XML_daily.asp') {
      const day = toQueryDay(url.searchParams.get('date_req'));
      if (day !== null)
        body =
          state.fault === 'empty'
            ? `<ValCurs Date="${cbrDate(day)}" name="Foreign Currency Market"></ValCurs>`
            : daily(day);
    } else if (url.pathname === '/scripts/XML_dynamic.asp') {
      const from = toQueryDay(url.searchParams.get('date_req1'));
      const to = toQueryDay(url.searchParams.get('date_req2'));
      const id = url.searchParams.get('VAL_NM_RQ') ?? '';
      if (from !== null && to !== null)
        body = dynamic(id, from, state.fault === 'empty' ? addDays(from, -1) : to);
    }
    if (body === null) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
      return;
    }
    if (state.fault === 'garbage') body = `${body.slice(0, body.length / 2)}<Value>н/д</Value`;
    res
      .writeHead(200, { 'content-type': 'application/xml; charset=windows-1251' })
      .end(encodeWindows1251(`<?xml version="1.0" encoding="windows-1251"?>${body}`));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/scripts/`,
    get fault() {
      return state.fault;
    },
    set fault(value: CbrFault) {
      state.fault = value;
      if (value !== 'timeout') {
        for (const res of hanging) res.destroy();
        hanging.clear();
      }
    },
    calls,
    valueOn,
    setValue(charCode, day, value) {
      fixed.set(`${charCode}:${day}`, value);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--port');
  const fake = await startFakeCbr({ port: i > 0 ? Number(process.argv[i + 1]) : 9998 });
  console.log(`fake Bank of Russia on ${fake.url}`);
}
