import { validationFailed } from "@hivematrix/lib/errors";

/** Months as billing names and counts them (UTC months). */

export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** `3` → `03`, for periods and file names. */
export const pad2 = (value: number) => String(value).padStart(2, "0");

/** The months as a select's options, January as "1". */
export const MONTH_OPTIONS = MONTHS.map((name, index) => ({ value: String(index + 1), label: name }));

/** The month before the one `at` falls in (UTC). */
export function previousMonth(at: Date): { year: number; month: number } {
  const month = at.getUTCMonth();
  return month === 0 ? { year: at.getUTCFullYear() - 1, month: 12 } : { year: at.getUTCFullYear(), month };
}

/** A page's `?year=&month=`: this month where either is missing or not a month. */
export function pagePeriod(query: { year?: string; month?: string }, now = new Date()) {
  const year = Number(query.year);
  const month = Number(query.month);
  return {
    year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : now.getUTCFullYear(),
    month: Number.isInteger(month) && month >= 1 && month <= 12 ? month : now.getUTCMonth() + 1,
  };
}

/** The first instant of a month in UTC; month 13 is January of the next year (Date.UTC carries it over). */
export const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month - 1, 1));

/** Refuses a month that has not started: its bills cannot be accepted yet. */
export function assertMonthStarted(year: number, month: number, now = new Date()): void {
  if (Date.UTC(year, month - 1, 1) > Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) {
    throw validationFailed([{ field: "month", message: "A month that has not started cannot be billed yet." }]);
  }
}
