import type { CalendarYear } from './types.js';

/**
 * 2016. Transfers: 2 January → 3 May, 3 January → 7 March, Saturday 20 February worked → 22 February
 * off; 1 May and 12 June fell on Sundays and moved to 2 May and 13 June.
 */
export default {
  year: 2016,
  daysOff: ['02-22', '03-07', '05-02', '05-03', '06-13'],
  workingWeekendDays: ['02-20'],
} satisfies CalendarYear;
