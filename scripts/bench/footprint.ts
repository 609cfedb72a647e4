/**
 * `bun run bench footprint [--starts 3] [--views 1000,10000] [--against <checkout>]`
 *
 * Starts the platform as `bun run start` does on a fresh HIVEMATRIX_HOME (free ports, the dev
 * IdP, Codex's demo data) and prints:
 *   - the time from `bun run start` until every unit (each Nexus worker too) is running and every
 *     /health answers 200, the median of --starts fresh starts (target ≤ 2 s), and the CPU time each
 *     process took to get there (what a busy machine stretches, but does not change much);
 *   - each process's memory idle (RSS, which the target counts, and its proportional and private
 *     share, since the Bun binary's pages are shared by all of them), the total (target ≤ 350 MB);
 *   - each process's RSS after the first and the last --views count of page views and API reads
 *     through Nexus as the dev admin; no process may grow by more than 20% between them.
 * --against runs the same on another checkout first (e.g. /work/main) and prints both side by side.
 */
import { parseArgs } from "node:util";
import { loadAverage } from "./_wrk.ts";
import { megabytes, platformUsage, type ProcessUsage } from "./_memory.ts";
import { browserCookie } from "./_sign-in.ts";
import { REPO, startLikeBunRunStart } from "./_start.ts";

const { values } = parseArgs({
  options: {
    starts: { type: "string", default: "3" },
    views: { type: "string", default: "1000,10000" },
    against: { type: "string" },
    "idle-seconds": { type: "string", default: "5" },
  },
  strict: true,
});
const STARTS = Number(values.starts);
const VIEW_MARKS = values.views!.split(",").map(Number);
const IDLE_MS = Number(values["idle-seconds"]) * 1000;
const TARGETS = { healthyMs: 2000, idleMb: 350, growth: 0.2 };

/** A fixed mix of what people open, through Nexus: pages of every app and the JSON lists behind them. */
const WORKLOAD = [
  "/",
  "/codex/",
  "/codex/companies",
  "/codex/companies/ACME-001",
  "/codex/contacts",
  "/codex/assets",
  "/codex/tickets",
  "/codex/tickets/board",
  "/codex/billing",
  "/codex/search?q=printer",
  "/helm/services",
  "/helm/logs",
  "/helm/performance",
  "/brainhair/",
  "/brainhair/history",
  "/core/sessions",
  "/codex/api/companies",
  "/codex/api/tickets?limit=50",
  "/codex/api/assets?limit=50",
  "/helm/api/services",
  "/core/api/sessions",
];
const CONCURRENCY = 4;

interface Run {
  checkout: string;
  healthyMs: number[];
  /** CPU time each process had used when everything was healthy (of the last start). */
  startCpuMs: Map<string, number>;
  idle: ProcessUsage[];
  /** RSS in bytes by process name after each --views mark. */
  afterViews: Map<string, number>[];
}

async function driveViews(nexus: string, cookie: string, count: number, offset: number) {
  let next = 0;
  const one = async () => {
    while (next < count) {
      const path = WORKLOAD[(offset + next++) % WORKLOAD.length]!;
      const res = await fetch(`${nexus}${path}`, { headers: { cookie, accept: "text/html" } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, one));
}

async function measure(checkout: string): Promise<Run> {
  const run: Run = { checkout, healthyMs: [], startCpuMs: new Map(), idle: [], afterViews: [] };
  for (let start = 1; start <= STARTS; start++) {
    // Rate limits stay in the path, set out of reach of one client sending thousands of requests.
    const platform = await startLikeBunRunStart({
      checkout,
      env: { NEXUS_RATE_LIMIT_PER_ADDRESS: "100000000", NEXUS_RATE_LIMIT_PER_SESSION: "100000000" },
    });
    try {
      run.healthyMs.push(await platform.ready());
      if (start < STARTS) continue;
      run.startCpuMs = new Map(platformUsage(platform.pid).map((usage) => [usage.name, usage.cpuMs]));
      await Bun.sleep(IDLE_MS);
      run.idle = platformUsage(platform.pid);
      const cookie = await browserCookie(platform.nexusUrl, "admin");
      let done = 0;
      for (const mark of VIEW_MARKS) {
        await driveViews(platform.nexusUrl, cookie, mark - done, done);
        done = mark;
        await Bun.sleep(1000);
        run.afterViews.push(new Map(platformUsage(platform.pid).map((memory) => [memory.name, memory.rss])));
      }
    } finally {
      await platform.stop();
    }
  }
  return run;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mb = (bytes: number | undefined) => (bytes === undefined ? "—" : megabytes(bytes).toFixed(1));
const verdict = (ok: boolean) => (ok ? "ok" : "MISS");

function report(run: Run) {
  const healthy = median(run.healthyMs);
  const marks = VIEW_MARKS.map((mark) => `after ${mark.toLocaleString("en")}`);
  console.log(`\n${run.checkout}`);
  console.log(
    `  time to all healthy: ${(healthy / 1000).toFixed(2)} s (median of ${run.healthyMs.length}: ` +
      `${run.healthyMs.map((ms) => (ms / 1000).toFixed(2)).join(", ")} s)   target ≤ 2 s   ${verdict(healthy <= TARGETS.healthyMs)}`,
  );
  const startCpu = [...run.startCpuMs.values()].reduce((sum, ms) => sum + ms, 0);
  console.log(`  CPU time to all healthy: ${(startCpu / 1000).toFixed(2)} s (all processes, last start)`);
  console.log(
    `  ${"process".padEnd(16)} ${"start CPU".padStart(9)} ${"RSS idle".padStart(9)} ${"PSS idle".padStart(9)} ` +
      `${"private".padStart(8)}${marks.map((mark) => mark.padStart(13)).join("")}   growth`,
  );
  const growths: { name: string; growth: number }[] = [];
  for (const memory of [...run.idle].sort((a, b) => b.rss - a.rss)) {
    const after = run.afterViews.map((sizes) => sizes.get(memory.name));
    const [first, last] = [after[0], after.at(-1)];
    const growth = first && last ? (last - first) / first : Number.NaN;
    growths.push({ name: memory.name, growth });
    const cpu = run.startCpuMs.get(memory.name);
    console.log(
      `  ${memory.name.padEnd(16)} ${(cpu === undefined ? "—" : `${cpu.toFixed(0)} ms`).padStart(9)} ` +
        `${mb(memory.rss).padStart(9)} ${mb(memory.pss).padStart(9)} ${mb(memory.private).padStart(8)}` +
        `${after.map((size) => mb(size).padStart(13)).join("")}   ${Number.isFinite(growth) ? `${(growth * 100).toFixed(1)}%` : "—"}`,
    );
  }
  const total = (field: "rss" | "pss" | "private") => run.idle.reduce((sum, memory) => sum + memory[field], 0);
  const totals = run.afterViews.map((sizes) => [...sizes.values()].reduce((sum, size) => sum + size, 0));
  console.log(
    `  ${"total".padEnd(16)} ${`${startCpu.toFixed(0)} ms`.padStart(9)} ${mb(total("rss")).padStart(9)} ` +
      `${mb(total("pss")).padStart(9)} ${mb(total("private")).padStart(8)}` +
      `${totals.map((size) => mb(size).padStart(13)).join("")}`,
  );
  // Every process maps the same Bun binary: its pages count in each one's RSS but exist once.
  const sharedOnce = Math.max(...run.idle.map((memory) => memory.rss - memory.private));
  console.log(
    `  memory the platform really takes: ${mb(total("private") + sharedOnce)} MB ` +
      `(private pages of all, plus the largest shared set once)`,
  );
  const worst = growths.filter((entry) => Number.isFinite(entry.growth)).sort((a, b) => b.growth - a.growth)[0];
  console.log(
    `  idle RSS of the whole platform: ${mb(total("rss"))} MB   target ≤ ${TARGETS.idleMb} MB   ` +
      verdict(megabytes(total("rss")) <= TARGETS.idleMb),
  );
  if (worst)
    console.log(
      `  largest growth between ${VIEW_MARKS[0]} and ${VIEW_MARKS.at(-1)} views: ${worst.name} ` +
        `${(worst.growth * 100).toFixed(1)}%   target ≤ 20%   ${verdict(worst.growth <= TARGETS.growth)}`,
    );
  return { healthy, idle: total("rss"), private: total("private") };
}

console.log(
  `bench footprint: ${STARTS} fresh start(s) each, views ${VIEW_MARKS.join(" and ")} through Nexus, ` +
    `${navigator.hardwareConcurrency} cores, load average ${loadAverage()} at the start`,
);
const runs = [...(values.against ? [await measure(values.against)] : []), await measure(REPO)];
const summaries = runs.map(report);
if (summaries.length === 2) {
  const [before, after] = summaries as [ReturnType<typeof report>, ReturnType<typeof report>];
  console.log(
    `\n${values.against} → this checkout: time to all healthy ${(before.healthy / 1000).toFixed(2)} → ` +
      `${(after.healthy / 1000).toFixed(2)} s, idle RSS ${mb(before.idle)} → ${mb(after.idle)} MB, ` +
      `private ${mb(before.private)} → ${mb(after.private)} MB`,
  );
}
console.log(`Load average: ${loadAverage()} at the end (1, 5, 15 minutes).`);
