import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { CookieJar, follow, freePort, submitLogin, tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import {
  accessibilityViolations,
  browserAvailable,
  clickToNextPage,
  launchBrowser,
} from "@hivematrix/lib/testing/browser";
import { eventually, serviceClient, startSupervisor, type Supervised } from "./harness.ts";

/**
 * The whole platform under the real supervisor (dev IdP, Core, Codex, Helm, Nexus), reached as
 * a person would: through Nexus, signed in at the identity provider. "probe" is registered but
 * not started: the test ships log lines with its service secret, as an app would.
 */
let home: string;
let supervisor: Supervised;
let base: string;
let browser: Browser | null = null;
let probe: ReturnType<typeof serviceClient>;
const run = browserAvailable();

beforeAll(async () => {
  home = tempHome("hm-helm-browser-");
  const ports = {
    idp: await freePort(),
    core: await freePort(),
    codex: await freePort(),
    helm: await freePort(),
    nexus: await freePort(),
    probe: await freePort(),
  };
  const servicesFile = writeServicesFile(home, {
    core: { port: ports.core, visible: false },
    codex: { port: ports.codex, title: "Codex" },
    helm: { port: ports.helm, title: "Helm", permission: "admin" },
    nexus: { port: ports.nexus, title: "Nexus", visible: false },
    probe: { port: ports.probe, visible: false },
  });
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: servicesFile,
    KEYCLOAK_URL: `http://127.0.0.1:${ports.idp}`,
    HELM_SCRAPE_INTERVAL_SECONDS: "2",
    HIVEMATRIX_LOG_FLUSH_MS: "300",
  };
  supervisor = await startSupervisor(["idp", "core", "codex", "helm", "nexus"], env, 150_000);
  base = `http://localhost:${ports.nexus}`;
  probe = serviceClient({ home, servicesFile, coreUrl: `http://127.0.0.1:${ports.core}` }, "probe");
  if (run) browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await supervisor?.stop();
  rmSync(home, { recursive: true, force: true });
});

/**
 * When a step fails, what the browser shows and what the platform said: a flaky step is then
 * diagnosable from CI's log.
 */
async function reportPage(tab: Page) {
  const heading = await tab
    .locator("h1")
    .first()
    .textContent({ timeout: 2_000 })
    .catch(() => null);
  const lastLines = supervisor.output().split("\n").slice(-40).join("\n");
  console.error(`the page was ${tab.url()} (h1: ${heading ?? "none"}); the platform's last lines:\n${lastLines}`);
}

async function ship(level: string, message: string) {
  const res = await probe.callService("helm", "/api/logs/ingest", {
    method: "POST",
    body: JSON.stringify({ lines: [{ timestamp: new Date().toISOString(), level, message }] }),
  });
  expect(res.status).toBe(200);
}

describe("Helm through Nexus", () => {
  test("a technician is refused Helm at Nexus", async () => {
    const jar = new CookieJar();
    const navigate = { accept: "text/html", "sec-fetch-mode": "navigate" };
    const login = await follow(jar, `${base}/helm/services`, { headers: navigate });
    const submitted = await submitLogin(jar, login.url, await login.res.text(), "tech", "tech");
    expect(submitted.status).toBe(303);
    const landed = await follow(jar, new URL(submitted.headers.get("location")!, login.url).toString(), {
      headers: navigate,
    });
    expect(landed.res.status).toBe(403);
    expect(await landed.res.text()).toContain("for admin users");
  }, 60_000);
});

describe.skipIf(!run)("in a browser", () => {
  let page: Page;

  test("an admin signs in, sees every service healthy, restarts Codex and watches it come back", async () => {
    page = await (await browser!.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    await page.goto(`${base}/helm/services`);
    await page.fill("#field-username", "admin");
    await page.fill("#field-password", "admin");
    await page.click("button[type=submit]");
    await page.waitForURL(`${base}/helm/services`);
    const rows = page.locator("section.card:has(h2:text-is('Status')) tbody tr");
    const texts = await rows.allTextContents();
    // Every unit the supervisor runs is healthy; probe is only registered (the test speaks for it).
    expect(texts).toHaveLength(6);
    expect(texts.filter((t) => t.includes("running") && t.includes("healthy"))).toHaveLength(5);
    expect(texts.find((t) => t.includes("probe"))).toContain("not managed");
    const pidBefore = await rows.filter({ hasText: "codex" }).locator("td").nth(2).textContent();

    await page.click("form[action$='/services/codex/restart'] button");
    await page.waitForURL(/\/helm\/services\?action=\d+$/);
    await expect(page.locator(".alert--success").textContent()).resolves.toMatch(/Restarted codex \(pid \d+\)/);
    const codex = page.locator("section.card:has(h2:text-is('Status')) tbody tr", { hasText: "codex" });
    expect(await codex.textContent()).toContain("healthy");
    expect(await codex.locator("td").nth(2).textContent()).not.toBe(pidBefore);
    await expect(
      page.locator("section.card:has(h2:text-is('Recent actions')) tbody tr").first().textContent(),
    ).resolves.toMatch(/admin\s*codex\s*restart\s*done/);
  }, 90_000);

  test("a technician made in Helm → Users signs in with the shown password, picks their own, sees home", async () => {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    // Each step is a chain of real services (Nexus, Helm, the IdP, Codex, Core): give a busy machine time.
    context.setDefaultTimeout(60_000);
    const tab = await context.newPage();
    try {
      await tab.goto(`${base}/helm/users/new`);
      await tab.fill("#field-username", "admin");
      await tab.fill("#field-password", "admin");
      await tab.click("button[type=submit]");
      await tab.waitForURL(`${base}/helm/users/new`);

      // A client user's company is checked with Codex, and the message sits next to the field.
      await tab.fill("#field-username", "cleo");
      await tab.fill("#field-email", "cleo@acme.example");
      await tab.selectOption("#field-level", "client");
      await tab.fill("#field-company", "NOPE-404");
      await clickToNextPage(tab, "form[aria-label='New user'] button[type=submit]");
      await expect(tab.locator("#field-company-error").textContent()).resolves.toContain(
        "Codex has no company with the account number NOPE-404",
      );
      await tab.fill("#field-company", "ACME-001");
      await clickToNextPage(tab, "form[aria-label='New user'] button[type=submit]");
      await expect(tab.locator("h1").textContent()).resolves.toBe("Created cleo");

      await tab.goto(`${base}/helm/users/new`);
      await tab.fill("#field-username", "tessa");
      await tab.fill("#field-email", "tessa@msp.example");
      await tab.fill("#field-first_name", "Tessa");
      await tab.fill("#field-last_name", "Tech");
      await tab.selectOption("#field-level", "technician");
      expect(await tab.isChecked("#field-temporary")).toBe(true);
      await clickToNextPage(tab, "form[aria-label='New user'] button[type=submit]");
      const password = (await tab.locator("#shown-password").textContent())!;
      expect(password).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
      await tab.goto(`${base}/helm/users?q=tessa`);
      await expect(tab.locator("table tbody tr").first().textContent()).resolves.toMatch(
        /tessa.*Tessa Tech.*technician.*enabled.*new password at next sign-in/,
      );

      await tab.goto(`${base}/`);
      await tab.click("form[action='/logout'] button[type=submit]");
      await tab.waitForURL(`${base}/signed-out`);

      await tab.goto(`${base}/`);
      await tab.fill("#field-username", "tessa");
      await tab.fill("#field-password", password);
      await tab.click("button[type=submit]");
      await tab.waitForURL(/\/keycloak\/realms\/hivematrix\/login-actions\/authenticate\/[\w-]+\/update-password$/);
      await tab.fill("#field-password-new", "tessa-chose-this");
      await tab.fill("#field-password-confirm", "tessa-chose-that");
      await clickToNextPage(tab, "button[type=submit]");
      await expect(tab.locator("#field-password-confirm-error").textContent()).resolves.toContain(
        "The passwords do not match.",
      );
      await tab.fill("#field-password-new", "tessa-chose-this");
      await tab.fill("#field-password-confirm", "tessa-chose-this");
      await tab.click("button[type=submit]");
      await tab.waitForURL(`${base}/`);
      expect(await tab.locator(".grid[aria-label=Apps] .card__title").allTextContents()).toEqual(["Codex"]);
      await expect(tab.locator(".layout__user").textContent()).resolves.toContain("Tessa Tech");
      await expect(tab.locator("main").textContent()).resolves.toContain("tessa (technician)");
      expect((await tab.goto(`${base}/helm/users`))!.status()).toBe(403);

      // Disabled by an admin, Tessa is signed out at once: her next page asks her to sign in.
      const adminContext = await browser!.newContext();
      adminContext.setDefaultTimeout(60_000);
      const adminTab = await adminContext.newPage();
      await adminTab.goto(`${base}/helm/users?q=tessa`);
      await adminTab.fill("#field-username", "admin");
      await adminTab.fill("#field-password", "admin");
      await adminTab.click("button[type=submit]");
      await adminTab.waitForURL(/\/helm\/users\?q=tessa$/);
      await clickToNextPage(adminTab, "table tbody tr a:text-is('tessa')");
      await adminTab.uncheck("#field-enabled");
      await clickToNextPage(adminTab, "form[aria-label='Edit tessa'] button[type=submit]");
      await expect(adminTab.locator(".alert--success").textContent()).resolves.toContain(
        "1 HiveMatrix session of theirs ended.",
      );
      await eventually(
        async () => {
          await tab.goto(`${base}/`);
          return tab.url().includes("/login-actions/authenticate/");
        },
        30_000,
        "Tessa's session to end",
      );
      await adminContext.close();
    } catch (e) {
      await reportPage(tab);
      throw e;
    } finally {
      await context.close();
    }
  }, 240_000);

  test("filters the logs to ERROR", async () => {
    await ship("ERROR", "probe failed to reach the moon");
    await ship("INFO", "probe is fine");
    await page.goto(`${base}/helm/logs`);
    await page.selectOption("#field-level", "ERROR");
    await page.click("form.toolbar button[type=submit]");
    await page.waitForURL(/level=ERROR/);
    const lines = page.locator("ol.log > li");
    await expect(lines.filter({ hasText: "probe failed to reach the moon" }).count()).resolves.toBe(1);
    for (const cls of await lines.evaluateAll((els) => els.map((e) => e.className)))
      expect(cls).toMatch(/log-line--(error|critical)/);
    expect(await page.locator("ol.log").textContent()).not.toContain("probe is fine");
  }, 60_000);

  test("the live tail shows a new line as it arrives", async () => {
    await page.goto(`${base}/helm/logs/tail?service=probe`);
    await page.waitForFunction(() => document.getElementById("live-status")?.textContent?.startsWith("Live"), null, {
      timeout: 20_000,
    });
    const message = `a fresh line <img src=x> ${Date.now()}`;
    await ship("WARNING", message);
    const item = page.locator("#live-log > li", { hasText: message });
    await item.waitFor({ timeout: 20_000 });
    expect(await item.getAttribute("class")).toBe("log-line log-line--warning");
    // Shown as text: the markup in the message did not become an element.
    expect(await item.locator("img").count()).toBe(0);
  }, 60_000);

  test("sign-in, platform and every Helm page meet WCAG 2.1 AA (axe: serious, critical), both themes", async () => {
    const context = await browser!.newContext();
    const tab = await context.newPage();
    const problems: string[] = [];
    const check = async (where: string) => {
      for (const v of await accessibilityViolations(tab))
        problems.push(`${where}: ${v.rule} (${v.help}) at ${v.nodes.map((n) => n.target).join(", ")}`);
    };
    try {
      await tab.goto(`${base}/helm/services`);
      await check("the identity provider's sign-in page");
      await tab.fill("#field-username", "admin");
      await tab.fill("#field-password", "not the password");
      await clickToNextPage(tab, "button[type=submit]");
      await check("the sign-in page with its error");
      await tab.fill("#field-username", "admin");
      await tab.fill("#field-password", "admin");
      await clickToNextPage(tab, "button[type=submit]");
      for (const theme of ["light", "dark"]) {
        await context.addCookies([{ name: "hm_theme", value: theme, url: base }]);
        for (const path of [
          "/",
          "/core/sessions",
          "/nosuch/page",
          "/helm/services",
          "/helm/logs",
          "/helm/logs?level=LOUD",
          "/helm/logs/tail",
          "/helm/security",
          "/helm/config",
          "/helm/users",
          "/helm/users/new",
          "/logout",
        ]) {
          await tab.goto(`${base}${path}`);
          await check(`${theme} ${path}`);
        }
      }
      await clickToNextPage(tab, "form button[type=submit]");
      await tab.waitForURL(`${base}/signed-out`);
      await check("the signed-out page");
      expect(problems).toEqual([]);
    } catch (e) {
      await reportPage(tab);
      throw e;
    } finally {
      await context.close();
    }
  }, 90_000);
});
