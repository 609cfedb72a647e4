import { describe, expect, test } from "bun:test";
import { clickToNextPage } from "@hivematrix/lib/testing/browser";
import { PNG } from "./attachment-helpers.ts";
import { codexInBrowser, signIn } from "./browser-platform.ts";

const { run, env } = codexInBrowser();

describe.skipIf(!run)("the client portal in a browser through Nexus", () => {
  test("a client opens a ticket with a screenshot; the technician sees who opened it and downloads the screenshot", async () => {
    const client = await env.browser.newContext();
    const page = await client.newPage();
    await signIn(page, env.base, "client", "/codex/tickets/new");
    expect(await page.locator("#field-company").count()).toBe(0);
    await page.fill("#field-subject", "Label printer prints blank pages");
    await page.selectOption("#field-priority", "high");
    await page.fill("#field-description", "Screenshot of the error attached.");
    await page.setInputFiles("#field-attachments", {
      name: "printer-error.png",
      mimeType: "image/png",
      buffer: Buffer.from(PNG),
    });
    await clickToNextPage(page, "form.form button.btn--primary");
    await page.waitForURL(/\/codex\/tickets\/\d+\?notice=created/);
    const path = new URL(page.url()).pathname;
    await expect(page.locator(".alert--success").textContent()).resolves.toContain("Ticket created.");
    await expect(page.locator("main").textContent()).resolves.toContain("printer-error.png");
    await client.close();

    const staff = await env.browser.newContext();
    const tech = await staff.newPage();
    await signIn(tech, env.base, "tech", path);
    const details = (await tech.locator("main").textContent()) ?? "";
    expect(details).toContain("Label printer prints blank pages");
    expect(details).toContain("Opened by");
    expect(details).toMatch(/Opened by\s*\S+/);
    const link = tech.locator("a", { hasText: "printer-error.png" });
    const href = (await link.getAttribute("href"))!;
    const file = await tech.request.get(`${env.base}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toBe("image/png");
    expect(file.headers()["content-disposition"]).toStartWith("attachment;");
    expect(file.headers()["x-content-type-options"]).toBe("nosniff");
    expect(new Uint8Array(await file.body())).toEqual(PNG);
    await staff.close();
  });
});
