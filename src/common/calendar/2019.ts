import type { CalendarYear } from './types.js';

/**
 * 2019. Transfers: 5 January → 2 May, 6 January → 3 May, 23 February → 10 May.
 */
export default {
  year: 2019,
  daysOff: ['05-02', '05-03', '05-10'],
  workingWeekendDays: [],
} satisfies CalendarYear;
