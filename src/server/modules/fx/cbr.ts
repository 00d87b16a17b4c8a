/**
 * Client of the Bank of Russia's XML rates (windows-1251, comma decimals):
 *   XML_daily.asp?date_req=DD/MM/YYYY → <ValCurs Date="DD.MM.YYYY"> <Valute ID="R01235"> NumCode, CharCode,
 *     Nominal, Name, Value (roubles for Nominal units), VunitRate (roubles for one unit, newer answers)
 *   XML_dynamic.asp?date_req1=…&date_req2=…&VAL_NM_RQ=R01235 → <Record Date="DD.MM.YYYY" Id="R01235">
 *     Nominal, Value, VunitRate — one record per day a rate was set; the days between keep the last one.
 * The Date of a rate is the day it applies from.
 */
import { BodyTooLargeError, readBodyCapped } from '../../platform/http-body.js';

/** A rate as published: `value` roubles for `nominal` units of `currency`, from `day` on. */
export interface OfficialRate {
  currency: string;
  day: string;
  value: string;
  nominal: number;
}

export interface DailyRates {
  /** The day the rates apply from (the latest set on or before the day asked for). */
  day: string;
  rates: (OfficialRate & { cbrId: string })[];
}

export class CbrError extends Error {
  override name = 'CbrError';
}

export interface CbrClient {
  daily(day: string): Promise<DailyRates>;
  dynamic(cbrId: string, currency: string, from: string, to: string): Promise<OfficialRate[]>;
}

/** YYYY-MM-DD → DD/MM/YYYY (the query parameter form). */
const queryDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/** DD.MM.YYYY → YYYY-MM-DD. */
function isoDay(raw: string): string {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(raw.trim());
  if (m === null) throw new CbrError(`bad date "${raw}"`);
  return `${m[3]}-${m[2]}-${m[1]}`;
}

/** "21,5637" → "21.5637"; anything but a plain positive decimal is refused. */
function decimal(raw: string | undefined, what: string): string {
  const value = (raw ?? '').trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(value) || /^0+(\.0+)?$/.test(value)) throw new CbrError(`bad ${what} "${raw}"`);
  return value;
}

function nominalOf(raw: string | undefined): number {
  const n = Number((raw ?? '').trim());
  if (!Number.isInteger(n) || n <= 0) throw new CbrError(`bad Nominal "${raw}"`);
  return n;
}

const child = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
const attribute = (xml: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(xml)?.[1];

/** Decodes the body by the encoding its XML declaration names (windows-1251 in practice). */
function decode(body: ArrayBuffer): string {
  const head = new TextDecoder('latin1').decode(body.slice(0, 100));
  const encoding = /encoding=["']([\w-]+)["']/i.exec(head)?.[1] ?? 'utf-8';
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(body);
  } catch {
    throw new CbrError(`body is not valid ${encoding}`);
  }
  if (!/<ValCurs\b/.test(text)) throw new CbrError('not a ValCurs document');
  // A cut-off body would otherwise read as fewer rates.
  if (!/(<\/ValCurs>|<ValCurs\b[^>]*\/>)\s*$/.test(text)) throw new CbrError('truncated ValCurs document');
  return text;
}

/** Every `tag` element, refusing a document where one of them does not parse. */
function elements(text: string, tag: string): [string, string][] {
  const found = [...text.matchAll(new RegExp(`<${tag}\\b([^>]*)>([\\s\\S]*?)</${tag}>`, 'g'))];
  const opened = text.match(new RegExp(`<${tag}\\b`, 'g'))?.length ?? 0;
  if (found.length !== opened) throw new CbrError(`malformed ${tag} elements`);
  return found.map((m) => [m[1]!, m[2]!]);
}

export function parseDaily(body: ArrayBuffer): DailyRates {
  const text = decode(body);
  const dateAttr = attribute(/<ValCurs\b[^>]*>/.exec(text)?.[0] ?? '', 'Date');
  if (dateAttr === undefined) throw new CbrError('ValCurs without Date');
  const day = isoDay(dateAttr);
  const rates = elements(text, 'Valute').map(([attrs, inner]) => {
    const currency = (child(inner, 'CharCode') ?? '').trim();
    if (!/^[A-Z]{3}$/.test(currency)) throw new CbrError(`bad CharCode "${currency}"`);
    return {
      cbrId: attribute(attrs, 'ID') ?? '',
      currency,
      day,
      value: decimal(child(inner, 'Value'), 'Value'),
      nominal: nominalOf(child(inner, 'Nominal')),
    };
  });
  return { day, rates };
}

export function parseDynamic(body: ArrayBuffer, currency: string): OfficialRate[] {
  const text = decode(body);
  return elements(text, 'Record').map(([attrs, inner]) => ({
    currency,
    day: isoDay(attribute(attrs, 'Date') ?? ''),
    value: decimal(child(inner, 'Value'), 'Value'),
    nominal: nominalOf(child(inner, 'Nominal')),
  }));
}

/** A day's rates are some 15 KB and a year of one currency some 30 KB; anything near this is not an answer. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export function createCbrClient({
  baseUrl,
  timeoutMs,
  maxBodyBytes = MAX_BODY_BYTES,
}: {
  baseUrl: string;
  timeoutMs: number;
  /** The largest answer read, in bytes; a larger one is an error, read no further. */
  maxBodyBytes?: number;
}): CbrClient {
  async function get(path: string): Promise<ArrayBuffer> {
    let res: Response;
    try {
      res = await fetch(new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), {
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new CbrError(`request failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new CbrError(`HTTP ${res.status}`);
    }
    try {
      const bytes = await readBodyCapped(res, maxBodyBytes);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new CbrError(`answer exceeds ${maxBodyBytes} bytes`);
      throw new CbrError(`the answer broke off: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return {
    async daily(day) {
      return parseDaily(await get(`XML_daily.asp?date_req=${queryDay(day)}`));
    },
    async dynamic(cbrId, currency, from, to) {
      const query = `date_req1=${queryDay(from)}&date_req2=${queryDay(to)}&VAL_NM_RQ=${encodeURIComponent(cbrId)}`;
      return parseDynamic(await get(`XML_dynamic.asp?${query}`), currency);
    },
  };
}
