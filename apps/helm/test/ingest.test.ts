import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import type { TestPlatform } from "@hivematrix/lib/testing";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { bearer, eventually, getLogs, line, serviceClient, startHelmPlatform } from "./harness.ts";

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

const ingest = (body: unknown, init: RequestInit = {}) =>
  probe.callService("helm", "/api/logs/ingest", {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });

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

describe("logs page and live tail", () => {
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

  test("the live tail streams a newly shipped line", async () => {
    const page = await fetch(`${platform.urls.helm}/logs/tail?service=probe`, { headers: bearer(admin) });
    const html = await page.text();
    assertClassesDefined(html, "live tail page");
    // The stream starts after the newest line the page shows (0 when it shows none).
    expect(html).toMatch(/data-stream="\/logs\/stream\?service=probe&amp;after_id=\d+"/);
    const script = await fetch(`${platform.urls.helm}/static/live-tail.js`);
    expect(await script.text()).not.toContain("innerHTML");

    const abort = new AbortController();
    const stream = await fetch(`${platform.urls.helm}/logs/stream?service=probe&level=WARNING`, {
      headers: bearer(admin),
      signal: abort.signal,
    });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const read = (async () => {
      while (!text.includes("tail me <b>now</b>")) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    })();
    await eventually(async () => text.includes("event: ready"), 10_000, "the stream to open");
    await ingest({ lines: [line("ignored: below the level"), { ...line("tail me <b>now</b>"), level: "WARNING" }] });
    await Promise.race([read, Bun.sleep(10_000)]);
    abort.abort();
    expect(text).toContain("event: log");
    expect(text).toContain("tail me <b>now</b>");
    expect(text).not.toContain("ignored: below the level");
  });

  test("a live tail that reconnects first gets the lines it missed, each once", async () => {
    const open = (headers: Record<string, string> = {}, query = "") => {
      const abort = new AbortController();
      const events: { id: string | null; event: string; data: string }[] = [];
      const done = (async () => {
        const res = await fetch(`${platform.urls.helm}/logs/stream?service=probe&q=resume-${query}`, {
          headers: bearer(admin, headers),
          signal: abort.signal,
        });
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (done) return;
          buffer += decoder.decode(value);
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const fields = Object.fromEntries(
              buffer
                .slice(0, end)
                .split("\n")
                .filter((l) => !l.startsWith(":"))
                .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]),
            );
            buffer = buffer.slice(end + 2);
            if (fields.event) events.push({ id: fields.id ?? null, event: fields.event, data: fields.data ?? "" });
          }
        }
      })();
      const messages = () =>
        events.filter((e) => e.event === "log").map((e) => (JSON.parse(e.data) as { message: string }).message);
      return {
        events,
        messages,
        close: async () => {
          abort.abort();
          await done;
        },
      };
    };

    const first = open();
    await eventually(async () => first.events.some((e) => e.event === "ready"), 10_000, "the stream to open");
    await ingest({ lines: [line("resume-1")] });
    await eventually(async () => first.messages().includes("resume-1"), 10_000, "the first line");
    const lastId = first.events.find((e) => e.event === "log")!.id!;
    expect(lastId).toMatch(/^\d+$/);
    await first.close();

    await ingest({ lines: [line("resume-2"), line("resume-3")] });
    // What EventSource sends when it reconnects on its own.
    const again = open({ "last-event-id": lastId });
    await eventually(async () => again.messages().includes("resume-3"), 10_000, "the missed lines");
    await ingest({ lines: [line("resume-4")] });
    await eventually(async () => again.messages().includes("resume-4"), 10_000, "a new line after the replay");
    await again.close();
    expect(again.messages()).toEqual(["resume-2", "resume-3", "resume-4"]);
    const ids = again.events.filter((e) => e.event === "log").map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(Number(ids[0])).toBeGreaterThan(Number(lastId));

    // The page's own starting point: everything after the line it showed.
    const fromPage = open({}, `&after_id=${lastId}`);
    await eventually(async () => fromPage.messages().length === 3, 10_000, "the replay from after_id");
    await fromPage.close();
    expect(fromPage.messages()).toEqual(["resume-2", "resume-3", "resume-4"]);

    const bad = await fetch(`${platform.urls.helm}/logs/stream?after_id=-5`, { headers: bearer(admin) });
    expect(bad.status).toBe(422);
  });

  test("a technician is refused Helm's pages and APIs", async () => {
    const tech = await platform.token("technician");
    for (const path of [
      "/services",
      "/logs",
      "/logs/tail",
      "/security",
      "/config",
      "/api/logs",
      "/api/services",
      "/api/security/audit",
      "/api/config",
      "/logs/stream",
    ]) {
      const res = await fetch(`${platform.urls.helm}${path}`, { headers: bearer(tech) });
      expect(`${path} ${res.status}`).toBe(`${path} 403`);
    }
    const control = await fetch(`${platform.urls.helm}/api/services/core/restart`, {
      method: "POST",
      headers: bearer(tech, { "content-type": "application/json" }),
      body: "{}",
    });
    expect(control.status).toBe(403);
  });
});

describe("services, security and configuration pages", () => {
  test("the services page lists every service with sparklines once scrapes come in", async () => {
    await eventually(
      async () => {
        const res = await fetch(`${platform.urls.helm}/api/services`, { headers: bearer(admin) });
        const body = (await res.json()) as { services: { name: string; metrics: unknown[] }[] };
        return body.services.find((s) => s.name === "core")!.metrics.length >= 2;
      },
      20_000,
      "two metric points for core",
    );
    const res = await fetch(`${platform.urls.helm}/services`, { headers: bearer(admin) });
    const html = await res.text();
    assertClassesDefined(html, "services page");
    for (const name of ["idp", "core", "helm", "probe"]) expect(html).toContain(`>${name}</span>`);
    expect(html).toContain("No supervisor");
    expect(html).toMatch(/<svg class="chart chart--sparkline"[^>]*aria-label="core requests per second/);
    expect(html).toContain(`127.0.0.1:${platform.ports.core}`);
  });

  test("the security page shows the audit and a firewall script", async () => {
    const res = await fetch(`${platform.urls.helm}/security?type=iptables`, { headers: bearer(admin) });
    const html = await res.text();
    assertClassesDefined(html, "security page");
    expect(html).toContain("The dev identity provider is in use");
    expect(html).toContain("iptables -A HIVEMATRIX -j DROP");
    const script = await fetch(`${platform.urls.helm}/security/firewall.sh?type=ufw`, { headers: bearer(admin) });
    expect(script.headers.get("content-disposition")).toContain("hivematrix-firewall-ufw.sh");
    expect(await script.text()).toContain(`ufw deny ${platform.ports.core}/tcp`);
  });

  test("the configuration page shows services.json and settings with secrets masked", async () => {
    const res = await fetch(`${platform.urls.helm}/config`, { headers: bearer(admin) });
    const html = await res.text();
    assertClassesDefined(html, "configuration page");
    expect(html).toContain("HELM_SCRAPE_INTERVAL_SECONDS");
    expect(html).toContain("service-core");
    const api = (await (await fetch(`${platform.urls.helm}/api/config`, { headers: bearer(admin) })).json()) as {
      secrets: { name: string }[];
    };
    expect(JSON.stringify(api)).not.toContain(
      await Bun.file(`${platform.home}/secrets/service-core.secret`)
        .text()
        .then((s) => s.trim()),
    );
    expect(api.secrets.map((s) => s.name)).toContain("service-helm");
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
