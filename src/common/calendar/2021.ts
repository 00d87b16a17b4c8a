import type { CalendarYear } from './types.js';

/**
 * 2021. Transfers: 2 January → 5 November, 3 January → 31 December, Saturday 20 February worked → 22
 * February off; 1 May, 9 May and 12 June fell on weekends and moved to 3 May, 10 May and 14 June. Non-
 * working days by decrees of the President: 4–7 May and 30 October – 7 November.
 */
export default {
  year: 2021,
  daysOff: [
    '02-22',
    '05-03',
    '05-04',
    '05-05',
    '05-06',
    '05-07',
    '05-10',
    '06-14',
    '10-30',
    '10-31',
    '11-01',
    '11-02',
    '11-03',
    '11-05',
    '12-31',
  ],
  workingWeekendDays: ['02-20'],
} satisfies CalendarYear;
