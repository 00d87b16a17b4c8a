import type { CalendarYear } from './types.js';

/**
 * 2015. Transfers: 3 January → 9 January, 4 January → 4 May; 8 March and 9 May fell on weekends and
 * moved to 9 March and 11 May.
 */
export default {
  year: 2015,
  daysOff: [
    '01-01',
    '01-02',
    '01-03',
    '01-04',
    '01-05',
    '01-06',
    '01-07',
    '01-08',
    '01-09',
    '02-23',
    '03-08',
    '03-09',
    '05-01',
    '05-04',
    '05-09',
    '05-11',
    '06-12',
    '11-04',
  ],
  workingWeekendDays: [],
} satisfies CalendarYear;
