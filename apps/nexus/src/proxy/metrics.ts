import { Counter } from "prom-client";
import { createMetrics } from "@hivematrix/lib/metrics";
import { createUpstreamMetrics } from "./upstream-metrics.ts";

/**
 * Nexus's metrics: lib's per-route request metrics for its own pages, plus per-backend counters
 * for the proxy, registered on the same registry so /metrics shows both. Each process
 * (NEXUS_WORKERS) counts the requests it served.
 */
export function createNexusMetrics() {
  const base = createMetrics("nexus");
  const refused = new Counter({
    name: "nexus_refused_requests_total",
    help:
      "Requests Nexus answered itself without proxying, by reason" +
      " (unauthenticated, forbidden, csrf, blocked, rate_limited, websocket_origin).",
    labelNames: ["reason"] as const,
    registers: [base.registry],
  });
  return {
    base,
    /** One backend's counters (pre-bound, so the hot path only adds numbers). */
    forTarget: createUpstreamMetrics(base.registry),
    refused: (reason: string) => refused.inc({ reason }),
  };
}

export type NexusMetrics = ReturnType<typeof createNexusMetrics>;
