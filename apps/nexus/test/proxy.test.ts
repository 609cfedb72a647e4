import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Server } from "bun";
import { CookieJar, follow } from "@hivematrix/lib/testing";
import { startBackend, type UploadReport } from "./backend.ts";
import { NAVIGATE, rssOf, startNexusPlatform } from "./helpers.ts";

// Starting real processes (and a browser) can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

let platform: Awaited<ReturnType<typeof startNexusPlatform>>;
let backend: Server<{ protocol: string }>;
let adminTool: Server<{ protocol: string }>;
let tech: string;
let admin: string;
const MB = 1024 * 1024;

beforeAll(async () => {
  platform = await startNexusPlatform(
    {
      echo: { title: "Echo", start: false, publicPaths: ["/hooks/"] },
      admintool: { title: "Admin tool", start: false, permission: "admin" },
      down: { title: "Down", start: false },
    },
    // The load test sends 2,000 requests at once from one session: limits are tested in rate-limits.test.ts.
    {
      NEXUS_UPSTREAM_TIMEOUT_SECONDS: "1",
      LOG_LEVEL: "debug",
      NEXUS_RATE_LIMIT_PER_ADDRESS: "100000",
      NEXUS_RATE_LIMIT_PER_SESSION: "100000",
    },
  );
  backend = startBackend(platform.ports.echo!);
  adminTool = startBackend(platform.ports.admintool!);
  [tech, admin] = await Promise.all([platform.token("technician"), platform.token("admin")]);
});
afterAll(async () => {
  backend?.stop(true);
  adminTool?.stop(true);
  await platform?.stop();
});

const bearer = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });
const headersSeen = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${platform.nexus}${path}`, init);
  expect(res.status).toBe(200);
  return (await res.json()) as { path: string; search: string; headers: Record<string, string> };
};

describe("routing and forwarded headers", () => {
  test("strips the service prefix, keeps the query, and tells the app where it is mounted", async () => {
    const seen = await headersSeen("/echo/headers?a=1&b=two", {
      headers: bearer(tech, { "x-forwarded-for": "6.6.6.6", "x-forwarded-prefix": "/evil" }),
    });
    expect(seen.path).toBe("/headers");
    expect(seen.search).toBe("?a=1&b=two");
    expect(seen.headers["x-forwarded-prefix"]).toBe("/echo");
    expect(seen.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen.headers["x-forwarded-proto"]).toBe("http");
    expect(seen.headers["x-forwarded-host"]).toBe(new URL(platform.nexus).host);
    expect(seen.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.headers.authorization).toBe(`Bearer ${tech}`);
    expect(seen.headers["accept-encoding"]).toBe("identity");
  });

  test("never forwards the browser's cookies to an app", async () => {
    const seen = await headersSeen("/echo/headers", {
      headers: bearer(tech, { cookie: "hm_session=secret; other=1" }),
    });
    expect(seen.headers.cookie).toBeUndefined();
  });

  test("keeps a sane X-Request-Id and returns it", async () => {
    const res = await fetch(`${platform.nexus}/echo/headers`, {
      headers: bearer(tech, { "x-request-id": "trace-123" }),
    });
    expect(res.headers.get("x-request-id")).toBe("trace-123");
    expect(((await res.json()) as { headers: Record<string, string> }).headers["x-request-id"]).toBe("trace-123");
  });

  test("each proxied request gets an access line at debug level: id, method, path, status, time, user and app", async () => {
    const res = await fetch(`${platform.nexus}/echo/headers?q=1`, {
      headers: bearer(tech, { "x-request-id": "access-line-1" }),
    });
    expect(res.status).toBe(200);
    const lineOf = () =>
      platform.processes
        .get("nexus")!
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((r) => r.message === "request" && r.request_id === "access-line-1");
    for (let i = 0; i < 50 && !lineOf(); i++) await Bun.sleep(20);
    expect(lineOf()).toMatchObject({
      level: "DEBUG",
      service: "nexus",
      method: "GET",
      path: "/echo/headers",
      status: 200,
      target: "echo",
      user: expect.any(String),
    });
    expect(lineOf()!.duration_ms).toBeGreaterThanOrEqual(0);
  });

  test("/<service> without a slash redirects to /<service>/", async () => {
    const res = await fetch(`${platform.nexus}/echo?x=1`, { redirect: "manual", headers: bearer(tech) });
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe("/echo/?x=1");
  });

  test("an app's redirect to its own address is rewritten under its prefix", async () => {
    const res = await fetch(`${platform.nexus}/echo/redirect`, { redirect: "manual", headers: bearer(tech) });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/echo/page");
  });

  test("an app cannot set cookies on Nexus's origin", async () => {
    const res = await fetch(`${platform.nexus}/echo/set-cookie`, { headers: bearer(tech) });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  test("an unknown first path segment is a 404", async () => {
    const res = await fetch(`${platform.nexus}/nosuchapp/x`, { headers: bearer(tech) });
    expect(res.status).toBe(404);
  });
});

describe("stylesheet injection", () => {
  test("HTML from an app gets global.css in <head> and is not cacheable", async () => {
    const res = await fetch(`${platform.nexus}/echo/page`, { headers: bearer(tech) });
    const html = await res.text();
    const href = /<link rel="stylesheet" href="(\/static\/global\.[0-9a-f]{16}\.css)">/.exec(html)?.[1];
    expect(href).toBeString();
    expect(html.indexOf(href!)).toBeLessThan(html.indexOf("</head>"));
    expect(res.headers.get("cache-control")).toBe("no-store");
    const css = await fetch(`${platform.nexus}${href}`);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toStartWith("text/css");
    expect(css.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await css.text()).toContain(".page-header");
  });

  test("a remembered theme sets data-theme on <html>", async () => {
    const html = await (
      await fetch(`${platform.nexus}/echo/page`, { headers: bearer(tech, { cookie: "hm_theme=dark" }) })
    ).text();
    expect(html).toContain('<html lang="en" data-theme="dark">');
  });

  test("JSON passes through untouched", async () => {
    const res = await fetch(`${platform.nexus}/echo/api/headers`, { headers: bearer(tech) });
    expect(res.headers.get("content-type")).toStartWith("application/json");
    expect(await res.text()).not.toContain("stylesheet");
  });
});

describe("who may pass", () => {
  test("an API call without a session is a JSON 401", async () => {
    const res = await fetch(`${platform.nexus}/echo/api/headers`, { headers: NAVIGATE });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  test("a page without a session is sent to sign in, remembering it", async () => {
    const res = await fetch(`${platform.nexus}/echo/page?x=1`, { headers: NAVIGATE, redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.pathname).toBe("/keycloak/realms/hivematrix/protocol/openid-connect/auth");
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.get("nonce")).toBeString();
    expect(res.headers.getSetCookie().some((c) => c.startsWith("hm_login=") && c.includes("HttpOnly"))).toBe(true);
  });

  test("a forged or garbage bearer token is refused", async () => {
    for (const auth of ["Bearer abc.def.ghi", "Bearer nonsense", "Basic dXNlcjpwYXNz"]) {
      const res = await fetch(`${platform.nexus}/echo/api/headers`, { headers: { authorization: auth } });
      expect(res.status).toBe(401);
    }
  });

  test("a service marked admin is blocked at Nexus for other levels", async () => {
    const refused = await fetch(`${platform.nexus}/admintool/api/headers`, { headers: bearer(tech) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    const page = await fetch(`${platform.nexus}/admintool/page`, { headers: bearer(tech, NAVIGATE) });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("Admin tool is for admin users");
    expect((await fetch(`${platform.nexus}/admintool/api/headers`, { headers: bearer(admin) })).status).toBe(200);
  });

  test("Core's service-token endpoint is unreachable through Nexus, however it is spelled", async () => {
    for (const path of [
      "/core/service-token",
      "/core/service-token/",
      "/core//service-token",
      "/core/%73ervice-token",
      "/core/SERVICE-TOKEN",
      "/core/x/../service-token",
    ]) {
      const res = await fetch(`${platform.nexus}${path}`, {
        method: "POST",
        headers: bearer(admin, { "content-type": "application/json" }),
        body: JSON.stringify({ calling_service: "core", target_service: "core" }),
      });
      expect(res.status, path).toBe(404);
    }
  });

  test("the identity provider's admin, master realm and back-channel endpoints are not exposed", async () => {
    for (const path of [
      "/keycloak/admin/",
      "/keycloak/admin/realms/hivematrix/users",
      "/keycloak/realms/master/protocol/openid-connect/auth",
      "/keycloak/realms/hivematrix/protocol/openid-connect/token",
      "/keycloak/realms/hivematrix/protocol/openid-connect/userinfo",
      "/keycloak/realms/hivematrix/.well-known/openid-configuration",
      "/keycloak/realms/hivematrix/protocol/openid-connect/auth/../token",
      "/keycloak/health",
    ]) {
      const res = await fetch(`${platform.nexus}${path}`, { method: path.endsWith("token") ? "POST" : "GET" });
      expect(res.status, path).toBe(404);
    }
  });
});

describe("public paths", () => {
  test("a path under the service's publicPaths passes without a session, and without any token", async () => {
    const res = await fetch(`${platform.nexus}/echo/hooks/ticket?id=7`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: "hm_session=whatever",
        authorization: "Bearer forged.token.here",
      },
      body: "{}",
    });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as { path: string; headers: Record<string, string> };
    expect(seen.path).toBe("/hooks/ticket");
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers["x-forwarded-prefix"]).toBe("/echo");
  });

  test("escapes and dot segments cannot walk out of a public prefix", async () => {
    for (const path of [
      "/echo/hooks/%2e%2e/api/headers",
      "/echo/hooks/..%2Fapi/headers",
      "/echo/hooks%2F..%2Fapi/headers",
      "/echo/hooks\\..\\api/headers",
      "/echo/api/headers",
    ]) {
      const res = await fetch(`${platform.nexus}${path}`, { method: "POST" });
      expect(res.status, path).toBe(401);
    }
  });
});

describe("CSRF", () => {
  test("a cookie-authenticated write from another site is refused; from this site it passes", async () => {
    const { signIn } = await import("./helpers.ts");
    const { jar } = await signIn(platform.nexus, "tech");
    const post = (headers: Record<string, string>) =>
      jar.fetch(`${platform.nexus}/echo/form`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: "a=1",
      });
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ "sec-fetch-site": "cross-site", origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await post({ origin: "null" })).status).toBe(403);
    const ok = await post({ origin: new URL(platform.nexus).origin, "sec-fetch-site": "same-origin" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ method: "POST", body: "a=1" });
  });

  test("bearer-authenticated API clients are not subject to the browser check", async () => {
    const res = await fetch(`${platform.nexus}/echo/form`, {
      method: "POST",
      headers: bearer(tech, { origin: "https://integration.example" }),
      body: "x",
    });
    expect(res.status).toBe(200);
  });
});

describe("streaming", () => {
  test("a 50 MB upload streams to the app without Nexus holding it", async () => {
    const pid = platform.processes.get("nexus")!.proc.pid;
    const before = await rssOf(pid);
    let sent = 0;
    let uploadEndedAt = 0;
    const chunk = new Uint8Array(MB).fill(97);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 50) {
          uploadEndedAt = Date.now();
          controller.close();
          return;
        }
        // Paced, so "the app saw data before the upload ended" means streaming, not buffering.
        if (sent % 10 === 0) await Bun.sleep(50);
        controller.enqueue(chunk);
        sent++;
      },
    });
    const res = await fetch(`${platform.nexus}/echo/upload`, {
      method: "POST",
      headers: bearer(tech, { "content-type": "application/octet-stream" }),
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(200);
    const report = (await res.json()) as UploadReport;
    expect(report.bytes).toBe(50 * MB);
    expect(report.firstChunkAt).toBeLessThan(uploadEndedAt - 100);
    const growth = (await rssOf(pid)) - before;
    expect(growth).toBeLessThan(25 * MB);
  });

  test("an export of up to 8 MB keeps its length, so the browser can show progress", async () => {
    for (const kb of [1, 3 * 1024]) {
      const res = await fetch(`${platform.nexus}/echo/export.csv?kb=${kb}`, { headers: bearer(tech) });
      expect(res.headers.get("content-length")).toBe(String(kb * 1024));
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="export.csv"');
      expect((await res.arrayBuffer()).byteLength).toBe(kb * 1024);
    }
    const big = await fetch(`${platform.nexus}/echo/export.csv?kb=${9 * 1024}`, { headers: bearer(tech) });
    expect(big.headers.get("content-length")).toBeNull();
    expect((await big.arrayBuffer()).byteLength).toBe(9 * 1024 * 1024);
  });

  test("a 50 MB download streams to the client without Nexus holding it", async () => {
    const pid = platform.processes.get("nexus")!.proc.pid;
    const before = await rssOf(pid);
    const res = await fetch(`${platform.nexus}/echo/download?mb=50`, { headers: bearer(tech) });
    expect(res.status).toBe(200);
    let bytes = 0;
    let peak = 0;
    let chunks = 0;
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      bytes += r.value.length;
      // Read slowly for a while: a buffering proxy would swallow the whole body meanwhile.
      if (chunks++ % 40 === 0) {
        await Bun.sleep(20);
        peak = Math.max(peak, (await rssOf(pid)) - before);
      }
    }
    expect(bytes).toBe(50 * MB);
    expect(peak).toBeLessThan(25 * MB);
  });

  test("server-sent events arrive as they are sent, not when the stream ends", async () => {
    const started = Date.now();
    const res = await fetch(`${platform.nexus}/echo/events`, {
      headers: bearer(tech, { accept: "text/event-stream" }),
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const arrivals: { n: number; sentAt: number; gotAt: number }[] = [];
    let buffered = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const data = /data: (.*)/.exec(buffered.slice(0, end))![1]!;
        buffered = buffered.slice(end + 2);
        const event = JSON.parse(data) as { n: number; at: number };
        arrivals.push({ n: event.n, sentAt: event.at, gotAt: Date.now() });
      }
    }
    expect(arrivals.map((a) => a.n)).toEqual([1, 2, 3]);
    // The stream lasts ~1.2 s; the first event must not wait for its end.
    expect(arrivals[0]!.gotAt - started).toBeLessThan(600);
    for (const a of arrivals) expect(a.gotAt - a.sentAt).toBeLessThan(250);
  });
});

describe("backends that fail", () => {
  test("a backend that is down gives a clear 502 page in under a second", async () => {
    const started = performance.now();
    const res = await fetch(`${platform.nexus}/down/page`, { headers: bearer(tech, NAVIGATE) });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(res.status).toBe(502);
    const html = await res.text();
    expect(html).toContain("Down is not reachable right now");
    expect(html).toContain('<link rel="stylesheet" href="/static/global.');
    const api = await fetch(`${platform.nexus}/down/api/x`, { headers: bearer(tech) });
    expect(api.status).toBe(502);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("upstream_unavailable");
  });

  test("a backend slower than the upstream timeout gives a 504", async () => {
    const started = performance.now();
    const res = await fetch(`${platform.nexus}/echo/slow`, { headers: bearer(tech) });
    expect(res.status).toBe(504);
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  test("metrics count upstream errors", async () => {
    const res = await fetch(`${platform.nexus}/metrics`, { headers: bearer(admin) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/nexus_upstream_errors_total\{[^}]*target="down"[^}]*kind="unreachable"[^}]*\} [1-9]/);
    expect(text).toMatch(/nexus_upstream_errors_total\{[^}]*target="echo"[^}]*kind="timeout"[^}]*\} [1-9]/);
    expect(text).toContain("nexus_upstream_duration_seconds_bucket");
    expect((await fetch(`${platform.nexus}/metrics`, { headers: bearer(tech) })).status).toBe(403);
    expect((await fetch(`${platform.nexus}/metrics`)).status).toBe(401);
  });
});

describe("WebSocket", () => {
  test("frames pass both ways, with the subprotocol the app chose", async () => {
    const url = `${platform.nexus.replace("http", "ws")}/echo/ws`;
    const ws = new (WebSocket as unknown as new (u: string, o: Bun.WebSocketOptions) => WebSocket)(url, {
      headers: { authorization: `Bearer ${tech}`, origin: platform.nexus },
      protocols: ["chat.v1"],
    });
    const messages: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.onmessage = (e) => {
        messages.push(String(e.data));
        if (messages.length === 1) ws.send("ping");
        if (messages.length === 2) resolve();
      };
      ws.onerror = () => reject(new Error("websocket error"));
    });
    expect(ws.protocol).toBe("chat.v1");
    expect(messages).toEqual(["hello chat.v1", "echo: ping"]);
    ws.close();
  });

  test("a WebSocket without a session is refused", async () => {
    const res = await fetch(`${platform.nexus}/echo/ws`, {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
      },
    });
    expect(res.status).toBe(401);
  });

  test("an upgrade from another site's page, or with no Origin, is refused before reaching the app", async () => {
    const upgrade = (origin?: string) =>
      fetch(`${platform.nexus}/echo/ws`, {
        headers: {
          upgrade: "websocket",
          connection: "Upgrade",
          "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
          "sec-websocket-version": "13",
          authorization: `Bearer ${tech}`,
          ...(origin ? { origin } : {}),
        },
      });
    for (const origin of ["https://evil.example", "null", undefined]) {
      const res = await upgrade(origin);
      expect(res.status, String(origin)).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "websocket_origin_refused" } });
    }
  });
});

describe("the identity provider's pages", () => {
  test("get the apps' security headers: CSP that forbids framing, and no MIME sniffing", async () => {
    const signIn = (await follow(new CookieJar(), `${platform.nexus}/echo/page`, { headers: NAVIGATE })).res;
    expect(await signIn.text()).toContain('name="password"');
    const signOut = await fetch(`${platform.nexus}/keycloak/realms/hivematrix/protocol/openid-connect/logout`);
    for (const res of [signIn, signOut]) {
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});

describe("load", () => {
  test("400 concurrent keep-alive connections are all answered without errors", async () => {
    const { port, hostname } = new URL(platform.nexus);
    const request = `GET /echo/api/headers HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${tech}\r\n\r\n`;
    const perConnection = 5;
    const results = await Promise.all(
      Array.from(
        { length: 400 },
        () =>
          new Promise<number[]>((resolve, reject) => {
            const statuses: number[] = [];
            let buffered = "";
            Bun.connect({
              hostname,
              port: Number(port),
              socket: {
                open(socket) {
                  socket.write(request);
                },
                data(socket, data) {
                  buffered += data.toString();
                  // Each answer is a complete JSON body with a Content-Length; count them as they finish.
                  for (;;) {
                    const head = buffered.indexOf("\r\n\r\n");
                    if (head < 0) return;
                    const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, head))?.[1] ?? -1);
                    if (length < 0 || buffered.length < head + 4 + length) return;
                    statuses.push(Number(buffered.slice(9, 12)));
                    buffered = buffered.slice(head + 4 + length);
                    if (statuses.length === perConnection) {
                      socket.end();
                      resolve(statuses);
                      return;
                    }
                    socket.write(request);
                  }
                },
                error: (_s, e) => reject(e),
                close: () =>
                  statuses.length < perConnection ? reject(new Error(`closed after ${statuses.length}`)) : undefined,
              },
            }).catch(reject);
          }),
      ),
    );
    const all = results.flat();
    expect(all.length).toBe(400 * perConnection);
    expect(all.filter((s) => s !== 200)).toEqual([]);
  }, 60_000);
});
