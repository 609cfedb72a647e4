import { describe, expect, test } from "bun:test";
import { createBaseApp } from "@hivematrix/lib/app";
import { createLogger } from "@hivematrix/lib/log";
import { createMetrics } from "@hivematrix/lib/metrics";
import { histogramQuantile, parsePrometheus, totalsOf } from "../src/metrics/prom-parse.ts";
import type { MetricPoint } from "../src/metrics/json.ts";
import { createScraper, type PointStore, pointBetween } from "../src/metrics/scraper.ts";

describe("Prometheus text", () => {
  test("parses what lib/metrics serves, leaving out /metrics and /health", async () => {
    const metrics = createMetrics("probe");
    const app = createBaseApp({
      logger: createLogger({ service: "probe", write: () => {} }),
      service: "probe",
      metrics,
    });
    app.get("/ok", (c) => c.text("ok"));
    app.get("/boom", () => {
      throw new Error("boom");
    });
    app.get("/health", (c) => c.text("ok"));
    for (let i = 0; i < 8; i++) await app.request("/ok");
    for (let i = 0; i < 2; i++) await app.request("/boom");
    for (let i = 0; i < 5; i++) await app.request("/health");
    const totals = totalsOf(parsePrometheus(await metrics.render()));
    expect(totals.requests).toBe(10);
    expect(totals.errors).toBe(2);
    expect(totals.buckets.get(Infinity)).toBe(10);
  });

  test("reads escaped label values and special values", () => {
    const samples = parsePrometheus(
      ["# HELP x y", 'a_total{route="/a\\"b",le="+Inf"} 3', "b 1.5e3", 'c{x="1"} +Inf', "garbage line"].join("\n"),
    );
    expect(samples).toEqual([
      { name: "a_total", labels: { route: '/a"b', le: "+Inf" }, value: 3 },
      { name: "b", labels: {}, value: 1500 },
      { name: "c", labels: { x: "1" }, value: Infinity },
    ]);
  });

  test("p95 is interpolated inside its bucket like histogram_quantile", () => {
    const buckets = new Map([
      [0.01, 50],
      [0.1, 90],
      [1, 100],
      [Infinity, 100],
    ]);
    // rank 95 of 100 falls in (0.1, 1]: 5 of its 10 observations → halfway.
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.55, 6);
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.01, 6);
    expect(histogramQuantile(0.95, new Map([[Infinity, 0]]))).toBeNull();
    expect(
      histogramQuantile(
        0.95,
        new Map([
          [0.5, 1],
          [Infinity, 100],
        ]),
      ),
    ).toBe(0.5);
  });

  test("rate, p50, p95 and error share between two scrapes, and across an app restart", () => {
    const scrape = (at: number, requests: number, errors: number, fast: number) => ({
      at,
      totals: {
        requests,
        errors,
        buckets: new Map([
          [0.01, fast],
          [1, requests],
          [Infinity, requests],
        ]),
        cpuSeconds: null,
        rssBytes: null,
      },
    });
    // 200 new requests in 10 s, 10 of them failed; 180 took ≤ 10 ms, so rank 190 is halfway into (10 ms, 1 s]
    // and rank 100 is 100/180 into (0, 10 ms].
    expect(pointBetween(scrape(0, 100, 1, 100), scrape(10_000, 300, 11, 280))).toEqual({
      at: new Date(10_000).toISOString(),
      rate: 20,
      errorPct: 5,
      p95Ms: 505,
      p50Ms: 5.6,
      cpuPct: null,
      rssBytes: null,
    });
    // The counters went down: the app restarted, so the new values are the whole increase.
    expect(pointBetween(scrape(0, 500, 50, 500), scrape(5_000, 50, 5, 50))).toMatchObject({
      rate: 10,
      errorPct: 10,
      p95Ms: 9.5,
    });
    expect(pointBetween(scrape(0, 5, 0, 5), scrape(1_000, 5, 0, 5))).toMatchObject({
      rate: 0,
      errorPct: 0,
      p95Ms: null,
    });
  });
});

describe("chart points", () => {
  const quiet = createLogger({ service: "helm", write: () => {} });
  const text = (requests: number) =>
    [
      `hivematrix_http_requests_total{route="/a",method="GET",status="200"} ${requests}`,
      `hivematrix_http_request_duration_seconds_bucket{route="/a",method="GET",le="+Inf"} ${requests}`,
    ].join("\n");

  test("each scrape after the first makes a saved point; a new scraper starts from the saved ones", async () => {
    const saved: [string, MetricPoint][] = [];
    const store: PointStore = {
      save: async (service, point) => void saved.push([service, point]),
      recent: async (services, n) =>
        new Map(
          services.map((s) => [
            s,
            saved
              .filter(([x]) => x === s)
              .map(([, p]) => p)
              .slice(-n),
          ]),
        ),
    };
    let requests = 0;
    const first = createScraper({
      services: ["core"],
      fetchMetrics: async () => text((requests += 10)),
      intervalMs: 60_000,
      history: 3,
      logger: quiet,
      store,
    });
    for (let i = 0; i < 5; i++) await first.scrapeAll();
    expect(saved).toHaveLength(4);
    expect(first.series("core")).toHaveLength(3);
    expect(first.series("core")).toEqual(saved.slice(-3).map(([, p]) => p));

    // Helm restarted: the charts come back before the first new scrape.
    const second = createScraper({
      services: ["core", "codex"],
      fetchMetrics: async () => Promise.reject(new Error("down")),
      intervalMs: 60_000,
      history: 3,
      logger: quiet,
      store,
    });
    await second.start();
    second.stop();
    expect(second.series("core")).toEqual(saved.slice(-3).map(([, p]) => p));
    expect(second.series("codex")).toEqual([]);
  });

  test("a store that fails loses the point, not the chart or the scraper", async () => {
    const store: PointStore = {
      save: () => Promise.reject(new Error("disk full")),
      recent: () => Promise.reject(new Error("locked")),
    };
    let requests = 0;
    const scraper = createScraper({
      services: ["core"],
      fetchMetrics: async () => text((requests += 10)),
      intervalMs: 60_000,
      history: 5,
      logger: quiet,
      store,
    });
    await scraper.start();
    scraper.stop();
    await scraper.scrapeAll();
    expect(scraper.series("core")).toHaveLength(1);
  });
});
