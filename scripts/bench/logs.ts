/**
 * `bun run bench logs [--lines 300000] [--batch 5000]`
 *
 * Helm's central log store, measured over HTTP as apps use it: Core and Helm as real processes
 * (lib/testing), lines shipped to POST /api/logs/ingest with a real service token, then the
 * log page's queries through GET /api/logs. Runs on SQLite and, when HIVEMATRIX_TEST_POSTGRES_URL
 * is set, on Postgres side by side. Prints ingest lines/s and the median latency of each query
 * (with its total count, as the page shows it), then Postgres/SQLite.
 * Target: 100,000 lines ingested in a few seconds; every filtered page under 1 s at 300,000 rows.
 */
import { parseArgs } from "node:util";
import { loadServices } from "@hivematrix/lib/config";
import { readSecret } from "@hivematrix/lib/secrets";
import { createServiceClient } from "@hivematrix/lib/service-client";
import { postgresTestUrl, startPlatform, withPostgres } from "@hivematrix/lib/testing";

const { values } = parseArgs({
  options: { lines: { type: "string", default: "300000" }, batch: { type: "string", default: "5000" } },
  strict: true,
});
const total = Number(values.lines);
const batch = Math.min(5_000, Number(values.batch));
const SERVICES = ["codex", "core", "nexus", "brainhair"];
const LEVELS = ["DEBUG", "INFO", "INFO", "INFO", "INFO", "INFO", "WARNING", "INFO", "INFO", "ERROR"];

const QUERIES: [string, Record<string, string>][] = [
  ["newest page", {}],
  ["one service", { service: "bench" }],
  ["level ERROR", { level: "ERROR" }],
  ["request id", { request_id: "req-123456" }],
  ["user", { user: "user-17" }],
  ["text search", { q: "ticket 4242" }],
  ["last 15 min, WARNING+", { from: "15m", level: "WARNING" }],
  ["3rd page, one service", { service: "bench", page: "3" }],
];

interface EngineResult {
  ingestLinesPerS: number;
  queries: Map<string, { ms: number; total: number }>;
}

async function measure(engine: "sqlite" | "postgres"): Promise<EngineResult> {
  const pg = engine === "postgres" ? await withPostgres("hm_bench_logs") : null;
  const platform = await startPlatform({
    apps: {
      bench: { start: false },
      helm: {
        permission: "admin",
        env: { HELM_SCRAPE_INTERVAL_SECONDS: "3600", ...(pg ? { HELM_DATABASE_URL: pg.url } : {}) },
      },
    },
  });
  try {
    const client = createServiceClient({
      name: "bench",
      secret: readSecret(platform.home, "service-bench"),
      coreUrl: platform.coreUrl,
      services: loadServices(platform.servicesFile),
    });
    const admin = await platform.token("admin");
    const start = Date.now() - total * 10;
    const body = (from: number) =>
      JSON.stringify({
        lines: Array.from({ length: Math.min(batch, total - from) }, (_, i) => {
          const n = from + i;
          return {
            timestamp: new Date(start + n * 10).toISOString(),
            level: LEVELS[n % LEVELS.length],
            message: `handled ticket ${n % 10_000} for company ${n % 300} in ${n % 97} ms`,
            request_id: `req-${n}`,
            user: `user-${n % 50}`,
            context: { service_hint: SERVICES[n % SERVICES.length], path: `/api/tickets/${n % 10_000}`, status: 200 },
          };
        }),
      });
    const t0 = performance.now();
    for (let from = 0; from < total; from += batch) {
      const res = await client.callService("helm", "/api/logs/ingest", { method: "POST", body: body(from) });
      if (!res.ok) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    }
    const ingestLinesPerS = total / ((performance.now() - t0) / 1000);

    const queries = new Map<string, { ms: number; total: number }>();
    for (const [name, q] of QUERIES) {
      const times: number[] = [];
      let count = 0;
      for (let run = 0; run < 5; run++) {
        const { page, ...params } = q;
        let cursor: string | null = null;
        const started = performance.now();
        for (let p = 0; p < Number(page ?? 1); p++) {
          const url = `${platform.urls.helm}/api/logs?${new URLSearchParams({ ...params, ...(cursor ? { before: cursor } : {}) })}`;
          const res = await fetch(url, { headers: { authorization: `Bearer ${admin}` } });
          const answer = (await res.json()) as { total: number; older: string | null };
          count = answer.total;
          cursor = answer.older;
        }
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      queries.set(name, { ms: times[2]!, total: count });
    }
    return { ingestLinesPerS, queries };
  } finally {
    await platform.stop();
    await pg?.drop();
  }
}

const engines: ("sqlite" | "postgres")[] = postgresTestUrl() ? ["sqlite", "postgres"] : ["sqlite"];
console.log(
  `Helm log store: ${total.toLocaleString("en")} lines shipped in batches of ${batch}; queries are GET /api/logs (100 lines + total count), median of 5\n`,
);
const results = new Map<string, EngineResult>();
for (const engine of engines) {
  process.stdout.write(`measuring ${engine}…\n`);
  results.set(engine, await measure(engine));
}

const pad = (s: string, n: number) => s.padEnd(n);
const header = [pad("", 26), ...engines.map((e) => pad(e, 22)), engines.length === 2 ? "postgres/sqlite" : ""].join("");
console.log(`\n${header}`);
const row = (label: string, cells: string[], ratio?: string) =>
  console.log([pad(label, 26), ...cells.map((c) => pad(c, 22)), ratio ?? ""].join(""));
const s = results.get("sqlite")!;
const p = results.get("postgres");
row(
  "ingest",
  engines.map((e) => `${Math.round(results.get(e)!.ingestLinesPerS).toLocaleString("en")} lines/s`),
  p ? `${(p.ingestLinesPerS / s.ingestLinesPerS).toFixed(2)}×` : undefined,
);
for (const [name] of QUERIES) {
  row(
    name,
    engines.map((e) => {
      const r = results.get(e)!.queries.get(name)!;
      return `${r.ms.toFixed(1)} ms (${r.total.toLocaleString("en")})`;
    }),
    p ? `${(p.queries.get(name)!.ms / s.queries.get(name)!.ms).toFixed(2)}×` : undefined,
  );
}
