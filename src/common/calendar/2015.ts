import type { CalendarYear } from './types.js';

/**
 * 2015. Transfers: 3 January → 9 January, 4 January → 4 May; 8 March and 9 May fell on weekends and
 * moved to 9 March and 11 May.
 */
export default {
  year: 2015,
  daysOff: ['01-09', '03-09', '05-04', '05-11'],
  workingWeekendDays: [],
} satisfies CalendarYear;
