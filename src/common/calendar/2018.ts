import type { CalendarYear } from './types.js';

/**
 * 2018. Transfers: 6 January → 9 March, 7 January → 2 May, Saturday 28 April worked → 30 April off,
 * Saturday 9 June → 11 June, Saturday 29 December → 31 December; 4 November fell on a Sunday and moved
 * to 5 November.
 */
export default {
  year: 2018,
  daysOff: ['03-09', '04-30', '05-02', '06-11', '11-05', '12-31'],
  workingWeekendDays: ['04-28', '06-09', '12-29'],
} satisfies CalendarYear;
