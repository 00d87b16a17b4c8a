import type { CalendarYear } from './types.js';

/**
 * 2026. Transfers: 3 January → 9 January, 4 January → 31 December; 8 March and 9 May fell on weekends
 * and moved to 9 March and 11 May.
 * Government decree of 24.09.2025 No. 1466.
 */
export default {
  year: 2026,
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
    '05-09',
    '05-11',
    '06-12',
    '11-04',
    '12-31',
  ],
  workingWeekendDays: [],
} satisfies CalendarYear;
