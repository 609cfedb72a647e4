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
 * for an HTML page and a JSON endpoint at each connection count. Prints req/s, p50, p99 and
 * errors, then Nexus/direct, Nexus/nginx and bun/nginx. Targets: Nexus ≥ nginx in req/s,
 * ≤ 1 ms added p50, no errors at 400 connections.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CookieJar, follow, freePort, startPlatform, submitLogin } from "@hivematrix/lib/testing";

const { values } = parseArgs({
  options: { duration: { type: "string", default: "10" }, connections: { type: "string", default: "10,400" } },
  strict: true,
});
const duration = Number(values.duration);
const connectionCounts = values.connections!.split(",").map(Number);

const missing = ["wrk", "nginx"].filter(
  (tool) => !Bun.which(tool) && !Bun.which(tool, { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" }),
);
if (missing.length) {
  console.error(`bench gateway needs ${missing.join(" and ")}: install them with\n  sudo apt-get install -y nginx wrk`);
  process.exit(1);
}
const nginxBin = Bun.which("nginx") ?? Bun.which("nginx", { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" })!;

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

function ms(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
}

async function wrk(
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string>,
): Promise<Result> {
  const args = ["wrk", "-t2", `-c${connections}`, `-d${seconds}s`, "--latency", "--timeout", "10s"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const proc = Bun.spawn([...args, url], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error(`wrk failed: ${await new Response(proc.stderr).text()}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: ms(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ""),
    p99: ms(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ""),
    errors: non2xx + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
  };
}

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

function startNginx(port: number, backendPort: number, dir: string) {
  mkdirSync(join(dir, "logs"), { recursive: true });
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream backend { server 127.0.0.1:${backendPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location /bench/ {
      proxy_pass http://backend/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Prefix /bench;
    }
  }
}
`,
  );
  return Bun.spawn([nginxBin, "-p", dir, "-c", conf, "-g", "daemon off;"], { stdout: "inherit", stderr: "inherit" });
}

/** Signs in through Nexus and the dev IdP like a browser, returning the session cookie header. */
async function browserCookie(nexus: string): Promise<string> {
  const jar = new CookieJar();
  const login = await follow(jar, `${nexus}/`, { headers: { accept: "text/html" } });
  const submitted = await submitLogin(jar, login.url, await login.res.text(), "tech", "tech");
  await follow(jar, new URL(submitted.headers.get("location")!, login.url).toString());
  const cookie = jar.get(nexus, "hm_session");
  if (!cookie) throw new Error("signing in through Nexus did not give a session cookie");
  return `hm_session=${cookie}`;
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

const platform = await startPlatform({
  idp: true,
  apps: {
    bench: { title: "Bench", start: false },
    // wrk is one client sending far more than any person: the limits stay in the path, set out of its reach.
    nexus: {
      title: "Nexus",
      visible: false,
      env: { NEXUS_RATE_LIMIT_PER_ADDRESS: "100000000", NEXUS_RATE_LIMIT_PER_SESSION: "100000000" },
    },
  },
});
const backendPort = platform.ports.bench!;
const backend = Bun.spawn(["bun", join(import.meta.dir, "_backend.ts"), String(backendPort)], {
  stdout: "ignore",
  stderr: "inherit",
});
const barePort = await freePort();
const bare = Bun.spawn(["bun", join(import.meta.dir, "_bare-proxy.ts"), String(barePort), String(backendPort)], {
  stdout: "ignore",
  stderr: "inherit",
});
const nginxPort = await freePort();
const nginxDir = join(platform.home, "nginx");
const nginx = startNginx(nginxPort, backendPort, nginxDir);
const stopAll = async () => {
  nginx.kill("SIGQUIT");
  backend.kill();
  bare.kill();
  await Promise.all([nginx.exited, backend.exited, bare.exited]);
  await platform.stop();
};
process.on("SIGINT", () => void stopAll().then(() => process.exit(130)));

try {
  const direct = `http://127.0.0.1:${backendPort}`;
  const viaNginx = `http://127.0.0.1:${nginxPort}/bench`;
  const viaNexus = `${platform.urls.nexus}/bench`;
  const viaBare = `http://127.0.0.1:${barePort}/bench`;
  await Promise.all([waitFor(`${direct}/health`), waitFor(`${viaNginx}/health`), waitFor(`${viaBare}/health`)]);
  const cookie = await browserCookie(platform.urls.nexus!);
  const token = await platform.token("technician");

  const page = await (await fetch(`${viaNexus}/page`, { headers: { cookie } })).text();
  if (!page.includes('<link rel="stylesheet" href="/static/global.'))
    throw new Error("Nexus did not inject global.css into the page");

  const endpoints: { name: string; path: string; nexusHeaders: Record<string, string> }[] = [
    { name: "page", path: "/page", nexusHeaders: { cookie, accept: "text/html" } },
    { name: "json", path: "/api/data", nexusHeaders: { authorization: `Bearer ${token}`, accept: "application/json" } },
  ];
  // Every target gets the same request (the session cookie or token too), so all parse the same bytes.
  const targets = (e: (typeof endpoints)[number]) => [
    { name: "direct", url: `${direct}${e.path}`, headers: e.nexusHeaders },
    { name: "nexus", url: `${viaNexus}${e.path}`, headers: e.nexusHeaders },
    { name: "nginx", url: `${viaNginx}${e.path}`, headers: e.nexusHeaders },
    { name: "bun", url: `${viaBare}${e.path}`, headers: e.nexusHeaders },
  ];

  console.log(
    `bench gateway: ${duration} s per run, wrk -t2, connections ${connectionCounts.join(" and ")}, ${navigator.hardwareConcurrency} cores`,
  );
  for (const e of endpoints) for (const t of targets(e)) await wrk(t.url, 10, 2, t.headers);

  const rows: string[] = [];
  const verdicts: string[] = [];
  const header = "endpoint  conns  target      req/s     p50 ms   p99 ms   errors";
  console.log(`\n${header}`);
  for (const e of endpoints) {
    for (const c of connectionCounts) {
      const r: Record<string, Result> = {};
      for (const t of targets(e)) {
        r[t.name] = await wrk(t.url, c, duration, t.headers);
        const line = `${e.name.padEnd(8)}  ${String(c).padStart(5)}  ${t.name.padEnd(7)} ${fmt(r[t.name]!.rps, 0).padStart(9)}  ${fmt(r[t.name]!.p50).padStart(8)} ${fmt(r[t.name]!.p99).padStart(8)}   ${r[t.name]!.errors}`;
        console.log(line);
        rows.push(line);
      }
      const n = r.nexus!;
      const vsDirect = n.rps / r.direct!.rps;
      const vsNginx = n.rps / r.nginx!.rps;
      const addedP50 = n.p50 - r.direct!.p50;
      const summary = `${e.name} @${c}: Nexus/direct ${fmt(vsDirect)}x req/s, Nexus/nginx ${fmt(vsNginx)}x req/s (bare Bun proxy/nginx ${fmt(r.bun!.rps / r.nginx!.rps)}x), added p50 ${fmt(addedP50)} ms (nginx adds ${fmt(r.nginx!.p50 - r.direct!.p50)} ms), Nexus errors ${n.errors}`;
      console.log(`  → ${summary}`);
      const misses = [
        vsNginx < 1 && "req/s below nginx",
        addedP50 > 1 && "added p50 over 1 ms",
        c >= 400 && n.errors > 0 && "errors at 400 connections",
      ].filter(Boolean);
      verdicts.push(`${misses.length ? "MISS" : "ok  "} ${summary}${misses.length ? ` (${misses.join(", ")})` : ""}`);
    }
  }
  console.log("\nTargets (Nexus ≥ nginx req/s, ≤ 1 ms added p50, 0 errors at 400 connections):");
  for (const v of verdicts) console.log(`  ${v}`);
} finally {
  await stopAll();
}
