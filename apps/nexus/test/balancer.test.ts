import { afterEach, describe, expect, test } from "bun:test";
import type { Server } from "bun";
import type { ServiceEntry } from "@hivematrix/lib/config";
import { freePort } from "@hivematrix/lib/testing";
import { type BalancerSettings, ServicePool } from "../src/proxy/balancer.ts";
import { nexusInProcess } from "./in-process.ts";

const refused = () => Object.assign(new TypeError("ECONNREFUSED: Unable to connect"), { code: "ECONNREFUSED" });
const reset = () => Object.assign(new TypeError("ECONNRESET: socket closed"), { code: "ECONNRESET" });

const URLS = ["http://10.0.0.1:5010", "http://10.0.0.2:5010", "http://10.0.0.3:5010"];
const quiet = { warn() {}, info() {} };
const pools: ServicePool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.stop();
});

/** A pool whose instances' /health answers what `health` says for each URL. */
function poolOf(
  urls: string[],
  health: (url: string) => number | Error = () => 200,
  over: Partial<BalancerSettings> = {},
) {
  const probes: string[] = [];
  const pool = new ServicePool({ name: "codex", instanceUrls: urls } as ServiceEntry, {
    checkIntervalMs: 60_000,
    probeIntervalMs: 20,
    healthTimeoutMs: 500,
    logger: quiet,
    fetch: async (url) => {
      probes.push(url);
      const answer = health(url.replace(/\/health$/, ""));
      if (answer instanceof Error) throw answer;
      return new Response(null, { status: answer });
    },
    ...over,
  });
  pools.push(pool);
  return { pool, probes };
}

/** A send that fails for the instances in `failing` with the error it makes, and records every URL. */
function sender(failing: Record<string, () => Error> = {}) {
  const sent: { url: string; body: string | null }[] = [];
  const send = async (url: string, init: RequestInit) => {
    const body = init.body ? await new Response(init.body).text() : null;
    sent.push({ url, body });
    const base = URLS.find((u) => url.startsWith(u))!;
    const fail = failing[base];
    if (fail) throw fail();
    return new Response(`from ${base}`);
  };
  return { send, sent };
}

describe("the balancer", () => {
  test("sends each request to the instance with the fewest outstanding, in turn when tied", () => {
    const { pool } = poolOf(URLS);
    const [a, b, c] = pool.instances;
    const picked = [pool.pick(), pool.pick(), pool.pick(), pool.pick()].map((i) => i!.url);
    expect(new Set(picked.slice(0, 3))).toEqual(new Set(URLS));
    a!.outstanding = 3;
    b!.outstanding = 1;
    c!.outstanding = 2;
    for (let i = 0; i < 5; i++) expect(pool.pick()).toBe(b!);
    b!.out = true;
    expect(pool.pick()).toBe(c!);
  });

  test("a read whose connection fails is sent once more to another instance, and the failed one is taken out", async () => {
    const { pool } = poolOf(URLS.slice(0, 2), () => new Error("down"));
    const { send, sent } = sender({ [URLS[0]!]: reset });
    const first = pool.instances[0]!;
    const { res, instance } = await pool.send(
      first,
      send,
      `${URLS[0]}/api/companies?x=1`,
      { method: "GET" },
      undefined,
    );
    expect(await res.text()).toBe(`from ${URLS[1]}`);
    expect(instance.url).toBe(URLS[1]!);
    expect(sent.map((s) => s.url)).toEqual([`${URLS[0]}/api/companies?x=1`, `${URLS[1]}/api/companies?x=1`]);
    expect(first).toMatchObject({ out: true, ejections: 1, requests: 1, outstanding: 0 });
    // While it is out, every request goes to the other.
    for (let i = 0; i < 4; i++) expect(pool.pick()!.url).toBe(URLS[1]!);
  });

  test("a POST without an Idempotency-Key is never sent twice, not even when the connection was refused", async () => {
    for (const failure of [refused, reset]) {
      const { pool } = poolOf(URLS.slice(0, 2));
      const { send, sent } = sender({ [URLS[0]!]: failure });
      const body = JSON.stringify({ name: "Acme" });
      const attempt = pool.send(
        pool.instances[0]!,
        send,
        `${URLS[0]}/api/companies`,
        { method: "POST", body },
        undefined,
      );
      await expect(attempt).rejects.toMatchObject({ code: failure().code });
      expect(sent).toHaveLength(1);
      expect(pool.instances[0]!.out).toBe(true);
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const { pool } = poolOf(URLS.slice(0, 2));
      const { send, sent } = sender({ [URLS[0]!]: reset });
      await expect(pool.send(pool.instances[0]!, send, `${URLS[0]}/x`, { method }, undefined)).rejects.toThrow();
      expect(sent).toHaveLength(1);
    }
  });

  test("a write with an Idempotency-Key is sent again, with the same body, to another instance", async () => {
    const { pool } = poolOf(URLS.slice(0, 2));
    const { send, sent } = sender({ [URLS[0]!]: reset });
    const body = new Blob([JSON.stringify({ name: "Acme" })]).stream();
    const { res } = await pool.send(
      pool.instances[0]!,
      send,
      `${URLS[0]}/api/companies`,
      { method: "POST", body },
      "k-1",
    );
    expect(res.status).toBe(200);
    expect(sent).toEqual([
      { url: `${URLS[0]}/api/companies`, body: '{"name":"Acme"}' },
      { url: `${URLS[1]}/api/companies`, body: '{"name":"Acme"}' },
    ]);
  });

  test("a timeout is not retried (the deadline is spent), and the instance stays in", async () => {
    const { pool } = poolOf(URLS.slice(0, 2));
    const timeout = () => Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
    const { send, sent } = sender({ [URLS[0]!]: timeout });
    await expect(
      pool.send(pool.instances[0]!, send, `${URLS[0]}/slow`, { method: "GET" }, undefined),
    ).rejects.toThrow();
    expect(sent).toHaveLength(1);
    expect(pool.instances[0]!.out).toBe(false);
  });

  test("an instance out is probed until its /health answers 200, then takes requests again", async () => {
    let healthy = false;
    const { pool, probes } = poolOf(URLS.slice(0, 2), (url) => (url === URLS[0] && !healthy ? 503 : 200));
    const first = pool.instances[0]!;
    pool.eject(first, "test");
    await Bun.sleep(120);
    expect(first.out).toBe(true);
    expect(probes.filter((p) => p === `${URLS[0]}/health`).length).toBeGreaterThanOrEqual(2);
    healthy = true;
    await Bun.sleep(80);
    expect(first.out).toBe(false);
    expect(first.ejections).toBe(1);
    expect(new Set([pool.pick()!.url, pool.pick()!.url])).toEqual(new Set(URLS.slice(0, 2)));
  });

  test("the periodic check takes out an instance whose /health fails or does not answer", async () => {
    const { pool } = poolOf(URLS, (url) => (url === URLS[1] ? 500 : url === URLS[2] ? refused() : 200));
    await pool.check();
    expect(pool.instances.map((i) => i.out)).toEqual([false, true, true]);
  });

  test("with every instance out, requests are still tried rather than refused", () => {
    const { pool } = poolOf(URLS.slice(0, 2));
    for (const instance of pool.instances) instance.out = true;
    expect(pool.pick()).not.toBeNull();
    expect(pool.pick(pool.instances[0]!)).toBe(pool.instances[1]!);
  });
});

describe("Nexus in front of a service of two instances", () => {
  const servers: Server<undefined>[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.stop(true);
  });

  test("spreads requests over both, carries on when one goes away, and counts per instance in /metrics", async () => {
    const ports = [await freePort(), await freePort()];
    for (const [i, port] of ports.entries())
      servers.push(
        Bun.serve({
          hostname: "127.0.0.1",
          port,
          fetch: (req) =>
            new URL(req.url).pathname === "/health" ? new Response("ok") : Response.json({ instance: i + 1 }),
        }),
      );
    const urls = ports.map((port) => `http://127.0.0.1:${port}`);
    const { send, deps } = await nexusInProcess({ codex: { port: ports[0]!, urls } });
    const caller = "technician" as const;
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const res = await send(caller, "GET", "/codex/api/anything");
      expect(res.status).toBe(200);
      seen.add(((await res.json()) as { instance: number }).instance);
    }
    expect([...seen].sort()).toEqual([1, 2]);

    servers[0]!.stop(true);
    for (let i = 0; i < 6; i++) {
      const res = await send(caller, "GET", "/codex/api/anything");
      expect(res.status).toBe(200);
      expect(((await res.json()) as { instance: number }).instance).toBe(2);
    }
    const metrics = await deps.metrics.base.registry.metrics();
    expect(metrics).toContain(
      `nexus_upstream_instance_ejections_total{target="codex",instance="${urls[0]}",service="nexus"} 1`,
    );
    expect(metrics).toContain(`nexus_upstream_instance_up{target="codex",instance="${urls[0]}",service="nexus"} 0`);
    expect(metrics).toMatch(
      new RegExp(
        `nexus_upstream_instance_requests_total\\{target="codex",instance="${urls[1]}",service="nexus"\\} \\d+`,
      ),
    );
    deps.balancer.stop();
  });
});
