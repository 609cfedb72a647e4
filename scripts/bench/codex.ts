/**
 * `bun run bench codex [--engine sqlite|postgres] [--runs 200] [--db path-or-url]`
 *
 * Codex at the large scale: seeds 1,000 companies, 10,000 contacts, 100,000 assets and
 * 1,000,000 tickets (`bun run seed --scale large`) on SQLite or PostgreSQL (the server of
 * HIVEMATRIX_TEST_POSTGRES_URL, in a database of its own), then drives the app's own request
 * handler (routing, auth with real RS256 tokens, validation, queries, JSON) and reports:
 * list/filter/paginate p50/p95, search p95, a 10,000-asset bulk upsert, and every company's
 * bill for a month. Targets: list p95 ≤ 20 ms, search p95 ≤ 50 ms, upsert ≤ 2 s, bills ≤ 1 s.
 * The ticket board API, all active tickets and the 200 per section its page shows: ≤ 300 ms.
 * `--db` reuses an already seeded SQLite file or PostgreSQL database (seeded when empty).
 */
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import { createAuth } from "@hivematrix/lib/auth";
import { createCsrf } from "@hivematrix/lib/csrf";
import { createLogger } from "@hivematrix/lib/log";
import { tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { createCodexApp } from "@hivematrix/codex";
import { AttachmentStore, loadSettings, openCodexDb } from "@hivematrix/codex/deps";
import { type Engine, seededCodex } from "./_seeded-codex.ts";
import { loadAverage } from "./_wrk.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "200" },
    db: { type: "string" },
    engine: { type: "string", default: "sqlite" },
  },
  strict: true,
});
const RUNS = Number(values.runs);
if (values.engine !== "sqlite" && values.engine !== "postgres") {
  console.error("--engine must be sqlite or postgres");
  process.exit(2);
}

const seeded = await seededCodex(values.engine as Engine, "large", { at: values.db }, (line) => console.log(line));
const home = tempHome("hm-bench-codex-home-");
const servicesFile = writeServicesFile(home, { core: { port: 1, visible: false }, codex: { port: 2 } });
const env = { HIVEMATRIX_HOME: home, HIVEMATRIX_SERVICES: servicesFile, CODEX_DEMO_DATA: "false" };
const settings = loadSettings(env);
const config = { ...settings.config, databaseUrl: seeded.databaseUrl, sqlitePath: seeded.sqlitePath };
const db = await openCodexDb(config);
console.log(
  `codex bench: ${seeded.engine === "postgres" ? "PostgreSQL" : `SQLite at ${seeded.sqlitePath}`}, ` +
    `load average ${loadAverage()} at the start`,
);

// Real RS256 tokens checked by lib/auth; Core's session check is the one thing left out.
const { privateKey, publicKey } = await generateKeyPair("RS256");
const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "RS256" };
const auth = createAuth({
  audience: "codex",
  keys: createLocalJWKSet({ keys: [jwk] }),
  sessionCheck: async () => ({ valid: true }),
});
const app = createCodexApp({
  settings: { ...settings, config },
  config,
  db,
  logger: createLogger({ service: "codex", level: "error" }),
  logShipper: null,
  auth,
  csrf: createCsrf("bench"),
  ticketEvents: null,
  attachments: new AttachmentStore(settings.attachments),
});
const now = Math.floor(Date.now() / 1000);
const token = async (level: string, company?: string) =>
  new SignJWT({
    iss: "hivematrix.core",
    type: "user",
    sub: `bench-${level}`,
    jti: crypto.randomUUID(),
    name: level,
    email: `${level}@bench.example`,
    preferred_username: level,
    permission_level: level,
    groups: [],
    ...(company ? { company } : {}),
  })
    .setProtectedHeader({ alg: "RS256", kid: "bench" })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
const tech = await token("technician");
const client = await token("client", "ACME-001");

async function call(path: string, init: { method?: string; body?: unknown; as?: string } = {}) {
  const res = await app.fetch(
    new Request(`http://codex.bench${path}`, {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${init.as ?? tech}`,
        accept: "application/json",
        ...(init.body ? { "content-type": "application/json" } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    }),
  );
  const body = await res.text();
  if (!res.ok) throw new Error(`${path} → ${res.status}: ${body.slice(0, 300)}`);
  return JSON.parse(body) as Record<string, unknown>;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

// ACME-001 is company 1; the large scale numbers the rest CO-00002 … CO-01000.
const company = (i: number) => `CO-${String(2 + ((i * 101) % 999)).padStart(5, "0")}`;
const LISTS: [string, (i: number) => string][] = [
  ["tickets, newest", () => "/api/tickets?limit=50"],
  ["tickets of a company", (i) => `/api/tickets?company=${company(i)}&limit=50`],
  ["open tickets", () => "/api/tickets?open=true&limit=50"],
  ["tickets by status", (i) => `/api/tickets?status=${["pending", "on_hold", "closed", "resolved"][i % 4]}&limit=50`],
  [
    "tickets created in a window",
    (i) => `/api/tickets?sort=created_at&created_since=2026-0${1 + (i % 8)}-01T00:00:00Z&limit=50`,
  ],
  ["assets of a company", (i) => `/api/assets?company=${company(i)}&limit=50`],
  ["servers", () => "/api/assets?asset_type=server&limit=50"],
  ["companies by name", () => "/api/companies?limit=50"],
  ["contacts of a company", (i) => `/api/contacts?company=${company(i)}&limit=50`],
  ["client's tickets", () => "/api/tickets?limit=50"],
];

await call("/api/tickets?limit=5"); // warm up the statement caches
const listTimes: number[] = [];
const perList = new Map<string, number[]>();
for (let i = 0; i < RUNS; i++) {
  const [name, path] = LISTS[i % LISTS.length]!;
  const [ms] = await timed(() => call(path(i), name === "client's tickets" ? { as: client } : {}));
  listTimes.push(ms);
  (perList.get(name) ?? perList.set(name, []).get(name)!).push(ms);
}
// Deep pagination: follow next_cursor 20 pages into the newest tickets.
const pageTimes: number[] = [];
let cursor: string | null = null;
for (let i = 0; i < 20; i++) {
  const [ms, body] = await timed(() => call(`/api/tickets?limit=50${cursor ? `&cursor=${cursor}` : ""}`));
  pageTimes.push(ms);
  cursor = body.next_cursor as string | null;
}

const TERMS = [
  "printer",
  "outlook password",
  "vpn",
  "co-00042",
  "alder dental",
  "sn00012345",
  "ann archer",
  "server disk",
  "wi-fi conference",
  "backup failed",
  "teams audio",
  "firewall firmware",
  "quickbooks",
  "lopez",
  "acme",
];
const searchTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const [ms] = await timed(() => call(`/api/search?q=${encodeURIComponent(TERMS[i % TERMS.length]!)}&limit=10`));
  searchTimes.push(ms);
}

// 10,000 assets in one call: 5,000 new and 5,000 changes to existing ones (matched by hostname in their company).
const rows: Record<string, unknown>[] = [];
const stamp = Date.now().toString(36);
for (let i = 0; i < 5_000; i++)
  rows.push({
    company: company(i),
    hostname: `BENCH-${stamp}-${String(i).padStart(5, "0")}`,
    operating_system: "Windows 11 Pro",
    online: true,
    external_id: `bench-${stamp}-${i}`,
    external_source: "bench",
  });
for (let c = 0; rows.length < 10_000; c++) {
  const acct = company(c * 7 + 3);
  const list = (await call(`/api/assets?company=${acct}&sort=hostname&order=desc&limit=100`)).items as {
    hostname: string;
  }[];
  for (const a of list.filter((x) => !x.hostname.startsWith("BENCH-")))
    if (rows.length < 10_000)
      rows.push({ company: acct, hostname: a.hostname, patch_status: `Bench ${stamp}`, online: false });
}
const upsertRows = rows;
const [upsertMs, upsert] = await timed(() => call("/api/assets/bulk", { method: "POST", body: { rows: upsertRows } }));

const [billsMs, bills] = await timed(() =>
  call(`/api/billing?year=${new Date().getUTCFullYear()}&month=${new Date().getUTCMonth() + 1}`),
);
// The billing dashboard and the month's invoice ZIP go through the same one-pass bill computation.
const [dashboardMs] = await timed(() => call("/api/billing/dashboard"));
const [zipMs, zipBytes] = await timed(async () => {
  const res = await app.fetch(
    new Request(
      `http://codex.bench/api/billing/invoices.zip?year=${new Date().getUTCFullYear()}&month=${new Date().getUTCMonth() + 1}`,
      { headers: { authorization: `Bearer ${tech}` } },
    ),
  );
  if (!res.ok) throw new Error(`invoices.zip → ${res.status}`);
  return (await res.arrayBuffer()).byteLength;
});

// The ticket board classifies every active ticket (the large scale has tens of thousands; an MSP
// has hundreds); its page shows 200 per section, the API everything unless per_section cuts it.
const [boardMs, board] = await timed(() => call("/api/tickets/active"));
const [boardShownMs] = await timed(() => call("/api/tickets/active?per_section=200"));
const [boardPageMs] = await timed(async () => {
  const res = await app.fetch(
    new Request("http://codex.bench/tickets/board", {
      headers: { authorization: `Bearer ${tech}`, accept: "text/html" },
    }),
  );
  if (!res.ok) throw new Error(`/tickets/board → ${res.status}`);
  return (await res.text()).length;
});

const line = (label: string, value: string, target: string, ok: boolean) =>
  console.log(`${label.padEnd(44)} ${value.padStart(12)}   target ${target.padEnd(9)} ${ok ? "ok" : "MISSED"}`);
console.log(`\nlist/filter/paginate over ${RUNS} requests (${LISTS.length} kinds):`);
for (const [name, xs] of perList)
  console.log(
    `  ${name.padEnd(30)} p50 ${pct(xs, 50).toFixed(1).padStart(6)} ms   p95 ${pct(xs, 95).toFixed(1).padStart(6)} ms`,
  );
console.log("");
line("list p50", `${pct(listTimes, 50).toFixed(1)} ms`, "", true);
line("list p95", `${pct(listTimes, 95).toFixed(1)} ms`, "≤ 20 ms", pct(listTimes, 95) <= 20);
line("pagination, 20 pages deep, p95", `${pct(pageTimes, 95).toFixed(1)} ms`, "≤ 20 ms", pct(pageTimes, 95) <= 20);
line("search p50", `${pct(searchTimes, 50).toFixed(1)} ms`, "", true);
line("search p95", `${pct(searchTimes, 95).toFixed(1)} ms`, "≤ 50 ms", pct(searchTimes, 95) <= 50);
line(
  `bulk upsert of ${upsertRows.length} assets (${upsert.created} new, ${upsert.updated} changed)`,
  `${(upsertMs / 1000).toFixed(2)} s`,
  "≤ 2 s",
  upsertMs <= 2000,
);
line(
  `all bills for a month (${(bills.items as unknown[]).length} companies)`,
  `${(billsMs / 1000).toFixed(2)} s`,
  "≤ 1 s",
  billsMs <= 1000,
);
line("billing dashboard (the same bills)", `${(dashboardMs / 1000).toFixed(2)} s`, "≤ 1 s", dashboardMs <= 1000);
line("ticket board API, 200 per section", `${(boardShownMs / 1000).toFixed(2)} s`, "≤ 0.3 s", boardShownMs <= 300);
line(
  `ticket board API, all ${board.total_active} active tickets (${(JSON.stringify(board).length / 1e6).toFixed(0)} MB)`,
  `${(boardMs / 1000).toFixed(2)} s`,
  "≤ 0.3 s",
  boardMs <= 300,
);
line("ticket board page (200 per section)", `${(boardPageMs / 1000).toFixed(2)} s`, "", true);
line(`the month's invoices as a ZIP (${(zipBytes / 1024).toFixed(0)} KiB)`, `${(zipMs / 1000).toFixed(2)} s`, "", true);
console.log(
  `\nratios (target ÷ measured, ≥ 1 meets it): list ${(20 / pct(listTimes, 95)).toFixed(2)}, search ${(50 / pct(searchTimes, 95)).toFixed(2)}, upsert ${(2000 / upsertMs).toFixed(2)}, bills ${(1000 / billsMs).toFixed(2)}`,
);

console.log(`Load average: ${loadAverage()} at the end (1, 5, 15 minutes).`);
await db.close();
rmSync(home, { recursive: true, force: true });
await seeded.release();
