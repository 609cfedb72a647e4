import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { REPO_ROOT } from "@hivematrix/lib/config";
import type { TestPlatform } from "@hivematrix/lib/testing";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { bearer, getLogs, line, serviceClient, shipLines, startHelmPlatform } from "./harness.ts";

let platform: TestPlatform;
let admin: string;
let probe: ReturnType<typeof serviceClient>;

beforeAll(async () => {
  platform = await startHelmPlatform({ callers: ["probe", "other"] });
  admin = await platform.token("admin");
  probe = serviceClient(platform, "probe");
}, 90_000);

afterAll(async () => {
  await platform?.stop();
});

const ingest = (body: unknown, init?: RequestInit) => shipLines(probe, body, init);

describe("POST /api/logs/ingest", () => {
  test("stores a valid batch under the calling service's name, whatever the payload says", async () => {
    const res = await ingest({
      lines: [
        line("hello from probe", { request_id: "req-1", user: "alice", context: { service: "core", path: "/x" } }),
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ingested: 1 });
    const { logs } = await getLogs(platform, admin, { request_id: "req-1" });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      service: "probe",
      level: "INFO",
      message: "hello from probe",
      user: "alice",
      context: { service: "core", path: "/x" },
    });
  });

  test("refuses user tokens (even an admin's) and anonymous callers", async () => {
    const asAdmin = await fetch(`${platform.urls.helm}/api/logs/ingest`, {
      method: "POST",
      headers: bearer(admin, { "content-type": "application/json" }),
      body: JSON.stringify({ lines: [line("forged")] }),
    });
    expect(asAdmin.status).toBe(403);
    const anonymous = await fetch(`${platform.urls.helm}/api/logs/ingest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ lines: [line("forged")] }),
    });
    expect(anonymous.status).toBe(401);
    expect((await getLogs(platform, admin, { q: "forged" })).total).toBe(0);
  });

  test("bad payloads get a 4xx and store nothing, not even the valid lines beside them", async () => {
    const good = line("good line beside a bad one");
    const cases: [string, unknown, RequestInit?][] = [
      ["not JSON", "lines=1", { headers: { "content-type": "text/plain" } }],
      ["broken JSON", '{"lines": [', undefined],
      ["no lines", {}, undefined],
      ["empty batch", { lines: [] }, undefined],
      ["a service name in the payload", { service: "core", lines: [good] }, undefined],
      ["an unknown level", { lines: [good, { ...good, level: "LOUD" }] }, undefined],
      ["a missing message", { lines: [good, { timestamp: good.timestamp, level: "INFO" }] }, undefined],
      ["a bad timestamp", { lines: [good, { ...good, timestamp: "yesterday" }] }, undefined],
      ["a timestamp far in the future", { lines: [good, { ...good, timestamp: "2999-01-01T00:00:00Z" }] }, undefined],
      ["an unknown field", { lines: [good, { ...good, hostname: "x" }] }, undefined],
      ["a message too long", { lines: [good, { ...good, message: "x".repeat(10_001) }] }, undefined],
      ["a context too large", { lines: [good, { ...good, context: { blob: "x".repeat(17_000) } }] }, undefined],
      ["a context that is not an object", { lines: [good, { ...good, context: [1, 2] }] }, undefined],
      ["a bad request id", { lines: [good, { ...good, request_id: "<script>" }] }, undefined],
      ["too many lines", { lines: Array.from({ length: 5_001 }, () => good) }, undefined],
    ];
    for (const [what, body, init] of cases) {
      const res = await ingest(body, init);
      expect(res.status >= 400 && res.status < 500 ? what : `${what}: ${res.status}`).toBe(what);
      const err = (await res.json()) as { error: { code: string } };
      expect(typeof err.error.code).toBe("string");
    }
    expect((await getLogs(platform, admin, { q: "good line beside" })).total).toBe(0);
  });

  test("100,000 lines are ingested and queryable", async () => {
    const batches = 20;
    const size = 5_000;
    const started = performance.now();
    for (let b = 0; b < batches; b++) {
      const lines = Array.from({ length: size }, (_, i) => {
        const n = b * size + i;
        return {
          timestamp: new Date(Date.now() - 60_000 + n / 10).toISOString(),
          level: n % 100 === 0 ? "ERROR" : "INFO",
          message: `bulk line ${n}`,
          request_id: "bulk",
          user: `user-${n % 7}`,
        };
      });
      const res = await probe.callService("helm", "/api/logs/ingest", {
        method: "POST",
        body: JSON.stringify({ lines }),
      });
      expect(res.status).toBe(200);
    }
    const ingestMs = performance.now() - started;
    const q0 = performance.now();
    expect((await getLogs(platform, admin, { request_id: "bulk", limit: "1" })).total).toBe(100_000);
    const errors = await getLogs(platform, admin, { request_id: "bulk", level: "ERROR", limit: "5" });
    expect(errors.total).toBe(1_000);
    expect(errors.logs.every((l) => l.level === "ERROR")).toBe(true);
    const one = await getLogs(platform, admin, { q: "bulk line 99999" });
    expect(one.logs.map((l) => l.message)).toEqual(["bulk line 99999"]);
    expect((await getLogs(platform, admin, { request_id: "bulk", user: "user-3", limit: "1" })).total).toBe(
      Math.ceil((100_000 - 3) / 7),
    );
    const queryMs = performance.now() - q0;
    const perSecond = Math.round(100_000 / (ingestMs / 1000));
    console.log(
      `ingested 100,000 lines in ${Math.round(ingestMs)} ms (${perSecond} lines/s);` +
        ` 4 filtered queries in ${Math.round(queryMs)} ms`,
    );
  }, 180_000);

  test("pages through a filter newest first without repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 3; page++) {
      const res = await getLogs(platform, admin, {
        request_id: "bulk",
        limit: "50",
        ...(cursor ? { before: cursor } : {}),
      });
      seen.push(...res.logs.map((l) => l.message));
      cursor = res.older;
    }
    expect(seen).toHaveLength(150);
    expect(new Set(seen).size).toBe(150);
    expect(seen[0]).toBe("bulk line 99999");
    expect(seen[149]).toBe("bulk line 99850");
  });
});

describe("the logs page", () => {
  test("filters to ERROR and renders only design-system classes", async () => {
    const res = await fetch(`${platform.urls.helm}/logs?level=ERROR&request_id=bulk`, { headers: bearer(admin) });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    assertClassesDefined(html, "logs page");
    expect(html).toContain("1,000 matching lines");
    expect(html).toContain("log-line--error");
    expect(html).not.toContain("log-line--info");
  });

  test("a bad filter is shown next to its field, not as an error page", async () => {
    const res = await fetch(`${platform.urls.helm}/logs?from=last+tuesday`, { headers: bearer(admin) });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("field--invalid");
    expect(html).toContain("last tuesday");
  });
});

describe("bun run logs", () => {
  test("prints the last ERROR lines of one service from Helm's database", async () => {
    const proc = Bun.spawn(["bun", "apps/helm/src/cli/logs.ts", "probe", "--tail", "3", "--level", "ERROR"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...platform.env },
      stdout: "pipe",
      stderr: "pipe",
    });
    const out = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/ probe +ERROR +bulk line \d+/);
    expect(lines[2]).toContain("bulk line 99900");
  });

  test("--follow prints lines as they are stored", async () => {
    const proc = Bun.spawn(
      ["bun", "apps/helm/src/cli/logs.ts", "probe", "--tail", "1", "--follow", "--grep", "followed"],
      { cwd: REPO_ROOT, env: { ...process.env, ...platform.env }, stdout: "pipe", stderr: "pipe" },
    );
    const reader = proc.stdout.getReader();
    const decoder = new TextDecoder();
    let out = "";
    const read = (async () => {
      while (!out.includes("followed line two")) {
        const { done, value } = await reader.read();
        if (done) break;
        out += decoder.decode(value, { stream: true });
      }
    })();
    await ingest({ lines: [line("followed line one")] });
    // The CLI opens the database and then polls every second for lines after the newest it saw.
    await Bun.sleep(2_500);
    await ingest({ lines: [{ ...line("followed line two \u001b[2J"), level: "ERROR" }] });
    await Promise.race([read, Bun.sleep(15_000)]);
    proc.kill("SIGINT");
    await proc.exited;
    expect(out).toContain("followed line two \\x1b[2J");
    expect(out).not.toContain("\u001b[2J");
  }, 30_000);
});
