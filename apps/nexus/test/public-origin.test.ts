import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { CookieJar } from "@hivematrix/lib/testing";
import { startBackend } from "./backend.ts";
import { NAVIGATE, startNexusPlatform } from "./helpers.ts";

// Starting real processes can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

/** Every absolute URL Nexus and the IdP emit comes from the configured origins, never from a request's Host. */
let platform: Awaited<ReturnType<typeof startNexusPlatform>>;
let backend: ReturnType<typeof startBackend>;
let origins: string[];

beforeAll(async () => {
  platform = await startNexusPlatform({ echo: { title: "Echo", start: false } });
  backend = startBackend(platform.ports.echo!);
  origins = [`http://localhost:${platform.ports.nexus}`, `http://127.0.0.1:${platform.ports.nexus}`];
});
afterAll(async () => {
  backend?.stop(true);
  await platform?.stop();
});

const EVIL = { host: "evil.example" };

/** A Location that is relative or on one of Nexus's origins, with no trace of the forged host. */
function expectConfiguredLocation(res: Response) {
  const location = res.headers.get("location");
  expect(location).not.toBeNull();
  expect(decodeURIComponent(location!)).not.toContain("evil.example");
  if (/^https?:/.test(location!)) expect(origins).toContain(new URL(location!).origin);
}

describe("a request whose Host is not Nexus's", () => {
  test("sign-in starts on a configured origin, with a redirect URI on it", async () => {
    const res = await fetch(`${platform.nexus}/login?next=/echo/page`, { headers: EVIL, redirect: "manual" });
    expect(res.status).toBe(302);
    expectConfiguredLocation(res);
    const redirectUri = new URL(res.headers.get("location")!).searchParams.get("redirect_uri")!;
    expect(origins).toContain(new URL(redirectUri).origin);
  });

  test("every hop of the IdP's sign-in, the form's POST included, stays on a configured origin", async () => {
    const jar = new CookieJar();
    // Every request of the flow carries the forged Host, as a client that sets it would send.
    const hop = async (url: string, init: RequestInit = {}) => {
      const res = await jar.fetch(url, { ...init, headers: { ...NAVIGATE, ...EVIL, ...init.headers } });
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
    expect(html).not.toContain("evil.example");
    const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&");
    const submitted = await hop(new URL(action, url).toString(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "tech", password: "tech" }),
    });
    expect(submitted.status).toBe(303);
    const resumed = await hop(new URL(submitted.headers.get("location")!, url).toString());
    expect(resumed.status).toBe(303);
  });

  test("apps are told a configured host in X-Forwarded-Host", async () => {
    const token = await platform.token("technician");
    const res = await fetch(`${platform.nexus}/echo/headers`, {
      headers: { ...EVIL, authorization: `Bearer ${token}` },
    });
    const seen = (await res.json()) as { headers: Record<string, string> };
    expect(origins).toContain(`http://${seen.headers["x-forwarded-host"]}`);
  });
});
