import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { CookieJar } from "@hivematrix/lib/testing";
import { startBackend } from "./backend.ts";
import { NAVIGATE, startNexusPlatform } from "./helpers.ts";

// Starting real processes can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

/**
 * Nexus has one public origin (Keycloak answers on one): a browser under any other name is sent
 * there, and every absolute URL Nexus and the IdP emit is on it, never taken from a request's Host.
 */
let platform: Awaited<ReturnType<typeof startNexusPlatform>>;
let backend: ReturnType<typeof startBackend>;
let publicOrigin: string;

beforeAll(async () => {
  platform = await startNexusPlatform({ echo: { title: "Echo", start: false } });
  backend = startBackend(platform.ports.echo!);
  publicOrigin = platform.nexus;
});
afterAll(async () => {
  backend?.stop(true);
  await platform?.stop();
});

const EVIL = { host: "evil.example" };

/** A Location that is relative or on the public origin, with no trace of the forged host. */
function expectConfiguredLocation(res: Response) {
  const location = res.headers.get("location");
  expect(location).not.toBeNull();
  expect(decodeURIComponent(location!)).not.toContain("evil.example");
  if (/^https?:/.test(location!)) expect(new URL(location!).origin).toBe(publicOrigin);
}

describe("a request whose Host is not Nexus's public one", () => {
  test("a navigation is sent to the public origin first, path and query kept, not cached", async () => {
    for (const host of ["evil.example", `localhost:${platform.ports.nexus}`]) {
      const res = await fetch(`${platform.nexus}/echo/page?tab=2`, {
        headers: { ...NAVIGATE, host },
        redirect: "manual",
      });
      expect(res.status).toBe(307);
      expect(res.headers.get("location")).toBe(`${publicOrigin}/echo/page?tab=2`);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  test("API calls, the supervisor's health check and writes are answered where they arrive", async () => {
    const anonymous = await fetch(`${platform.nexus}/echo/headers`, {
      headers: { ...EVIL, accept: "application/json" },
    });
    expect(anonymous.status).toBe(401);
    const token = await platform.token("technician");
    const api = await fetch(`${platform.nexus}/echo/headers`, {
      headers: { ...EVIL, authorization: `Bearer ${token}` },
    });
    expect(api.status).toBe(200);
    const health = await fetch(`${platform.nexus}/health`, { headers: EVIL });
    expect(health.status).toBe(200);
    const write = await fetch(`${platform.nexus}/echo/page`, { method: "POST", headers: EVIL, redirect: "manual" });
    expect(write.status).not.toBe(307);
  });

  test("sign-in starts on the public origin, with a redirect URI on it", async () => {
    const res = await fetch(`${platform.nexus}/login?next=/echo/page`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expectConfiguredLocation(res);
    const redirectUri = new URL(res.headers.get("location")!).searchParams.get("redirect_uri")!;
    expect(new URL(redirectUri).origin).toBe(publicOrigin);
  });

  test("every hop of the IdP's sign-in stays on the public origin, the form's POST under a forged Host included", async () => {
    const jar = new CookieJar();
    // A client may forge the Host of any request; navigations are sent home first, so forge the form's POST.
    const hop = async (url: string, init: RequestInit = {}) => {
      const forged = init.method === "POST" ? EVIL : {};
      const res = await jar.fetch(url, { ...init, headers: { ...NAVIGATE, ...forged, ...init.headers } });
      if (res.status >= 300 && res.status < 400) expectConfiguredLocation(res);
      return res;
    };
    let url = `${platform.nexus}/echo/page`;
    let res = await hop(url);
    while (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get("location")!, url).toString();
      res = await hop(url);
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&");
    expect(new URL(action, url).origin).toBe(publicOrigin);
    const submitted = await hop(new URL(action, url).toString(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "tech", password: "tech" }),
    });
    expect(submitted.status).toBe(303);
    const resumed = await hop(new URL(submitted.headers.get("location")!, url).toString());
    expect(resumed.status).toBe(303);
  });

  test("apps are told the public host in X-Forwarded-Host", async () => {
    const token = await platform.token("technician");
    const res = await fetch(`${platform.nexus}/echo/headers`, {
      headers: { ...EVIL, authorization: `Bearer ${token}` },
    });
    const seen = (await res.json()) as { headers: Record<string, string> };
    expect(`http://${seen.headers["x-forwarded-host"]}`).toBe(publicOrigin);
  });
});
