import { Badge } from "@hivematrix/lib/ui";

/** Marks a record a complete sync no longer found, with the day it went missing. */
export function StaleBadge({ since }: { since: string }) {
  return <Badge variant="warning">stale since {since.slice(0, 10)}</Badge>;
}

/** The "show stale" filter of lists: stale records (gone from the PSA or RMM) are hidden by default. */
export const STALE_OPTIONS = [
  { value: "exclude", label: "Hide stale" },
  { value: "include", label: "Show stale too" },
  { value: "only", label: "Only stale" },
];

/** Drops the default so links stay short. */
export const staleParam = (value: string | undefined) => (value && value !== "exclude" ? value : undefined);
