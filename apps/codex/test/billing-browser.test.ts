import { describe, expect, test } from "bun:test";
import { clickToNextPage } from "@hivematrix/lib/testing/browser";
import { codexInBrowser, signIn } from "./browser-platform.ts";

const { run, env } = codexInBrowser();

describe.skipIf(!run)("Codex billing in a browser through Nexus", () => {
  test("billing signs in, reads the dashboard, overrides a rate (a field error first), sees it on the bill and downloads the invoice", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.base, "billing", "/codex/billing");
    await expect(page.locator(".stat-grid").textContent()).resolves.toContain("Total clients");
    await expect(page.locator("body").textContent()).resolves.toContain("Contracts expiring within 60 days");

    await page.click("text=Acme Dental");
    await page.waitForURL(/\/codex\/companies\/ACME-001\/bill\?/);
    await page.click("text=Billing settings");
    await page.waitForURL(`${env.base}/codex/companies/ACME-001/billing`);
    await page.check("#field-per_user_cents_on");
    await page.fill("#field-per_user_cents", "twelve");
    await clickToNextPage(page, "text=Save rates");
    await expect(page.locator("#field-per_user_cents-error").textContent()).resolves.toContain(
      "An amount like 25 or 25.50.",
    );
    await page.fill("#field-per_user_cents", "12.34");
    await page.click("text=Save rates");
    await page.waitForURL(/notice=rates/);
    await expect(page.locator(".alert--success").textContent()).resolves.toContain("Rates saved.");

    await page.click("text=This month's bill");
    await page.waitForURL(/\/codex\/companies\/ACME-001\/bill\?/);
    await expect(page.locator("body").textContent()).resolves.toContain("Overrides in this bill");
    await expect(page.locator("body").textContent()).resolves.toContain("$12.34");
    const href = await page.locator("a:has-text('Invoice CSV')").getAttribute("href");
    const csv = await page.request.get(`${env.base}${href}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(",users,Users,");
    await context.close();
  });
});
