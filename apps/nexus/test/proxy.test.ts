import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { NAVIGATE } from "./helpers.ts";
import { bearer, type ProxyPlatform, startProxyPlatform } from "./proxy-platform.ts";

// Starting real processes (and a browser) can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

let platform: ProxyPlatform["platform"];
let tech: string;
let admin: string;
let stop: ProxyPlatform["stop"] | undefined;

beforeAll(async () => {
  ({ platform, tech, admin, stop } = await startProxyPlatform());
});
afterAll(() => stop?.());

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

  const accessLine =
    "each proxied request gets an access line at debug level: id, method, path, status, time, user and app";
  test(accessLine, async () => {
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
