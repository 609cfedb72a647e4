import { describe, expect, test } from "bun:test";
import { clickToNextPage } from "@hivematrix/lib/testing/browser";
import { codexInBrowser, signIn } from "./browser-platform.ts";

const { run, env } = codexInBrowser();

describe.skipIf(!run)("Codex operations in a browser through Nexus", () => {
  test("tech assigns a contact to an asset and takes it back, then reads the ticket board", async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, env.base, "tech", "/codex/assets?company=ACME-001");
    await page.click("table.table a >> nth=0");
    await page.waitForURL(/\/codex\/assets\/\d+$/);
    const assetUrl = page.url();

    const option = page.locator("#field-contact_id option >> nth=1");
    const name = ((await option.textContent()) ?? "").replace(/ \(.*\)$/, "");
    await page.selectOption("#field-contact_id", (await option.getAttribute("value"))!);
    await page.click("text=Assign contact");
    await page.waitForURL(/notice=assigned/);
    await expect(page.locator(".alert--success").textContent()).resolves.toContain("Contact assigned.");
    await expect(page.locator("table.table").first().textContent()).resolves.toContain(name);

    await page.click(`form[aria-label="Unassign ${name}"] button`);
    await page.waitForURL(/notice=unassigned/);
    expect(page.url()).toStartWith(assetUrl);
    await expect(page.locator("main").textContent()).resolves.toContain("Nobody is assigned to this asset");

    await page.click("text=Ticket board");
    await page.waitForURL(`${env.base}/codex/tickets/board`);
    for (const title of ["Open, update needed and pending", "Customer replied", "Update overdue", "Other active"])
      await expect(page.locator("main").textContent()).resolves.toContain(title);
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute("content")).toBe("60");
    await page.selectOption("#field-assignee", "unassigned");
    await page.click("form.toolbar button[type=submit]");
    await page.waitForURL(/assignee=unassigned/);
    // Every demo ticket has an assignee.
    await expect(page.locator("#section3").textContent()).resolves.toContain("Update overdue (0)");
    await page.click("nav >> text=Ticket board");
    await page.waitForURL(`${env.base}/codex/tickets/board`);
    await page.click("#section3 table.table a >> nth=0");
    await page.waitForURL(/\/codex\/tickets\/\d+$/);
    await context.close();
  });

  test("admin clears the tickets only after typing the words shown", async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, env.base, "admin", "/codex/admin");
    await page.click("text=Clear data");
    await page.waitForURL(`${env.base}/codex/admin/clear-data`);
    await page.selectOption("#field-kind", "tickets");
    await page.click("text=Continue");
    await page.waitForURL(/kind=tickets/);
    const phrase = ((await page.locator("label[for=field-confirm]").textContent()) ?? "")
      .replace(/^Type /, "")
      .replace(/\s*\*$/, "");
    expect(phrase).toMatch(/^DELETE [\d,]+ TICKETS$/);

    await page.fill("#field-confirm", "DELETE THEM");
    await clickToNextPage(page, "form[aria-label='Clear tickets'] button.btn--danger");
    await expect(page.locator("#field-confirm-error").textContent()).resolves.toContain(`That is not ${phrase}`);

    await page.fill("#field-confirm", phrase);
    await page.click("form[aria-label='Clear tickets'] button.btn--danger");
    await page.waitForURL(/cleared=1/);
    await expect(page.locator(".alert--success").textContent()).resolves.toContain("Cleared.");
    const tickets = (await (await page.request.get(`${env.base}/codex/api/tickets?limit=1`)).json()) as {
      items: unknown[];
    };
    expect(tickets.items).toEqual([]);
    await context.close();
  });
});
