/** One person's token use in one month. */
export interface MonthUsage {
  user: string;
  /** YYYY-MM (UTC). */
  month: string;
  messages: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}
