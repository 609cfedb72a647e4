import type { Registry } from "prom-client";

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/** What one backend's proxied requests came to since Nexus started. */
class TargetCounts {
  readonly byClass = new Float64Array(STATUS_CLASSES.length);
  readonly errors = { unreachable: 0, timeout: 0 };
  /** Observations per bucket (not cumulative); the last slot is past the largest bound. */
  readonly buckets = new Float64Array(LATENCY_BUCKETS.length + 1);
  sum = 0;
  count = 0;
}

export interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** A metric as prom-client's registry reads it (name, help, type and its values at scrape time). */
export function scraped(
  name: string,
  help: string,
  type: "counter" | "gauge" | "histogram",
  values: () => MetricValue[],
) {
  const read = () => ({ name, help, type, aggregator: "sum" as const, values: values() });
  return { name, help, type, aggregator: "sum" as const, get: async () => read(), reset() {} };
}

/**
 * The proxy's per-backend counters and latency histogram, counted in plain numbers on the hot
 * path (prom-client's own objects hash their labels on every observation) and turned into
 * Prometheus series only when /metrics is read, with the same names, labels and buckets.
 */
export function createUpstreamMetrics(registry: Registry) {
  const targets = new Map<string, TargetCounts>();

  registry.registerMetric(
    scraped(
      "nexus_upstream_requests_total",
      "Requests proxied to a backend, by service and status class.",
      "counter",
      () =>
        [...targets].flatMap(([target, counts]) =>
          STATUS_CLASSES.flatMap((status, i) =>
            counts.byClass[i] ? [{ labels: { target, status }, value: counts.byClass[i]! }] : [],
          ),
        ),
    ) as never,
  );
  registry.registerMetric(
    scraped(
      "nexus_upstream_errors_total",
      "Proxied requests that got no response from the backend, by service and kind (unreachable, timeout).",
      "counter",
      () =>
        [...targets].flatMap(([target, counts]) =>
          (["unreachable", "timeout"] as const).flatMap((kind) =>
            counts.errors[kind] ? [{ labels: { target, kind }, value: counts.errors[kind] }] : [],
          ),
        ),
    ) as never,
  );
  const name = "nexus_upstream_duration_seconds";
  registry.registerMetric(
    scraped(name, "Time from receiving a request to the backend's response headers, by service.", "histogram", () =>
      [...targets].flatMap(([target, counts]) => {
        if (counts.count === 0) return [];
        let cumulative = 0;
        const buckets = [...LATENCY_BUCKETS, "+Inf"].map((le, i) => {
          cumulative += counts.buckets[i]!;
          return { labels: { le, target }, value: cumulative, metricName: `${name}_bucket` };
        });
        return [
          ...buckets,
          { labels: { target }, value: counts.sum, metricName: `${name}_sum` },
          { labels: { target }, value: counts.count, metricName: `${name}_count` },
        ];
      }),
    ) as never,
  );

  /** One backend's counters, created on its first request. */
  return (target: string) => {
    let counts = targets.get(target);
    if (!counts) targets.set(target, (counts = new TargetCounts()));
    const held = counts;
    return {
      response(status: number, seconds: number) {
        let bucket = 0;
        while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]!) bucket++;
        held.buckets[bucket]!++;
        held.sum += seconds;
        held.count++;
        held.byClass[Math.min(Math.max(Math.floor(status / 100) - 1, 0), 4)]!++;
      },
      failure(kind: "unreachable" | "timeout") {
        held.errors[kind]++;
      },
    };
  };
}
