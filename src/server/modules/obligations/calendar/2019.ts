import type { CalendarYear } from './types.js';

/**
 * 2019. Transfers: 5 January → 2 May, 6 January → 3 May, 23 February → 10 May.
 */
export default {
  year: 2019,
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
    '03-08',
    '05-01',
    '05-02',
    '05-03',
    '05-09',
    '05-10',
    '06-12',
    '11-04',
  ],
  workingWeekendDays: [],
} satisfies CalendarYear;
