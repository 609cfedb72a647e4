/** What the dashboard shows: the figures at the top and each chart's data. */
export interface DashboardData {
  counts: { label: string; value: number; href: string }[];
  weeks: { week: string; opened: number; closed: number }[];
  assetTypes: { label: string; value: number }[];
}
