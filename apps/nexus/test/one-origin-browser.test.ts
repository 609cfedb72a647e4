import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPlatform, type TestPlatform } from "@hivematrix/lib/testing";
import { browserAvailable, clickToNextPage, launchBrowser } from "@hivematrix/lib/testing/browser";
import { startBackend } from "./backend.ts";
import { NAVIGATE } from "./helpers.ts";

// Starting real processes (and a browser) can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

/**
 * The quick start's own set-up: no NEXUS_PUBLIC_URL, so the public origin is localhost on Nexus's
 * port, as Keycloak's --hostname would be. The dev IdP sends its cookies as Keycloak 26 does for
 * that URL (`SameSite=None; Secure`, a secure context even on http), so signing in works only if
 * Nexus rewrites them for plain http and sends a browser on 127.0.0.1 to localhost first.
 */
const run = browserAvailable();
let platform: TestPlatform;
let backend: ReturnType<typeof startBackend>;
let browser: Browser;
let port: number;

beforeAll(async () => {
  platform = await startPlatform({
    idp: true,
    apps: { echo: { title: "Echo", start: false }, nexus: { title: "Nexus", visible: false } },
    env: { NEXUS_PUBLIC_URL: "" },
  });
  backend = startBackend(platform.ports.echo!);
  port = platform.ports.nexus!;
  if (run) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  backend?.stop(true);
  await platform?.stop();
});

describe("the IdP's cookies", () => {
  test("the dev IdP sends them as Keycloak does for a localhost public URL", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/echo/page`, { headers: NAVIGATE, redirect: "manual" });
    expect(res.headers.get("location")).toBe(`http://localhost:${port}/echo/page`);
    const onPublicOrigin = { host: `localhost:${port}` };
    const signIn = await fetch(`http://127.0.0.1:${port}/login?next=/echo/page`, {
      headers: onPublicOrigin,
      redirect: "manual",
    });
    const authorize = new URL(signIn.headers.get("location")!);
    expect(authorize.origin).toBe(`http://localhost:${port}`);
    // Straight to the IdP, as Nexus forwards it: what the IdP itself sends.
    const direct = await fetch(
      `${platform.idpUrl}${authorize.pathname.replace(/^\/keycloak/, "")}${authorize.search}`,
      {
        headers: {
          "x-forwarded-host": `localhost:${port}`,
          "x-forwarded-proto": "http",
          "x-forwarded-prefix": "/keycloak",
        },
        redirect: "manual",
      },
    );
    const sent = direct.headers.getSetCookie().map((c) => Bun.Cookie.parse(c));
    expect(sent.length).toBeGreaterThan(0);
    for (const cookie of sent) {
      expect(cookie.sameSite).toBe("none");
      expect(cookie.secure).toBe(true);
    }
    // Through Nexus on plain http: valid for the browser's scheme.
    const proxied = await fetch(`http://127.0.0.1:${port}${authorize.pathname}${authorize.search}`, {
      headers: onPublicOrigin,
      redirect: "manual",
    });
    const passed = proxied.headers.getSetCookie().map((c) => Bun.Cookie.parse(c));
    expect(passed.map((c) => c.name).sort()).toEqual(sent.map((c) => c.name).sort());
    for (const cookie of passed) {
      expect(cookie.sameSite).toBe("lax");
      expect(cookie.secure).toBe(false);
      expect(cookie.path.startsWith("/keycloak")).toBe(true);
    }
  });
});

describe.skipIf(!run)("signing in through Nexus in a browser", () => {
  for (const host of ["localhost", "127.0.0.1"]) {
    test(`at http://${host}:<port>: the form, its POST and the way back all work on the one origin`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://${host}:${port}/echo/page`);
      expect(page.url()).toStartWith(`http://localhost:${port}/keycloak/realms/hivematrix/login-actions/authenticate/`);
      await page.fill("#field-username", "tech");
      await page.fill("#field-password", "tech");
      await clickToNextPage(page, "button[type=submit]");
      expect(page.url()).toBe(`http://localhost:${port}/echo/page`);
      await expect(page.getByRole("heading", { name: /Hello from the backend/ }).count()).resolves.toBe(1);
      const idpCookies = (await context.cookies()).filter((c) => c.path.startsWith("/keycloak"));
      expect(idpCookies.length).toBeGreaterThan(0);
      for (const cookie of idpCookies)
        expect({ name: cookie.name, sameSite: cookie.sameSite, secure: cookie.secure }).toEqual({
          name: cookie.name,
          sameSite: "Lax",
          secure: false,
        });
      await context.close();
    });
  }
});
