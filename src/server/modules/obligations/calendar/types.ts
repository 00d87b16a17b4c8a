/**
 * One year of the Russian production calendar (производственный календарь): the days that differ
 * from "Monday to Friday work, Saturday and Sunday rest". Days are 'MM-DD'.
 */
export interface CalendarYear {
  year: number;
  /**
   * Every non-working day that is not an ordinary weekend, and the holidays themselves even when
   * they fall on one: public holidays (ТК РФ ст. 112), days off carried over from a holiday on a
   * weekend, days moved by the government's yearly decree, and non-working days by decree.
   */
  daysOff: string[];
  /** Saturdays and Sundays made working days by a transfer. */
  workingWeekendDays: string[];
}
