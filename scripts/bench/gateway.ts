/**
 * `bun run bench gateway [--duration 10] [--connections 10,400]`
 *
 * One backend (scripts/bench/_backend.ts), four ways in, measured side by side with wrk:
 *   direct  → the backend itself
 *   nexus   → through Nexus, signed in (session cookie for the page, bearer token for JSON),
 *             with global.css injected into the page
 *   nginx   → through Debian's nginx as a plain reverse proxy (keep-alive upstream)
 *   bun     → through the barest Bun proxy (scripts/bench/_bare-proxy.ts): the ceiling for any
 *             gateway written on Bun's HTTP server and fetch, Nexus included
 * for an HTML page and a JSON endpoint at each connection count, printing req/s, p50, p99,
 * errors and CPU time per request of the process(es) measured. Then Nexus again with a second
 * worker on its port (NEXUS_WORKERS=2), and Codex's companies page and JSON list through Nexus
 * with and without compression, and Nexus in front of a service of two instances (two backend
 * processes, balanced by least outstanding requests) beside the same service of one. Targets: Nexus ≥ 0.9× the bare Bun proxy's req/s, p99 at 400
 * connections ≤ 1.5× the bare proxy's, no errors. The load average is printed with the figures:
 * on a busy machine they mean little.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort, startPlatform, startProcess } from "@hivematrix/lib/testing";
import { benchCompression } from "./_compression.ts";
import { nginxBinary, startNginx } from "./_nginx.ts";
import { browserCookie } from "./_sign-in.ts";
import { fmt, loadAverage, withChildren, type WrkResult, wrk } from "./_wrk.ts";

const { values } = parseArgs({
  options: { duration: { type: "string", default: "10" }, connections: { type: "string", default: "10,400" } },
  strict: true,
});
const duration = Number(values.duration);
const connectionCounts = values.connections!.split(",").map(Number);

const nginxBin = nginxBinary();
if (!Bun.which("wrk") || !nginxBin) {
  console.error("bench gateway needs wrk and nginx: install them with\n  sudo apt-get install -y nginx wrk");
  process.exit(1);
}

const row = (name: string, c: number, target: string, r: WrkResult) =>
  `${name.padEnd(8)}  ${String(c).padStart(5)}  ${target.padEnd(9)} ${fmt(r.rps, 0).padStart(9)}  ${fmt(r.p50).padStart(8)} ${fmt(r.p99).padStart(8)}   ${String(r.errors).padStart(6)}  ${fmt(r.cpuUs, 0).padStart(10)}`;

const startLoad = loadAverage();
// wrk is one client sending far more than any person: the limits stay in the path, set out of its reach.
const nexusEnv = {
  NEXUS_RATE_LIMIT_PER_ADDRESS: "100000000",
  NEXUS_RATE_LIMIT_PER_SESSION: "100000000",
  // One of NEXUS_WORKERS on the port, as `bun run start` runs it; the second joins later.
  HIVEMATRIX_WORKER: "1",
};
const [backendPort, secondBackendPort] = [await freePort(), await freePort()];
const platform = await startPlatform({
  idp: true,
  apps: {
    bench: { title: "Bench", start: false, port: backendPort },
    // The same backend and a second copy of it, as one service of two instances.
    pair: {
      title: "Bench pair",
      start: false,
      urls: [backendPort, secondBackendPort].map((port) => `http://127.0.0.1:${port}`),
    },
    codex: { title: "Codex" },
    nexus: { title: "Nexus", visible: false, env: nexusEnv },
  },
});
const startBackend = (port: number) =>
  Bun.spawn(["bun", join(import.meta.dir, "_backend.ts"), String(port)], { stdout: "ignore", stderr: "inherit" });
const backend = startBackend(backendPort);
const secondBackend = startBackend(secondBackendPort);
const barePort = await freePort();
const bare = Bun.spawn(["bun", join(import.meta.dir, "_bare-proxy.ts"), String(barePort), String(backendPort)], {
  stdout: "ignore",
  stderr: "inherit",
});
const nginxPort = await freePort();
const nginx = startNginx(nginxBin, nginxPort, backendPort, join(platform.home, "nginx"));
let secondWorker: Awaited<ReturnType<typeof startProcess>> | null = null;
const stopAll = async () => {
  nginx.kill("SIGQUIT");
  backend.kill();
  secondBackend.kill();
  bare.kill();
  await Promise.all([nginx.exited, backend.exited, secondBackend.exited, bare.exited, secondWorker?.stop()]);
  await platform.stop();
};
process.on("SIGINT", () => void stopAll().then(() => process.exit(130)));

async function waitFor(url: string) {
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await Bun.sleep(100);
  }
  throw new Error(`${url} did not answer`);
}

async function stopSecondWorker() {
  await secondWorker?.stop();
  secondWorker = null;
}

/** Starts Nexus's second worker and waits until the port hands connections to both. */
async function startSecondWorker() {
  secondWorker = await startProcess({
    name: "nexus worker 2",
    entry: "apps/nexus/src/main.ts",
    env: { ...platform.env, ...nexusEnv, HIVEMATRIX_WORKER: "2" },
    url: platform.urls.nexus!,
  });
  for (let i = 0; i < 200; i++) {
    const health = await fetch(`${platform.urls.nexus}/health`, { keepalive: false });
    if (((await health.json()) as { worker?: number }).worker === 2) return secondWorker.proc.pid;
    await Bun.sleep(50);
  }
  throw new Error("Nexus's second worker never answered on the shared port");
}

try {
  const nexusPid = platform.processes.get("nexus")!.proc.pid;
  const direct = `http://127.0.0.1:${backendPort}`;
  const viaNexus = `${platform.urls.nexus}/bench`;
  await Promise.all([waitFor(`${direct}/health`), waitFor(`http://127.0.0.1:${nginxPort}/bench/health`)]);
  await waitFor(`http://127.0.0.1:${barePort}/bench/health`);
  const cookie = await browserCookie(platform.urls.nexus!);
  const token = await platform.token("technician");
  const page = await (await fetch(`${viaNexus}/page`, { headers: { cookie } })).text();
  if (!page.includes('<link rel="stylesheet" href="/static/global.'))
    throw new Error("Nexus did not inject global.css into the page");

  const endpoints: { name: string; path: string; headers: Record<string, string> }[] = [
    { name: "page", path: "/page", headers: { cookie, accept: "text/html" } },
    { name: "json", path: "/api/data", headers: { authorization: `Bearer ${token}`, accept: "application/json" } },
  ];
  // Every target gets the same request (the session cookie or token too), so all parse the same bytes.
  const targets = (path: string) => [
    { name: "direct", url: `${direct}${path}`, pids: [backend.pid] },
    { name: "nexus", url: `${viaNexus}${path}`, pids: [nexusPid] },
    { name: "nginx", url: `http://127.0.0.1:${nginxPort}/bench${path}`, pids: withChildren(nginx.pid) },
    { name: "bun", url: `http://127.0.0.1:${barePort}/bench${path}`, pids: [bare.pid] },
  ];

  console.log(
    `bench gateway: ${duration} s per run, wrk -t2, connections ${connectionCounts.join(" and ")}, ` +
      `${navigator.hardwareConcurrency} cores, load average ${startLoad} at the start`,
  );
  for (const e of endpoints) for (const t of targets(e.path)) await wrk(t.url, 10, 2, e.headers);

  const header = "endpoint  conns  target        req/s    p50 ms   p99 ms   errors  cpu µs/req";
  console.log(`\n${header}`);
  const verdicts: string[] = [];
  const oneWorker = new Map<string, WrkResult>();
  for (const e of endpoints) {
    for (const c of connectionCounts) {
      const r: Record<string, WrkResult> = {};
      for (const t of targets(e.path)) {
        r[t.name] = await wrk(t.url, c, duration, e.headers, t.pids);
        console.log(row(e.name, c, t.name, r[t.name]!));
      }
      const { nexus, bun, nginx: viaNginx } = r as Record<string, WrkResult>;
      oneWorker.set(`${e.name}@${c}`, nexus!);
      const vsBare = nexus!.rps / bun!.rps;
      const p99Ratio = nexus!.p99 / bun!.p99;
      const summary =
        `${e.name} @${c}: Nexus/bare Bun ${fmt(vsBare)}× req/s, p99 ${fmt(nexus!.p99)} / ${fmt(bun!.p99)} ms ` +
        `(${fmt(p99Ratio)}×); Nexus/nginx ${fmt(nexus!.rps / viaNginx!.rps)}×, bare Bun/nginx ` +
        `${fmt(bun!.rps / viaNginx!.rps)}×; Nexus errors ${nexus!.errors}`;
      console.log(`  → ${summary}`);
      const misses = [
        vsBare < 0.9 && "req/s below 0.9× the bare proxy",
        c >= 400 && p99Ratio > 1.5 && "p99 over 1.5× the bare proxy's",
        nexus!.errors > 0 && "errors",
      ].filter(Boolean);
      verdicts.push(`${misses.length ? "MISS" : "ok  "} ${summary}${misses.length ? ` (${misses.join(", ")})` : ""}`);
    }
  }

  const worker2 = await startSecondWorker();
  console.log(
    `\nNexus with 2 workers on its port (NEXUS_WORKERS=2; wrk, the backend and both share ${navigator.hardwareConcurrency} cores)`,
  );
  console.log("endpoint  conns  1 worker req/s  2 workers req/s  ratio   cpu µs/req 1 → 2   p99 ms 1 → 2   errors");
  for (const e of endpoints) {
    for (const c of connectionCounts) {
      const one = oneWorker.get(`${e.name}@${c}`)!;
      const two = await wrk(`${viaNexus}${e.path}`, c, duration, e.headers, [nexusPid, worker2]);
      console.log(
        `${e.name.padEnd(8)}  ${String(c).padStart(5)}  ${fmt(one.rps, 0).padStart(14)}  ${fmt(two.rps, 0).padStart(15)}  ` +
          `${fmt(two.rps / one.rps).padStart(5)}   ${fmt(one.cpuUs, 0).padStart(6)} → ${fmt(two.cpuUs, 0).padEnd(6)}` +
          `   ${fmt(one.p99)} → ${fmt(two.p99)}   ${two.errors}`,
      );
    }
  }
  await stopSecondWorker();

  await waitFor(`http://127.0.0.1:${secondBackendPort}/health`);
  console.log("\nNexus (one worker) in front of a service of two instances: two backend processes, one CPU pool");
  console.log("endpoint  conns  1 instance req/s  2 instances req/s   cpu µs/req 1 → 2   p99 ms 1 → 2   errors");
  for (const e of endpoints) {
    for (const c of connectionCounts) {
      const one = oneWorker.get(`${e.name}@${c}`)!;
      const two = await wrk(`${platform.urls.nexus}/pair${e.path}`, c, duration, e.headers, [nexusPid]);
      console.log(
        `${e.name.padEnd(8)}  ${String(c).padStart(5)}  ${fmt(one.rps, 0).padStart(16)}  ${fmt(two.rps, 0).padStart(17)}` +
          `   ${fmt(one.cpuUs, 0).padStart(6)} → ${fmt(two.cpuUs, 0).padEnd(6)}   ${fmt(one.p99)} → ${fmt(two.p99)}` +
          `   ${two.errors}`,
      );
    }
  }

  const codex = `${platform.urls.nexus}/codex`;
  await benchCompression(
    [
      { name: "Codex companies page", url: `${codex}/companies`, headers: { cookie, accept: "text/html" } },
      { name: "Codex companies JSON", url: `${codex}/api/companies`, headers: { authorization: `Bearer ${token}` } },
    ],
    Math.max(2, Math.round(duration / 2)),
    [nexusPid],
  );

  console.log("\nTargets (Nexus ≥ 0.9× the bare Bun proxy's req/s, p99 at 400 ≤ 1.5× its p99, 0 errors):");
  for (const v of verdicts) console.log(`  ${v}`);
  console.log(`Load average: ${startLoad} at the start, ${loadAverage()} at the end (1, 5, 15 minutes).`);
} finally {
  await stopAll();
}
