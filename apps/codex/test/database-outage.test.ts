import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { REPO_ROOT } from "@hivematrix/lib/config";
import {
  postgresTestUrl,
  startPlatform,
  startTcpProxy,
  withPostgres,
  type TcpProxy,
  type TestPlatform,
} from "@hivematrix/lib/testing";

/**
 * Real processes against Postgres through a TCP proxy the test controls: the database goes
 * down, hangs, and is not there yet when an app starts. Every request is answered within the
 * timeouts (503 `database_unavailable` with Retry-After), /health says so, no process dies, and
 * everything works again once the database is back.
 */
const TIMEOUTS = { HIVEMATRIX_DB_CONNECT_TIMEOUT_SECONDS: "1", HIVEMATRIX_DB_STATEMENT_TIMEOUT_SECONDS: "2" };
// Statement timeout, the watchdog's grace and a reconnect: an answer must come well within this.
const ANSWER_WITHIN_MS = 6_000;

const pgUrl = postgresTestUrl();
const databases: { drop(): Promise<void> }[] = [];
const proxies: TcpProxy[] = [];
afterAll(async () => {
  for (const p of proxies) await p.close();
  for (const d of databases) await d.drop();
}, 60_000);

async function proxiedDatabase(prefix: string) {
  const pg = await withPostgres(prefix);
  databases.push(pg);
  const target = new URL(pg.url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  proxies.push(proxy);
  return { proxy, url: proxy.via(pg.url) };
}

async function until<T>(what: string, fn: () => Promise<T | null>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(200);
  }
}

async function timed(fn: () => Promise<Response>): Promise<{ res: Response; ms: number }> {
  const started = performance.now();
  const res = await fn();
  return { res, ms: performance.now() - started };
}

describe.skipIf(!pgUrl)("database outages on Postgres", () => {
  let platform: TestPlatform;
  let codexDb: { proxy: TcpProxy; url: string };
  let others: { proxy: TcpProxy; coreUrl: string; helmUrl: string };
  let codex: Subprocess;
  const output: string[] = [];
  let token: string;

  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${platform.urls.codex}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(body ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
  const health = (url: string) => fetch(`${url}/health`, { signal: AbortSignal.timeout(30_000) });
  const codexAlive = () => {
    expect(codex.exitCode).toBeNull();
    expect(output.join("")).not.toContain("uncaught error; exiting");
  };

  beforeAll(async () => {
    codexDb = await proxiedDatabase("hm_outage_codex");
    const core = await proxiedDatabase("hm_outage_core");
    const helm = await withPostgres("hm_outage_helm");
    databases.push(helm);
    // Core and Helm share one proxy (two databases behind it), Codex has its own.
    others = { proxy: core.proxy, coreUrl: core.url, helmUrl: core.proxy.via(helm.url) };
    platform = await startPlatform({
      apps: { codex: { start: false }, helm: { start: false, permission: "admin" } },
      env: { ...TIMEOUTS, CORE_DATABASE_URL: others.coreUrl, HELM_DATABASE_URL: others.helmUrl },
    });
    token = await platform.token("technician");
  }, 120_000);

  afterAll(async () => {
    codex?.kill("SIGKILL");
    await platform?.stop();
  }, 30_000);

  test("Codex started before its database listens, says `starting`, and migrates and serves once it answers", async () => {
    await codexDb.proxy.down();
    codex = Bun.spawn(["bun", join(REPO_ROOT, "apps/codex/src/main.ts")], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...platform.env, CODEX_DATABASE_URL: codexDb.url },
      stdout: "pipe",
      stderr: "pipe",
    });
    for (const stream of [codex.stdout, codex.stderr] as ReadableStream<Uint8Array>[])
      void (async () => {
        const reader = stream.getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read())
          output.push(new TextDecoder().decode(r.value));
      })();
    const starting = await until("Codex to listen", () => health(platform.urls.codex!));
    expect(starting.status).toBe(503);
    expect(starting.headers.get("retry-after")).toBeTruthy();
    expect(await starting.json()).toMatchObject({ status: "starting", database: { status: "starting" } });
    const early = await api("GET", "/api/companies");
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBeTruthy();
    expect((await early.json()).error.code).toBe("database_unavailable");
    expect(output.join("").match(/waiting for the database/g)).toHaveLength(1);

    await codexDb.proxy.up();
    await until("Codex to be healthy", async () => ((await health(platform.urls.codex!)).ok ? true : null), 60_000);
    const companies = await api("GET", "/api/companies?limit=5");
    expect(companies.status).toBe(200);
    expect((await companies.json()).items.length).toBeGreaterThan(0);
    codexAlive();
  }, 120_000);

  test("a database that goes down: 503 with Retry-After at once, /health 503, then recovery", async () => {
    await codexDb.proxy.down();
    const { res, ms } = await timed(() => api("GET", "/api/companies"));
    expect([res.status, (await res.json()).error.code]).toEqual([503, "database_unavailable"]);
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
    const down = await health(platform.urls.codex!);
    expect([down.status, (await down.json()).database.status]).toEqual([503, "unavailable"]);
    codexAlive();

    await codexDb.proxy.up();
    await until("Codex to answer again", async () => ((await api("GET", "/api/companies")).ok ? true : null));
    expect((await health(platform.urls.codex!)).status).toBe(200);
    codexAlive();
  }, 60_000);

  test("a database that hangs: every request answered 503 within the timeout; a retried write lands once", async () => {
    const ticket = await (await api("POST", "/api/tickets", { company: "ACME-001", subject: "Outage" })).json();
    codexDb.proxy.pause();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        timed(() =>
          i === 0
            ? api("POST", `/api/tickets/${ticket.id}/time-entries`, { minutes: 9 }, { "idempotency-key": "outage-1" })
            : api("GET", "/api/companies"),
        ),
      ),
    );
    for (const { res, ms } of answers) {
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBeTruthy();
      expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    const { res: hung, ms } = await timed(() => health(platform.urls.codex!));
    expect(hung.status).toBe(503);
    expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
    codexAlive();

    codexDb.proxy.resume();
    const retried = await until("the write to go through", async () => {
      const r = await api(
        "POST",
        `/api/tickets/${ticket.id}/time-entries`,
        { minutes: 9 },
        { "idempotency-key": "outage-1" },
      );
      return r.status === 201 ? r : null;
    });
    expect(retried.status).toBe(201);
    const after = await (await api("GET", `/api/tickets/${ticket.id}`)).json();
    expect(after.total_minutes).toBe(9);
    codexAlive();
  }, 90_000);

  test("Core's and Helm's /health report their database: 503 while it is down, 200 once it is back", async () => {
    await platform.start("helm", { HELM_DATABASE_URL: others.helmUrl });
    for (const url of [platform.urls.core!, platform.urls.helm!]) expect((await health(url)).status).toBe(200);
    await others.proxy.down();
    for (const url of [platform.urls.core!, platform.urls.helm!]) {
      const { res, ms } = await timed(() => health(url));
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBeTruthy();
      expect((await res.json()).database).toMatchObject({ engine: "postgres", status: "unavailable" });
      expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    await others.proxy.up();
    for (const url of [platform.urls.core!, platform.urls.helm!])
      await until(`${url} to be healthy`, async () => ((await health(url)).ok ? true : null));
    for (const name of ["core", "helm"]) expect(platform.processes.get(name)!.proc.exitCode).toBeNull();
  }, 90_000);
});
