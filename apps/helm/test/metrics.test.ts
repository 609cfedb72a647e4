import { describe, expect, test } from "bun:test";
import { createBaseApp } from "@hivematrix/lib/app";
import { createLogger } from "@hivematrix/lib/log";
import { createMetrics } from "@hivematrix/lib/metrics";
import { histogramQuantile, parsePrometheus, totalsOf } from "../src/metrics/prom-parse.ts";
import { pointBetween } from "../src/metrics/scraper.ts";

describe("Prometheus text", () => {
  test("parses what lib/metrics serves, leaving out /metrics and /health", async () => {
    const metrics = createMetrics("probe");
    const app = createBaseApp({ logger: createLogger({ service: "probe", write: () => {} }), service: "probe", metrics });
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
    const samples = parsePrometheus(['# HELP x y', 'a_total{route="/a\\"b",le="+Inf"} 3', "b 1.5e3", 'c{x="1"} +Inf', "garbage line"].join("\n"));
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
    expect(histogramQuantile(0.95, new Map([[0.5, 1], [Infinity, 100]]))).toBe(0.5);
  });

  test("rate, p95 and error share between two scrapes, and across an app restart", () => {
    const scrape = (at: number, requests: number, errors: number, fast: number) => ({
      at,
      totals: { requests, errors, buckets: new Map([[0.01, fast], [1, requests], [Infinity, requests]]) },
    });
    // 200 new requests in 10 s, 10 of them failed; 180 took ≤ 10 ms, so rank 190 is halfway into (10 ms, 1 s].
    expect(pointBetween(scrape(0, 100, 1, 100), scrape(10_000, 300, 11, 280))).toEqual({ at: new Date(10_000).toISOString(), rate: 20, errorPct: 5, p95Ms: 505 });
    // The counters went down: the app restarted, so the new values are the whole increase.
    expect(pointBetween(scrape(0, 500, 50, 500), scrape(5_000, 50, 5, 50))).toMatchObject({ rate: 10, errorPct: 10, p95Ms: 9.5 });
    expect(pointBetween(scrape(0, 5, 0, 5), scrape(1_000, 5, 0, 5))).toMatchObject({ rate: 0, errorPct: 0, p95Ms: null });
  });
});
