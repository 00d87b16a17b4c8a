import type { CalendarYear } from './types.js';

/**
 * 2024. Transfers: 6 January → 10 May, 7 January → 31 December, Saturday 27 April worked → 29 April
 * off, Saturday 2 November → 30 April, Saturday 28 December → 30 December.
 * Government decree of 10.08.2023 No. 1314.
 */
export default {
  year: 2024,
  daysOff: ['04-29', '04-30', '05-10', '12-30', '12-31'],
  workingWeekendDays: ['04-27', '11-02', '12-28'],
} satisfies CalendarYear;
