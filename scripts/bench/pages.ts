/**
 * `bun run bench pages [--engine sqlite|postgres|sqlite,postgres] [--scale small|large] [--runs 20] [--reuse] [--all]`
 *
 * Every page and API read of every app at MSP scale, over HTTP through Nexus with a real session:
 * seeds Codex at the scale (small: the demo MSP; large: 1,000 companies, 10,000 contacts,
 * 100,000 assets, 1,000,000 tickets), starts the platform as `bun run start` does with every app
 * on the engine, signs in as the dev admin, gives one ticket a 200-row conversation, then finds
 * the pages by following links from the home page (a few URLs of each kind) and the API reads in
 * each app's OpenAPI document, and times each kind --runs times. Prints the worst 10 by p95 (--all: every kind), every
 * miss, and ok/MISS per target: page p95 ≤ 50 ms, API p95 ≤ 20 ms, except the reads with targets
 * of their own (below). --reuse keeps the seeded Codex database for the next run (a fixed file in
 * the temp folder, or the database hm_bench_codex_<scale>); Postgres is HIVEMATRIX_TEST_POSTGRES_URL's server.
 */
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { withPostgres } from "@hivematrix/lib/testing";
import { discoverApis, discoverPages, type Target } from "./_discover.ts";
import { type Engine, seededCodex } from "./_seeded-codex.ts";
import { browserCookie } from "./_sign-in.ts";
import { startLikeBunRunStart } from "./_start.ts";
import { loadAverage } from "./_wrk.ts";

const USAGE =
  "usage: bun run bench pages [--engine sqlite|postgres|sqlite,postgres] [--scale small|large] [--runs N] [--reuse] [--all]";
const { values } = parseArgs({
  options: {
    engine: { type: "string", default: "sqlite" },
    scale: { type: "string", default: "large" },
    runs: { type: "string", default: "20" },
    reuse: { type: "boolean", default: false },
    all: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
  strict: true,
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const engines = values.engine!.split(",") as Engine[];
if (
  engines.some((engine) => engine !== "sqlite" && engine !== "postgres") ||
  !["small", "large"].includes(values.scale!) ||
  !(Number(values.runs) >= 1)
) {
  console.error(USAGE);
  process.exit(2);
}
const seedScale = values.scale === "small" ? "demo" : "large";
const RUNS = Number(values.runs);
const PAGE_MS = 50;
const API_MS = 20;

/**
 * Reads whose work grows with the whole MSP, with the targets `bench codex` sets for them: the
 * board classifies every active ticket (all of them when per_section is left out), bills are
 * computed for every company, search ranks across every table.
 */
const OWN_TARGETS: [RegExp, number, string][] = [
  [/^\/codex\/api\/tickets\/active$/, 300, "the ticket board"],
  [/^\/codex\/api\/billing(\/dashboard)?$/, 1000, "every company's bill"],
  [/^\/codex\/api\/search$/, 50, "search"],
];

interface Timing {
  target: Target;
  p50: number;
  p95: number;
  bytes: number;
  limit: number;
  errors: string[];
}

const percentile = (times: number[], p: number) =>
  [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? Number.NaN;

function limitOf(target: Target): number {
  const own = OWN_TARGETS.find(([pattern]) => pattern.test(target.kind.split("?")[0]!));
  return own ? own[1] : target.api ? API_MS : PAGE_MS;
}

async function time(nexus: string, cookie: string, target: Target): Promise<Timing> {
  const headers = { cookie, accept: target.api ? "application/json" : "text/html" };
  const times: number[] = [];
  const errors: string[] = [];
  let bytes = 0;
  // One request per URL first: the first use of a statement or a module is not what people wait for.
  for (let run = -target.urls.length; run < RUNS; run++) {
    const url = target.urls[(run + target.urls.length) % target.urls.length]!;
    const started = performance.now();
    const res = await fetch(`${nexus}${url}`, { headers });
    const body = await res.arrayBuffer();
    const ms = performance.now() - started;
    if (res.status !== 200) errors.push(`${url} → ${res.status}`);
    else if (run >= 0) {
      times.push(ms);
      bytes = body.byteLength;
    }
  }
  return { target, p50: percentile(times, 50), p95: percentile(times, 95), bytes, limit: limitOf(target), errors };
}

/** Gives the company's newest ticket a conversation of 200 rows (replies and notes), through the API. */
async function conversationTicket(nexus: string, cookie: string, account: string): Promise<string> {
  const headers = { cookie, accept: "application/json", "content-type": "application/json", origin: nexus };
  const list = await fetch(`${nexus}/codex/api/tickets?company=${account}&limit=1`, { headers });
  const [ticket] = ((await list.json()) as { items: { id: number }[] }).items;
  if (!ticket) throw new Error(`${account} has no tickets`);
  const detail = (await (await fetch(`${nexus}/codex/api/tickets/${ticket.id}`, { headers })).json()) as {
    conversation?: unknown[];
  };
  for (let entry = detail.conversation?.length ?? 0; entry < 200; entry++) {
    const kind = entry % 3 === 0 ? "notes" : "replies";
    const res = await fetch(`${nexus}/codex/api/tickets/${ticket.id}/${kind}`, {
      method: "POST",
      headers,
      body: JSON.stringify({ body: `Bench conversation row ${entry + 1}: checked the printer queue and the spooler.` }),
    });
    if (res.status !== 201) throw new Error(`adding a conversation row answered ${res.status}: ${await res.text()}`);
  }
  return String(ticket.id);
}

const APP_DATABASES = ["core", "helm", "brainhair", "dev_idp"];

async function benchEngine(engine: Engine): Promise<Timing[]> {
  const codex = await seededCodex(engine, seedScale, { reuse: values.reuse! }, (line) => console.log(line));
  const others = engine === "postgres" ? await Promise.all(APP_DATABASES.map(() => withPostgres("hm_bench"))) : [];
  const env: Record<string, string> = {
    CODEX_DEMO_DATA: "false",
    NEXUS_RATE_LIMIT_PER_ADDRESS: "100000000",
    NEXUS_RATE_LIMIT_PER_SESSION: "100000000",
    ...(codex.databaseUrl ? { CODEX_DATABASE_URL: codex.databaseUrl } : {}),
    ...Object.fromEntries(APP_DATABASES.map((app, i) => [`${app.toUpperCase()}_DATABASE_URL`, others[i]?.url ?? ""])),
  };
  for (const [name, url] of Object.entries(env)) if (url === "") delete env[name];
  const platform = await startLikeBunRunStart({
    env,
    beforeStart: (home) => {
      if (codex.databaseUrl) return;
      mkdirSync(join(home, "data"), { recursive: true });
      symlinkSync(codex.sqlitePath, join(home, "data", "codex.db"));
    },
  });
  try {
    await platform.ready(600_000);
    const nexus = platform.nexusUrl;
    const cookie = await browserCookie(nexus, "admin");
    const account = seedScale === "large" ? "CO-00002" : "ACME-001";
    const ticket = await conversationTicket(nexus, cookie, account);
    const extra = [
      `/codex/companies/${account}`,
      `/codex/tickets/${ticket}`,
      "/codex/tickets?open=true",
      `/codex/tickets?company=${account}`,
      "/codex/tickets?status=pending",
      "/codex/search?q=printer",
      "/codex/tickets/board",
      "/codex/billing",
      "/helm/services",
      "/helm/logs",
    ];
    const pages = await discoverPages(nexus, cookie, { samples: 3, maxKinds: 150, extra });
    const now = new Date();
    const apis = await discoverApis(nexus, cookie, ["codex", "helm", "core", "brainhair", "nexus"], {
      acct: account,
      ticket,
      q: "printer",
      year: String(now.getUTCFullYear()),
      month: String(now.getUTCMonth() + 1),
    });
    apis.targets.push({
      kind: "/codex/api/tickets/active?per_section",
      api: true,
      urls: ["/codex/api/tickets/active?per_section=200"],
    });
    console.log(
      `${engine}: ${pages.length} kinds of page, ${apis.targets.length} API reads ` +
        `(${apis.skipped.length} with path parameters left out: ${apis.skipped.join(", ")}); ${RUNS} requests each`,
    );
    const timings: Timing[] = [];
    for (const target of [...pages, ...apis.targets]) timings.push(await time(nexus, cookie, target));
    return timings;
  } finally {
    await platform.stop();
    await Promise.all(others.map((database) => database.drop()));
    await codex.release();
  }
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "—");
const row = (timing: Timing) =>
  `  ${timing.target.kind.slice(0, 58).padEnd(58)} ${(timing.target.api ? "API" : "page").padEnd(5)}` +
  `${ms(timing.p50).padStart(9)}${ms(timing.p95).padStart(9)}   ≤ ${String(timing.limit).padEnd(5)}` +
  `${(timing.bytes / 1024).toFixed(0).padStart(7)} KiB   ${timing.p95 <= timing.limit && !timing.errors.length ? "ok" : "MISS"}`;

console.log(
  `bench pages: ${engines.join(" and ")}, ${values.scale} scale, ${navigator.hardwareConcurrency} cores, ` +
    `load average ${loadAverage()} at the start`,
);
for (const engine of engines) {
  const all = await benchEngine(engine);
  // What the admin may not read, or what needs an integration set up first, answers 4xx every time.
  const refused = all.filter((timing) => !Number.isFinite(timing.p95));
  const timings = all.filter((timing) => Number.isFinite(timing.p95)).sort((a, b) => b.p95 - a.p95);
  const misses = timings.filter((timing) => timing.p95 > timing.limit || timing.errors.length);
  const shown = values.all ? timings : timings.slice(0, 10);
  const header = `  ${"kind".padEnd(58)} ${"".padEnd(5)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}   target   size`;
  console.log(`\n${engine}, the ${shown.length} slowest by p95:\n${header}`);
  for (const timing of shown) console.log(row(timing));
  const rest = misses.filter((timing) => !shown.includes(timing));
  if (rest.length) console.log(`  … and these misses:\n${rest.map(row).join("\n")}`);
  for (const timing of timings) for (const error of timing.errors.slice(0, 3)) console.log(`  error: ${error}`);
  if (refused.length)
    console.log(`  not timed (refused every time): ${refused.map((timing) => timing.errors[0]).join(", ")}`);
  const count = (api: boolean) => timings.filter((timing) => timing.target.api === api);
  const ok = (api: boolean) => count(api).filter((timing) => !misses.includes(timing)).length;
  console.log(
    `${engine}: pages ${ok(false)}/${count(false).length} ok (p95 ≤ ${PAGE_MS} ms), ` +
      `API reads ${ok(true)}/${count(true).length} ok (p95 ≤ ${API_MS} ms or their own ` +
      `target: ${OWN_TARGETS.map(([, limit, what]) => `${what} ${limit} ms`).join(", ")}); ` +
      `${misses.length ? `${misses.length} MISS` : "all ok"}`,
  );
}
console.log(`Load average: ${loadAverage()} at the end (1, 5, 15 minutes).`);
