import type { Context, MiddlewareHandler } from "hono";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Per-app Prometheus metrics: requests, latency and errors per route (the route pattern, not
 * the raw path, so ids do not explode the label set), plus process metrics. Served at /metrics.
 */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests handled, by method, route and status.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time to the response headers, by method and route.",
    labelNames: ["method", "route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: "http_request_errors_total",
    help: "Responses with a 5xx status, by method and route.",
    labelNames: ["method", "route"] as const,
    registers: [registry],
  });

  const middleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = routeOf(c);
      const status = c.res.status;
      requests.inc({ method: c.req.method, route, status: String(status) });
      duration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
      if (status >= 500) errors.inc({ method: c.req.method, route });
    }
  };

  return {
    registry,
    middleware,
    async render(): Promise<string> {
      return registry.metrics();
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

function routeOf(c: Context): string {
  const pattern = c.req.routePath;
  // Unmatched requests share one label so scanners cannot create a series per path.
  return !pattern || pattern === "*" || pattern === "/*" ? "(unmatched)" : pattern;
}
