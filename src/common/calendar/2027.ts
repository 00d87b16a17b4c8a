import type { CalendarYear } from './types.js';

/**
 * 2027. Transfers: 2 January → 5 November, 3 January → 31 December, Saturday 20 February worked → 22
 * February off; 1 May, 9 May and 12 June fell on weekends and moved to 3 May, 10 May and 14 June.
 * Taken from the published calendar data of 2 September 2026; no second source confirmed it yet.
 */
export default {
  year: 2027,
  daysOff: ['02-22', '05-03', '05-10', '06-14', '11-05', '12-31'],
  workingWeekendDays: ['02-20'],
} satisfies CalendarYear;
