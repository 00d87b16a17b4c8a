// Calendar days are 'YYYY-MM-DD' strings; arithmetic on them is done in UTC so no local offset leaks in.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function isMonth(s: string): boolean {
  const m = MONTH.exec(s);
  return (
    m !== null && Number(m[1]) >= 1900 && Number(m[1]) <= 2200 && Number(m[2]) >= 1 && Number(m[2]) <= 12
  );
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a time zone. */
export function dayInZone(instant: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** Adds whole days to a calendar date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

let lastRange: { from: string; to: string; days: readonly string[] } | undefined;

/**
 * Every calendar day from `from` to `to`, both included. The last list is kept and given again:
 * daily series are built over the same days many times in a row.
 */
export function eachDay(from: string, to: string): readonly string[] {
  if (lastRange !== undefined && lastRange.from === from && lastRange.to === to) return lastRange.days;
  const days: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  for (let day = from; day <= to;) {
    days.push(day);
    d.setUTCDate(d.getUTCDate() + 1);
    day = d.toISOString().slice(0, 10);
  }
  lastRange = { from, to, days };
  return days;
}

/** First day of the month of `date` and the first day of the next month: [from, to). */
export function monthRange(month: string): { from: string; toExclusive: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, toExclusive: `${next}-01` };
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Today in a time zone (an IANA name such as the profile's), as `YYYY-MM-DD`; an unknown or missing zone counts as the machine's. */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    return dayInZone(now, timeZone ?? own);
  } catch {
    return dayInZone(now, own);
  }
}

/** The month `delta` months after `month` (before it when negative): `YYYY-MM`. */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The first and the last day of a month, both included. */
export function monthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}` };
}
