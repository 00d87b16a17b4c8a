import type { CalendarYear } from './types.js';

/**
 * 2017. Transfers: 1 January → 24 February, 7 January → 8 May; 4 November fell on a Saturday and moved
 * to 6 November.
 */
export default {
  year: 2017,
  daysOff: [
    '01-01',
    '01-02',
    '01-03',
    '01-04',
    '01-05',
    '01-06',
    '01-07',
    '01-08',
    '02-23',
    '02-24',
    '03-08',
    '05-01',
    '05-08',
    '05-09',
    '06-12',
    '11-04',
    '11-06',
  ],
  workingWeekendDays: [],
} satisfies CalendarYear;
