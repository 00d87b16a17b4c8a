import type { CalendarYear } from './types.js';

/**
 * 2022. Transfers: 1 January → 3 May, 2 January → 10 May, Saturday 5 March worked → 7 March off; 1 May
 * and 12 June fell on Sundays and moved to 2 May and 13 June.
 */
export default {
  year: 2022,
  daysOff: ['03-07', '05-02', '05-03', '05-10', '06-13'],
  workingWeekendDays: ['03-05'],
} satisfies CalendarYear;
