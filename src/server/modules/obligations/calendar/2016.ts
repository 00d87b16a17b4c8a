import type { CalendarYear } from './types.js';

/**
 * 2016. Transfers: 2 January → 3 May, 3 January → 7 March, Saturday 20 February worked → 22 February
 * off; 1 May and 12 June fell on Sundays and moved to 2 May and 13 June.
 */
export default {
  year: 2016,
  daysOff: [
    '01-01',
    '01-02',
    '01-03',
    '01-04',
    '01-05',
    '01-06',
    '01-07',
    '01-08',
    '02-22',
    '02-23',
    '03-07',
    '03-08',
    '05-01',
    '05-02',
    '05-03',
    '05-09',
    '06-12',
    '06-13',
    '11-04',
  ],
  workingWeekendDays: ['02-20'],
} satisfies CalendarYear;
