/**
 * The Russian production calendar: which days are working days, for moving loan and scheduled
 * payment days off holidays the way banks do, and for the exchange's last day to buy before a
 * dividend's record date. The one place the holidays live; pure data and pure functions.
 *
 * To add a year once the government publishes its decree on transfers (usually in the autumn
 * before): copy the previous year's file to `YYYY.ts`, list the year's days off beyond the public
 * holidays and its working weekend days from the decree and the official calendar, import it below,
 * and run
 * `node --import tsx --test test/unit/production-calendar.test.ts` (it checks every year's file).
 */
import type { CalendarYear } from './types.js';
import y2015 from './2015.js';
import y2016 from './2016.js';
import y2017 from './2017.js';
import y2018 from './2018.js';
import y2019 from './2019.js';
import y2020 from './2020.js';
import y2021 from './2021.js';
import y2022 from './2022.js';
import y2023 from './2023.js';
import y2024 from './2024.js';
import y2025 from './2025.js';
import y2026 from './2026.js';
import y2027 from './2027.js';

export type { CalendarYear } from './types.js';

export const CALENDAR_YEARS: readonly CalendarYear[] = [
  y2015,
  y2016,
  y2017,
  y2018,
  y2019,
  y2020,
  y2021,
  y2022,
  y2023,
  y2024,
  y2025,
  y2026,
  y2027,
];

/** Public holidays of ТК РФ ст. 112 ч. 1, 'MM-DD'. */
export const PUBLIC_HOLIDAYS: readonly string[] = [
  '01-01',
  '01-02',
  '01-03',
  '01-04',
  '01-05',
  '01-06',
  '01-07',
  '01-08',
  '02-23',
  '03-08',
  '05-01',
  '05-09',
  '06-12',
  '11-04',
];

interface YearDays {
  off: Set<string>;
  working: Set<string>;
}

const known = new Map<number, YearDays>(
  CALENDAR_YEARS.map((y) => [
    y.year,
    { off: new Set([...PUBLIC_HOLIDAYS, ...y.daysOff]), working: new Set(y.workingWeekendDays) },
  ]),
);

const DAY_MS = 86_400_000;

function monthDay(date: Date): string {
  return date.toISOString().slice(5, 10);
}

function isWeekend(date: Date): boolean {
  const weekday = date.getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * A year the data does not cover (before 2015, or not decreed yet): the public holidays, and
 * ТК РФ ст. 112 ч. 2 — a holiday on a Saturday or Sunday gives the next working day off, except the
 * January holidays, whose days the yearly decree places and which cannot be foreseen.
 */
function statutoryYear(year: number): YearDays {
  const off = new Set(PUBLIC_HOLIDAYS);
  for (const holiday of PUBLIC_HOLIDAYS) {
    if (holiday.startsWith('01-')) continue;
    let date = new Date(`${year}-${holiday}T00:00:00Z`);
    if (!isWeekend(date)) continue;
    do date = new Date(date.getTime() + DAY_MS);
    while (isWeekend(date) || off.has(monthDay(date)));
    off.add(monthDay(date));
  }
  return { off, working: new Set() };
}

const predicted = new Map<number, YearDays>();

function daysOf(year: number): YearDays {
  let days = known.get(year) ?? predicted.get(year);
  if (!days) {
    days = statutoryYear(year);
    predicted.set(year, days);
  }
  return days;
}

/** Whether a 'YYYY-MM-DD' day is a working day in Russia. */
export function isWorkingDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  const days = daysOf(date.getUTCFullYear());
  const md = day.slice(5);
  if (days.working.has(md)) return true;
  return !isWeekend(date) && !days.off.has(md);
}

/**
 * The Moscow Exchange's trading day before `day` ('YYYY-MM-DD'): the closest earlier day that is
 * neither a Saturday or Sunday nor a day off of the production calendar (a transferred working
 * Saturday is no trading day).
 */
export function tradingDayBefore(day: string): string {
  let date = new Date(`${day}T00:00:00Z`);
  do date = new Date(date.getTime() - DAY_MS);
  while (isWeekend(date) || !isWorkingDay(date.toISOString().slice(0, 10)));
  return date.toISOString().slice(0, 10);
}
