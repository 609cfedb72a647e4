import { Counter, Histogram } from "prom-client";
import { createMetrics } from "@hivematrix/lib/metrics";

/**
 * Nexus's metrics: lib's per-route request metrics for its own pages, plus per-backend counters
 * for the proxy, registered on the same registry so /metrics shows both.
 */
export function createNexusMetrics() {
  const base = createMetrics("nexus");
  const upstreamRequests = new Counter({
    name: "nexus_upstream_requests_total",
    help: "Requests proxied to a backend, by service and status class.",
    labelNames: ["target", "status"] as const,
    registers: [base.registry],
  });
  const upstreamErrors = new Counter({
    name: "nexus_upstream_errors_total",
    help: "Proxied requests that got no response from the backend, by service and kind (unreachable, timeout).",
    labelNames: ["target", "kind"] as const,
    registers: [base.registry],
  });
  const upstreamLatency = new Histogram({
    name: "nexus_upstream_duration_seconds",
    help: "Time from receiving a request to the backend's response headers, by service.",
    labelNames: ["target"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [base.registry],
  });
  const refused = new Counter({
    name: "nexus_refused_requests_total",
    help:
      "Requests Nexus answered itself without proxying, by reason" +
      " (unauthenticated, forbidden, csrf, blocked, rate_limited, websocket_origin).",
    labelNames: ["reason"] as const,
    registers: [base.registry],
  });

  /** Pre-bound children per backend so the hot path does no label hashing. */
  const forTarget = (target: string) => {
    const latency = upstreamLatency.labels(target);
    const byClass = ["1xx", "2xx", "3xx", "4xx", "5xx"].map((c) => upstreamRequests.labels(target, c));
    const unreachable = upstreamErrors.labels(target, "unreachable");
    const timeout = upstreamErrors.labels(target, "timeout");
    return {
      response(status: number, seconds: number) {
        latency.observe(seconds);
        byClass[Math.min(Math.max(Math.floor(status / 100) - 1, 0), 4)]!.inc();
      },
      failure(kind: "unreachable" | "timeout") {
        (kind === "timeout" ? timeout : unreachable).inc();
      },
    };
  };

  return { base, forTarget, refused: (reason: string) => refused.inc({ reason }) };
}

export type NexusMetrics = ReturnType<typeof createNexusMetrics>;
