import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';

/** Day formats a statement may use; a time after the day (HH:MM or HH:MM:SS) is always accepted. */
export const DATE_FORMATS = [
  'dd.mm.yyyy',
  'dd.mm.yy',
  'yyyy-mm-dd',
  'dd/mm/yyyy',
  'mm/dd/yyyy',
  'iso',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export type DecimalMark = 'auto' | 'comma' | 'dot';

export interface ParsedDate {
  day: string;
  /** HH:MM:SS when the text had a time. */
  time: string | null;
  /** Set when the text itself names its offset (ISO 8601 with Z or ±hh:mm). */
  instant: Date | null;
}

const pad = (n: string) => n.padStart(2, '0');

const PATTERNS: Record<Exclude<DateFormat, 'iso'>, RegExp> = {
  'dd.mm.yyyy': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4})/,
  'dd.mm.yy': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{2})/,
  'yyyy-mm-dd': /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})/,
  'dd/mm/yyyy': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})/,
  'mm/dd/yyyy': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})/,
};
const TIME = /^(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/;

function validDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A day (and a time) in the given format; null when the text is not one. */
export function parseDate(text: string, format: DateFormat): ParsedDate | null {
  const s = text.trim();
  if (format === 'iso') {
    const m =
      /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
    if (!m || !validDay(+m[1]!, +m[2]!, +m[3]!)) return null;
    const day = `${m[1]}-${m[2]}-${m[3]}`;
    if (m[4] === undefined) return { day, time: null, instant: null };
    const time = `${m[4]}:${m[5]}:${m[6] ?? '00'}`;
    const instant = m[7] === undefined ? null : new Date(`${day}T${time}${m[7] === 'Z' ? 'Z' : m[7]}`);
    if (instant && Number.isNaN(instant.getTime())) return null;
    return { day, time, instant };
  }
  const m = PATTERNS[format].exec(s);
  if (!m?.groups) return null;
  const g = m.groups as { y: string; m: string; d: string };
  const year = g.y.length === 2 ? 2000 + Number(g.y) : Number(g.y);
  if (!validDay(year, Number(g.m), Number(g.d))) return null;
  const day = `${year}-${pad(g.m)}-${pad(g.d)}`;
  const rest = s.slice(m[0].length);
  if (rest === '') return { day, time: null, instant: null };
  const t = TIME.exec(rest);
  if (!t || Number(t[1]) > 23 || Number(t[2]) > 59 || Number(t[3] ?? 0) > 59) return null;
  return { day, time: `${pad(t[1]!)}:${t[2]}:${t[3] ?? '00'}`, instant: null };
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The offset of a zone at an instant, in minutes east of UTC. */
function offsetMinutes(instant: Date, timeZone: string): number {
  let format = zoneFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((wall - instant.getTime()) / 60_000);
}

/** The zone and day last asked for, with the offset it keeps all day (null: it changes that day). */
let lastDay = { key: '', offset: null as number | null };

/**
 * The offset of a zone through all the wall-clock times of a day, or null when it changes near
 * that day. The day's wall times lie between 14 hours before its UTC midnight and 12 hours after
 * its end; one offset at both ends means no change in between (zones change at most twice a year).
 * Rows of a statement come a day at a time, so the last day is kept.
 */
function steadyOffset(day: string, timeZone: string): number | null {
  const key = `${timeZone}|${day}`;
  if (lastDay.key !== key) {
    const midnight = Date.parse(`${day}T00:00:00Z`);
    const first = offsetMinutes(new Date(midnight - 14 * 3_600_000), timeZone);
    const last = offsetMinutes(new Date(midnight + 36 * 3_600_000), timeZone);
    lastDay = { key, offset: first === last ? first : null };
  }
  return lastDay.offset;
}

/** The instant of a wall-clock time in a zone (the bank's local time, e.g. Europe/Moscow). */
export function instantOfLocal(day: string, time: string, timeZone: string): Date {
  const wall = new Date(`${day}T${time}Z`).getTime();
  const steady = steadyOffset(day, timeZone);
  if (steady !== null) return new Date(wall - steady * 60_000);
  // Two rounds settle the offset on either side of a daylight-saving change.
  let instant = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  instant = wall - offsetMinutes(new Date(instant), timeZone) * 60_000;
  return new Date(instant);
}

const SPACES = /[\s\u00a0\u202f']/g;

/** A number as written ("-2 790,08", "1,234.56") with the grouping gone and a dot for decimals. */
function plainNumber(text: string, mark: DecimalMark): string | null {
  let s = text.replace(SPACES, '').replace(/^\+/, '').replace('−', '-');
  if (s === '') return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  const decimal = mark === 'comma' ? ',' : mark === 'dot' ? '.' : lastComma > lastDot ? ',' : '.';
  const grouping = decimal === ',' ? '.' : ',';
  s = s.split(grouping).join('');
  return decimal === ',' ? s.replace(',', '.') : s;
}

/** A signed quantity or price with up to 9 decimals ("0.000125", "-3"), or null. */
export function parseDecimal(text: string, mark: DecimalMark): string | null {
  const s = plainNumber(text, mark);
  if (s === null || !/^-?\d+(\.\d+)?$/.test(s)) return null;
  const value = dec(s);
  return value.round(9).eq(value) ? value.toFixed() : null;
}

/**
 * A signed amount with up to 2 decimals as a fixed string ("-2790.08"), or null. Banks write
 * "-2 790,08", "2790.08", "450000.0" or "1,234.56": with `auto`, the last of "," and "." is the
 * decimal mark when both appear, and a single one of them is the decimal mark.
 */
export function parseAmount(text: string, mark: DecimalMark): string | null {
  const s = plainNumber(text, mark);
  if (s === null) return null;
  if (!/^-?\d+(\.\d{1,2})?$/.test(s)) {
    // Trailing zeros beyond the kopeck (e.g. "12.500") change nothing.
    if (!/^-?\d+\.\d{2}0+$/.test(s)) return null;
  }
  return toFixed(dec(s), 2);
}
