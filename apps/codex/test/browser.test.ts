import { describe, expect, test } from "bun:test";
import { accessibilityViolations, clickToNextPage } from "@hivematrix/lib/testing/browser";
import { codexInBrowser, signIn } from "./browser-platform.ts";

const { run, env } = codexInBrowser();

describe.skipIf(!run)("Codex in a browser through Nexus", () => {
  test("tech signs in, searches a company, opens it, adds a contact (a field error first) and finds it in the list", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${env.base}/codex/companies`);
    expect(page.url()).toContain("/keycloak/realms/hivematrix/login-actions/authenticate/");
    await page.fill("#field-username", "tech");
    await page.fill("#field-password", "tech");
    await page.click("button[type=submit]");
    await page.waitForURL(`${env.base}/codex/companies`);

    await page.fill("#field-q", "acme");
    await page.click("form.toolbar button[type=submit]");
    await page.waitForURL(/\/codex\/companies\?q=acme/);
    await page.click("text=Acme Dental");
    await page.waitForURL(`${env.base}/codex/companies/ACME-001`);
    expect(await page.locator("h1").textContent()).toBe("Acme Dental");

    // An email another contact already uses: the browser cannot know, the server says so next to the field.
    const taken = (await (await page.request.get(`${env.base}/codex/api/contacts?company=ACME-001&limit=1`)).json())
      .items[0].email as string;
    await page.click("text=Add contact");
    await page.waitForURL(/\/codex\/contacts\/new\?company=ACME-001/);
    expect(await page.inputValue("#field-companies")).toBe("ACME-001");
    await page.fill("#field-name", "Browser Person");
    await page.fill("#field-email", taken);
    await clickToNextPage(page, "form.form button.btn--primary");
    await expect(page.locator("#field-email-error").textContent()).resolves.toContain("already used");
    expect(await page.inputValue("#field-name")).toBe("Browser Person");

    await page.fill("#field-email", "browser.person@acmedental.example");
    await page.click("form.form button.btn--primary");
    await page.waitForURL(/\/codex\/contacts\/\d+\?notice=created/);
    await expect(page.locator(".alert--success").textContent()).resolves.toContain("Contact added.");

    await page.goto(`${env.base}/codex/contacts?q=browser+person`);
    await expect(page.locator("table.table").textContent()).resolves.toContain("browser.person@acmedental.example");
    await context.close();
  });

  test("every kind of Codex page meets WCAG 2.1 AA (axe-core, serious and critical) in both themes", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.base, "admin", "/codex/");
    const problems: string[] = [];
    // The board reloads itself every minute (a wall display) and offers "Stop refreshing"; axe
    // flags any timed reload, so the board is checked as someone who stopped it sees it.
    const paths = [
      "/codex/",
      "/codex/companies",
      "/codex/companies/ACME-001",
      "/codex/companies/ACME-001/edit",
      "/codex/contacts",
      "/codex/contacts/new",
      "/codex/assets",
      "/codex/tickets",
      "/codex/tickets/new",
      "/codex/tickets/board?refresh=off",
      "/codex/billing",
      "/codex/billing/plans",
      "/codex/companies/ACME-001/billing",
      "/codex/companies/ACME-001/bill",
      "/codex/billing/invoices",
      "/codex/agents",
      "/codex/settings",
      "/codex/admin",
      "/codex/search?q=acme",
      "/codex/companies/NOPE-404",
    ];
    for (const theme of ["light", "dark"]) {
      await context.addCookies([{ name: "hm_theme", value: theme, url: env.base }]);
      for (const path of paths) {
        await page.goto(`${env.base}${path}`);
        for (const v of await accessibilityViolations(page))
          problems.push(`${theme} ${path}: ${v.rule} (${v.help}) at ${v.nodes.map((n) => n.target).join(", ")}`);
      }
    }
    // A form sent back with its errors (an email the browser accepts and the server does not).
    await page.goto(`${env.base}/codex/contacts/new`);
    await page.fill("#field-name", "A11y Person");
    await page.fill("#field-email", "ann@acmedental.example");
    await page.fill("#field-companies", "NOPE-404");
    await clickToNextPage(page, "form.form button.btn--primary");
    await expect(page.locator(".field__error").count()).resolves.toBeGreaterThan(0);
    for (const v of await accessibilityViolations(page))
      problems.push(`form with errors: ${v.rule} (${v.help}) at ${v.nodes.map((n) => n.target).join(", ")}`);
    expect(problems).toEqual([]);
    await context.close();
  });
});
