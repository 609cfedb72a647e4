import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { createKeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { readSecret } from "@hivematrix/lib/secrets";
import { browserAvailable, clickToNextPage, launchBrowser } from "@hivematrix/lib/testing/browser";
import { startBackend } from "./backend.ts";
import { startNexusPlatform } from "./helpers.ts";

// Starting real processes (and a browser) can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

const run = browserAvailable();
let platform: Awaited<ReturnType<typeof startNexusPlatform>>;
let backend: ReturnType<typeof startBackend>;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!run) return;
  platform = await startNexusPlatform({
    echo: { title: "Echo", start: false, description: "A test app" },
    admintool: { title: "Admin tool", start: false, permission: "admin" },
  });
  backend = startBackend(platform.ports.echo!);
  // The public origin (NEXUS_PUBLIC_URL in tests): a browser elsewhere would be sent here first.
  base = platform.nexus;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  backend?.stop(true);
  await platform?.stop();
});

async function signInAt(page: Page, path: string, username: string, password = username) {
  await page.goto(`${base}${path}`);
  expect(page.url()).toContain("/keycloak/realms/hivematrix/login-actions/authenticate/");
  await page.fill("#field-username", username);
  await page.fill("#field-password", password);
  await clickToNextPage(page, "button[type=submit]");
}

/** global.css is applied when its tokens resolve on the page (a computed style, not just a <link>). */
const primaryColour = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--color-primary").trim());

const users = [
  { username: "admin", name: "Ada Admin", path: "/core/sessions", heading: /sessions/i, tiles: ["Echo", "Admin tool"] },
  { username: "tech", name: "Toby Technician", path: "/echo/page", heading: /Hello from the backend/, tiles: ["Echo"] },
  { username: "billing", name: "Bea Billing", path: "/echo/page", heading: /Hello from the backend/, tiles: ["Echo"] },
  { username: "client", name: "Cody Client", path: "/echo/page", heading: /Hello from the backend/, tiles: ["Echo"] },
];

describe.skipIf(!run)("in a browser", () => {
  for (const u of users) {
    const name = `${u.username}: a protected page leads to sign-in and back to it, styled; home shows the right tiles`;
    test(name, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signInAt(page, u.path, u.username);
      expect(new URL(page.url()).pathname).toBe(u.path);
      await expect(page.locator("h1").first().textContent()).resolves.toMatch(u.heading);
      expect(await primaryColour(page)).not.toBe("");
      await page.goto(`${base}/`);
      const tiles = await page.locator(".grid[aria-label=Apps] .card__title").allTextContents();
      expect(tiles).toEqual(u.tiles);
      expect(await page.locator(".layout__user").textContent()).toContain(u.name);
      await context.close();
    });
  }

  test("a wrong password shows an error on the styled login page", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAt(page, "/", "tech", "wrong");
    await expect(page.locator(".alert--error").textContent()).resolves.toContain("Invalid username or password.");
    expect(await primaryColour(page)).not.toBe("");
    await context.close();
  });

  test("the dark theme toggle is remembered and applied", async () => {
    const context = await browser.newContext({ colorScheme: "light" });
    const page = await context.newPage();
    await signInAt(page, "/", "tech");
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.selectOption("#field-theme", "dark");
    await clickToNextPage(page, "form[action='/theme'] button[type=submit]");
    expect(await page.getAttribute("html", "data-theme")).toBe("dark");
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(light);
    await page.goto(`${base}/echo/page`);
    expect(await page.getAttribute("html", "data-theme")).toBe("dark");
    await context.close();
  });

  test("a device set to dark gets the dark palette until the person chooses light", async () => {
    const context = await browser.newContext({ colorScheme: "dark" });
    const page = await context.newPage();
    await signInAt(page, "/", "billing");
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await page.getAttribute("html", "data-theme")).toBeNull();
    expect(await background()).toBe("rgb(14, 17, 23)");
    await page.selectOption("#field-theme", "light");
    await clickToNextPage(page, "form[action='/theme'] button[type=submit]");
    expect(await background()).toBe("rgb(244, 245, 248)");
    await context.close();
  });

  test("after signing out, neither the back button nor the old cookie shows protected content", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAt(page, "/echo/page", "tech");
    await expect(page.locator("h1").textContent()).resolves.toContain("Hello from the backend");
    const old = (await context.cookies()).find((c) => c.name === "hm_session")!;
    await page.goto(`${base}/`);
    await page.click("form[action='/logout'] button[type=submit]");
    await page.waitForURL(`${base}/signed-out`);
    await expect(page.locator("h1").textContent()).resolves.toContain("You are signed out");
    expect((await context.cookies()).find((c) => c.name === "hm_session")).toBeUndefined();

    await page.goBack();
    await page.waitForLoadState("load");
    expect(await page.content()).not.toContain("Welcome,");
    await page.goBack();
    await page.waitForLoadState("load");
    expect(await page.content()).not.toContain("Hello from the backend");

    await context.addCookies([old]);
    await page.goto(`${base}/echo/page`);
    expect(page.url()).toContain("/login-actions/authenticate/");
    expect(await page.content()).not.toContain("Hello from the backend");
    await context.close();
  });

  const revokeAtIdp =
    "an admin revoking a browser session on Core's sessions page ends it at the IdP too:" +
    " the next visit asks for the password";
  test(revokeAtIdp, async () => {
    const kc = createKeycloakAdmin({
      url: platform.idpUrl!,
      username: "admin",
      password: readSecret(platform.home, "keycloak-admin"),
    });
    await kc.createUser("hivematrix", {
      username: "rita",
      enabled: true,
      groups: ["technicians"],
      credentials: [{ type: "password", value: "rita-the-tech", temporary: false }],
    });
    const ritas = await browser.newContext();
    const rita = await ritas.newPage();
    await signInAt(rita, "/echo/page", "rita", "rita-the-tech");
    await expect(rita.locator("h1").textContent()).resolves.toContain("Hello from the backend");

    const admins = await browser.newContext();
    const admin = await admins.newPage();
    await signInAt(admin, "/core/sessions", "admin");
    await clickToNextPage(admin, "tr:has-text('(rita)') button[type=submit]");
    await expect(admin.locator(".alert--success").textContent()).resolves.toContain("Revoked a session of rita.");
    expect(await admin.locator(".alert--warning").count()).toBe(0);

    // Nexus remembers a session's verdict for 2 s; after that, the revoked browser must sign in again.
    await Bun.sleep(2_500);
    await rita.goto(`${base}/echo/page`);
    expect(rita.url()).toContain("/login-actions/authenticate/");
    expect(await rita.content()).not.toContain("Hello from the backend");
    await rita.fill("#field-username", "rita");
    await rita.fill("#field-password", "rita-the-tech");
    await clickToNextPage(rita, "button[type=submit]");
    expect(new URL(rita.url()).pathname).toBe("/echo/page");
    await ritas.close();
    await admins.close();
  });
});
