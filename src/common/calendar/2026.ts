import type { CalendarYear } from './types.js';

/**
 * 2026. Transfers: 3 January → 9 January, 4 January → 31 December; 8 March and 9 May fell on weekends
 * and moved to 9 March and 11 May.
 * Government decree of 24.09.2025 No. 1466.
 */
export default {
  year: 2026,
  daysOff: ['01-09', '03-09', '05-11', '12-31'],
  workingWeekendDays: [],
} satisfies CalendarYear;
