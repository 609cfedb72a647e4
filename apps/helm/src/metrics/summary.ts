import type { Deps } from "../deps.ts";
import type { MetricPoint, MetricsOverview, ServiceMetrics } from "./json.ts";

const mean = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.round((known.reduce((sum, v) => sum + v, 0) / known.length) * 100) / 100 : null;
};

/** One service's points and their figures over the whole span the charts cover. */
export function serviceMetrics(service: string, points: MetricPoint[]): ServiceMetrics {
  const memory = points.map((p) => p.rssBytes).filter((v): v is number => v !== null);
  return {
    service,
    points,
    summary: {
      rate: mean(points.map((p) => p.rate)),
      p50_ms: mean(points.map((p) => p.p50Ms)),
      p95_ms: mean(points.map((p) => p.p95Ms)),
      error_pct: mean(points.map((p) => p.errorPct)),
      cpu_pct: mean(points.map((p) => p.cpuPct)),
      rss_bytes: memory.at(-1) ?? null,
      peak_rss_bytes: memory.length ? Math.max(...memory) : null,
    },
  };
}

/** A chart's x positions: scrape times rounded to the scrape interval, so every service's points line up. */
export function slotOf(at: string, intervalMs: number): number {
  return Math.round(Date.parse(at) / intervalMs) * intervalMs;
}

/**
 * One line per service over the same time slots, oldest first. Every line names every slot
 * (NaN where it has no point), so the chart's x axis is in time order whichever service
 * was scraped first.
 */
export function chartSeries(
  services: ServiceMetrics[],
  intervalMs: number,
  value: (point: MetricPoint) => number | null,
): { name: string; points: { x: string; y: number }[] }[] {
  const slots = [...new Set(services.flatMap((s) => s.points.map((p) => slotOf(p.at, intervalMs))))].sort(
    (a, b) => a - b,
  );
  const label = (slot: number) => new Date(slot).toISOString().slice(11, 19);
  return services.map((s) => {
    const bySlot = new Map(s.points.map((p) => [slotOf(p.at, intervalMs), value(p)]));
    return { name: s.service, points: slots.map((slot) => ({ x: label(slot), y: bySlot.get(slot) ?? Number.NaN })) };
  });
}

/** Every app's points as Helm scraped them, with their figures (the metrics page and GET /api/metrics). */
export function metricsOverview(deps: Pick<Deps, "config" | "settings" | "scraper">): MetricsOverview {
  const { scrapeIntervalMs, metricsHistory } = deps.settings;
  return {
    interval_seconds: scrapeIntervalMs / 1000,
    span_seconds: (scrapeIntervalMs * metricsHistory) / 1000,
    services: Object.keys(deps.config.services).map((name) => serviceMetrics(name, deps.scraper.series(name))),
  };
}
