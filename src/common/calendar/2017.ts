import type { CalendarYear } from './types.js';

/**
 * 2017. Transfers: 1 January → 24 February, 7 January → 8 May; 4 November fell on a Saturday and moved
 * to 6 November.
 */
export default {
  year: 2017,
  daysOff: ['02-24', '05-08', '11-06'],
  workingWeekendDays: [],
} satisfies CalendarYear;
