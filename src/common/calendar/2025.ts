import type { CalendarYear } from './types.js';

/**
 * 2025. Transfers: 4 January → 2 May, 5 January → 31 December, 23 February → 8 May, 8 March → 13 June,
 * Saturday 1 November worked → 3 November off.
 * Government decree of 04.10.2024 No. 1335.
 */
export default {
  year: 2025,
  daysOff: ['05-02', '05-08', '06-13', '11-03', '12-31'],
  workingWeekendDays: ['11-01'],
} satisfies CalendarYear;
