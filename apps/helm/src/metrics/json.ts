import { z } from "zod";

/** One point of a service's charts, computed from two consecutive scrapes. */
export const metricPointSchema = z
  .object({
    at: z.iso.datetime(),
    rate: z.number().meta({ description: "Requests per second" }),
    p95Ms: z
      .number()
      .nullable()
      .meta({ description: "95th percentile latency in milliseconds; null when there were no requests" }),
    errorPct: z.number().meta({ description: "Share of requests that failed with a 5xx, in percent" }),
    p50Ms: z.number().nullable().meta({
      description: "Median latency in milliseconds; null when there were no requests (or before it was kept)",
    }),
    cpuPct: z.number().nullable().meta({
      description: "CPU time per wall-clock time, in percent (over 100 when several threads were busy); null unknown",
    }),
    rssBytes: z.number().nullable().meta({ description: "Resident memory at the later scrape; null unknown" }),
  })
  .meta({ id: "MetricPoint" });

export type MetricPoint = z.infer<typeof metricPointSchema>;

const perSpan = (description: string) => z.number().nullable().meta({ description });

/** A service's chart points and what they add up to over the charts' span. */
export const serviceMetricsSchema = z
  .object({
    service: z.string(),
    points: z.array(metricPointSchema).meta({ description: "Oldest first" }),
    summary: z.object({
      rate: perSpan("Mean requests per second"),
      p50_ms: perSpan("Mean of the points' median latencies"),
      p95_ms: perSpan("Mean of the points' 95th percentile latencies"),
      error_pct: perSpan("Mean share of requests failing with a 5xx"),
      cpu_pct: perSpan("Mean CPU use, in percent of one core"),
      rss_bytes: perSpan("Resident memory at the latest point"),
      peak_rss_bytes: perSpan("The highest resident memory of the span"),
    }),
  })
  .meta({ id: "ServiceMetrics" });

export type ServiceMetrics = z.infer<typeof serviceMetricsSchema>;

export const metricsSchema = z.object({
  interval_seconds: z.number().meta({ description: "Time between scrapes (HELM_SCRAPE_INTERVAL_SECONDS)" }),
  span_seconds: z.number().meta({ description: "What the charts cover: the points kept (HELM_METRICS_HISTORY)" }),
  services: z.array(serviceMetricsSchema),
});

export type MetricsOverview = z.infer<typeof metricsSchema>;
