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
  })
  .meta({ id: "MetricPoint" });

export type MetricPoint = z.infer<typeof metricPointSchema>;
