import { describe, expect, test } from "bun:test";
import type { ServiceEntry } from "@hivematrix/lib/config";
import { Hono } from "hono";
import { HttpError } from "@hivematrix/lib/errors";
import { isCrossSite, refuseCrossSiteForms } from "../src/proxy/cross-site.ts";
import { isBlockedPath, isPublicPath } from "../src/proxy/guard.ts";

/** The checks a proxied request meets before any session: blocked paths, public paths, cross-site writes. */
describe("Core's service-token endpoint is blocked however it is spelled", () => {
  test("plain, with a trailing part, in capitals, with repeated slashes, or percent-encoded", () => {
    for (const rest of [
      "/service-token",
      "/service-token/",
      "/service-token/anything",
      "/SERVICE-TOKEN",
      "//service-token",
      "///service-token//",
      "/%73ervice-token",
      "/%2Fservice-token",
      "/service-token/%",
    ]) {
      expect([rest, isBlockedPath("core", rest)]).toEqual([rest, true]);
    }
  });

  test("its neighbours, other services, and a malformed escape that cannot reach it pass", () => {
    for (const rest of ["/service-tokens", "/api/service-token", "/", "", "/service-token%", "/%service-token"]) {
      expect([rest, isBlockedPath("core", rest)]).toEqual([rest, false]);
    }
    expect(isBlockedPath("codex", "/service-token")).toBe(false);
  });
});

describe("public paths", () => {
  const service = (publicPaths: string[]) => ({ name: "echo", publicPaths }) as unknown as ServiceEntry;
  const hooks = service(["/hooks/", "/status"]);

  test("a plain path under a public prefix is public", () => {
    for (const rest of ["/hooks/ticket", "/hooks/", "/status", "/hooks/..x", "/hooks/.well-known", "/hooks/a.b"]) {
      expect([rest, isPublicPath(hooks, rest)]).toEqual([rest, true]);
    }
  });

  test("outside the prefixes, or with an escape, a dot segment or a backslash, it is not", () => {
    for (const rest of [
      "/hook",
      "/api/hooks/",
      "/hooks/%2e%2e/api",
      "/hooks/..%2Fapi",
      "/hooks%2F",
      "/hooks/../api",
      "/hooks/./api",
      "/hooks/..",
      "/hooks/.",
      "/hooks/a\\b",
    ]) {
      expect([rest, isPublicPath(hooks, rest)]).toEqual([rest, false]);
    }
  });

  test("a service without public paths has none", () => {
    expect(isPublicPath(service([]), "/hooks/ticket")).toBe(false);
    expect(isPublicPath(service([]), "/")).toBe(false);
  });
});

describe("cross-site writes", () => {
  const ORIGIN = "https://hm.example";
  const request = (method: string, headers: Record<string, string>) => new Request(`${ORIGIN}/x`, { method, headers });

  test("reads are never cross-site", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(
        isCrossSite(request(method, { "sec-fetch-site": "cross-site", origin: "https://evil.example" }), ORIGIN),
      ).toBe(false);
    }
  });

  test("Sec-Fetch-Site decides when sent: same-origin and none (typed in) pass", () => {
    const write = (site: string) => isCrossSite(request("POST", { "sec-fetch-site": site, origin: ORIGIN }), ORIGIN);
    expect(write("same-origin")).toBe(false);
    expect(write("none")).toBe(false);
    expect(write("same-site")).toBe(true);
    expect(write("cross-site")).toBe(true);
  });

  test("without it, Origin decides; a write with neither is not a browser's cross-site one", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(isCrossSite(request(method, { origin: "https://evil.example" }), ORIGIN)).toBe(true);
      expect(isCrossSite(request(method, { origin: ORIGIN }), ORIGIN)).toBe(false);
      expect(isCrossSite(request(method, {}), ORIGIN)).toBe(false);
    }
    expect(isCrossSite(request("POST", { origin: "null" }), ORIGIN)).toBe(true);
  });
});

describe("Nexus's own forms", () => {
  test("are refused with 403 csrf_refused when posted from another site, and pass from this one", async () => {
    const app = new Hono();
    app.onError((e, c) =>
      e instanceof HttpError ? c.json({ code: e.code, message: e.message }, e.status) : c.text("", 500),
    );
    app.post("/sign-out", refuseCrossSiteForms as never, (c) => c.text("signed out"));
    const post = (origin: string) =>
      app.fetch(new Request("https://hm.example/sign-out", { method: "POST", headers: { origin } }), {
        info: { origin: "https://hm.example" },
      });
    const refused = await post("https://evil.example");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      code: "csrf_refused",
      message: "This request came from another site, so it was refused.",
    });
    const ours = await post("https://hm.example");
    expect([ours.status, await ours.text()]).toEqual([200, "signed out"]);
  });
});
