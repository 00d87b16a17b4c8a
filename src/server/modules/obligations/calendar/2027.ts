import type { CalendarYear } from './types.js';

/**
 * 2027. Transfers: 2 January → 5 November, 3 January → 31 December, Saturday 20 February worked → 22
 * February off; 1 May, 9 May and 12 June fell on weekends and moved to 3 May, 10 May and 14 June.
 * Taken from the published calendar data of 2 September 2026; no second source confirmed it yet.
 */
export default {
  year: 2027,
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
    '03-08',
    '05-01',
    '05-03',
    '05-09',
    '05-10',
    '06-12',
    '06-14',
    '11-04',
    '11-05',
    '12-31',
  ],
  workingWeekendDays: ['02-20'],
} satisfies CalendarYear;
