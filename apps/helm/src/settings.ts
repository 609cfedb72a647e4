import { readInt } from "@hivematrix/lib/config";

/** Helm's own settings, read once at start-up (README "Helm"). */
export interface HelmSettings {
  /** Log lines older than this are deleted by the cleanup job. */
  retentionDays: number;
  /** At most this many log lines are kept; the oldest go first. */
  maxRows: number;
  cleanupIntervalMs: number;
  /** How often every app's /metrics is scraped. */
  scrapeIntervalMs: number;
  /** Scrapes kept per service (the sparklines' length). */
  metricsHistory: number;
}

type Env = Record<string, string | undefined>;

export function loadHelmSettings(env: Env = process.env): HelmSettings {
  const int = (name: string, fallback: number, min: number, max: number) => readInt(env, name, fallback, min, max);
  return {
    retentionDays: int("HELM_LOG_RETENTION_DAYS", 14, 1, 3_650),
    maxRows: int("HELM_LOG_MAX_ROWS", 2_000_000, 1_000, 1_000_000_000),
    cleanupIntervalMs: int("HELM_LOG_CLEANUP_INTERVAL_SECONDS", 600, 1, 86_400) * 1000,
    scrapeIntervalMs: int("HELM_SCRAPE_INTERVAL_SECONDS", 15, 1, 3_600) * 1000,
    metricsHistory: int("HELM_METRICS_HISTORY", 60, 2, 10_000),
  };
}
