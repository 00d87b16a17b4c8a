/**
 * One year of the Russian production calendar (производственный календарь): the days that differ
 * from "Monday to Friday work, Saturday and Sunday rest, the public holidays rest". Days are 'MM-DD'.
 */
export interface CalendarYear {
  year: number;
  /**
   * Days off besides weekends and the public holidays (PUBLIC_HOLIDAYS, the same every year): days
   * off carried over from a holiday on a weekend, days moved by the government's yearly decree, and
   * non-working days by decree.
   */
  daysOff: string[];
  /** Saturdays and Sundays made working days by a transfer. */
  workingWeekendDays: string[];
}
