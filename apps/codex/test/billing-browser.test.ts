import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPlatform, type TestPlatform } from "@hivematrix/lib/testing";
import { browserAvailable, launchBrowser } from "@hivematrix/lib/testing/browser";

// Real processes (IdP, Core, Codex seeding its demo data, Nexus) and a browser on a shared machine.
setDefaultTimeout(120_000);

const run = browserAvailable();
let platform: TestPlatform;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!run) return;
  platform = await startPlatform({ idp: true, apps: { codex: { title: "Codex", visible: true }, nexus: { title: "Nexus", visible: false } } });
  base = `http://localhost:${platform.ports.nexus}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe.skipIf(!run)("Codex billing in a browser through Nexus", () => {
  test("billing signs in, reads the dashboard, overrides a rate (a field error first), sees it on the bill and downloads the invoice", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/codex/billing`);
    await page.fill("#field-username", "billing");
    await page.fill("#field-password", "billing");
    await page.click("button[type=submit]");
    await page.waitForURL(`${base}/codex/billing`);
    await expect(page.locator(".stat-grid").textContent()).resolves.toContain("Total clients");
    await expect(page.locator("body").textContent()).resolves.toContain("Contracts expiring within 60 days");

    await page.click("text=Acme Dental");
    await page.waitForURL(/\/codex\/companies\/ACME-001\/bill\?/);
    await page.click("text=Billing settings");
    await page.waitForURL(`${base}/codex/companies/ACME-001/billing`);
    await page.check("#field-per_user_cents_on");
    await page.fill("#field-per_user_cents", "twelve");
    await page.click("text=Save rates");
    await page.waitForLoadState("load");
    await expect(page.locator("#field-per_user_cents-error").textContent()).resolves.toContain("An amount like 25 or 25.50.");
    await page.fill("#field-per_user_cents", "12.34");
    await page.click("text=Save rates");
    await page.waitForURL(/notice=rates/);
    await expect(page.locator(".alert--success").textContent()).resolves.toContain("Rates saved.");

    await page.click("text=This month's bill");
    await page.waitForURL(/\/codex\/companies\/ACME-001\/bill\?/);
    await expect(page.locator("body").textContent()).resolves.toContain("Overrides in this bill");
    await expect(page.locator("body").textContent()).resolves.toContain("$12.34");
    const href = await page.locator("a:has-text('Invoice CSV')").getAttribute("href");
    const csv = await page.request.get(`${base}${href}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(",users,Users,");
    await context.close();
  });
});
