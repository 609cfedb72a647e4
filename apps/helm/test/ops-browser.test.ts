import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createBackupKey } from "@hivematrix/lib/backup";
import { freePort, tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import {
  accessibilityViolations,
  browserAvailable,
  clickToNextPage,
  launchBrowser,
} from "@hivematrix/lib/testing/browser";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { eventually, startSupervisor, type Supervised } from "./harness.ts";

/**
 * Helm's operations pages in a browser, through Nexus, under the real supervisor (dev IdP,
 * Core, Helm, Nexus): an admin backs up now and restarts every app with one button each.
 */
let home: string;
let outside: string;
let supervisor: Supervised;
let base: string;
let browser: Browser | null = null;
const run = browserAvailable();

beforeAll(async () => {
  home = tempHome("hm-helm-ops-browser-");
  outside = tempHome("hm-helm-ops-browser-backups-");
  await createBackupKey(join(outside, "backup-key.txt"));
  const ports = { idp: await freePort(), core: await freePort(), helm: await freePort(), nexus: await freePort() };
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: writeServicesFile(home, {
      core: { port: ports.core, visible: false },
      helm: { port: ports.helm, title: "Helm", permission: "admin" },
      nexus: { port: ports.nexus, title: "Nexus", visible: false },
    }),
    KEYCLOAK_URL: `http://127.0.0.1:${ports.idp}`,
    HELM_SCRAPE_INTERVAL_SECONDS: "2",
    HIVEMATRIX_BACKUP_DIR: join(outside, "backups"),
    HIVEMATRIX_BACKUP_KEY: join(outside, "backup-key.txt"),
  };
  supervisor = await startSupervisor(["idp", "core", "helm", "nexus"], env, 150_000);
  base = `http://localhost:${ports.nexus}`;
  if (run) browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await supervisor?.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** What the browser shows and what the platform said last, when a step fails. */
async function reportPage(tab: Page) {
  const heading = await tab
    .locator("h1")
    .first()
    .textContent({ timeout: 2_000 })
    .catch(() => null);
  const lastLines = supervisor.output().split("\n").slice(-40).join("\n");
  console.error(`the page was ${tab.url()} (h1: ${heading ?? "none"}); the platform's last lines:\n${lastLines}`);
}

/** The pid column of each service on the services page. */
async function pids(tab: Page): Promise<Record<string, string>> {
  const rows = tab.locator("section.card:has(h2:text-is('Status')) tbody tr");
  const out: Record<string, string> = {};
  for (const name of ["core", "helm", "nexus"])
    out[name] = (await rows.filter({ hasText: name }).locator("td").nth(2).textContent())!.match(/pid \d+/)![0];
  return out;
}

describe.skipIf(!run)("Helm's operations in a browser", () => {
  let tab: Page;

  beforeAll(async () => {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    context.setDefaultTimeout(60_000);
    tab = await context.newPage();
    await tab.goto(`${base}/helm/services`);
    await tab.fill("#field-username", "admin");
    await tab.fill("#field-password", "admin");
    await tab.click("button[type=submit]");
    await tab.waitForURL(`${base}/helm/services`);
  }, 60_000);

  test("the new pages meet WCAG 2.1 AA (axe: serious, critical) in both themes and use only global.css", async () => {
    const problems: string[] = [];
    try {
      for (const theme of ["light", "dark"]) {
        await tab.context().addCookies([{ name: "hm_theme", value: theme, url: base }]);
        for (const path of [
          "/helm/backups",
          "/helm/performance",
          "/helm/security/certificate",
          "/helm/services/core/output",
        ]) {
          await tab.goto(`${base}${path}`);
          assertClassesDefined(await tab.content(), path);
          for (const v of await accessibilityViolations(tab))
            problems.push(`${theme} ${path}: ${v.rule} (${v.help}) at ${v.nodes.map((n) => n.target).join(", ")}`);
        }
      }
      // The raw output page goes live.
      await tab.waitForFunction(() => document.getElementById("output-status")?.textContent?.startsWith("Live"));
      expect(await tab.locator("#raw-output").textContent()).toContain("core listening");
      expect(problems).toEqual([]);
    } catch (e) {
      await reportPage(tab);
      throw e;
    }
  }, 120_000);

  test("Back up now writes an archive the page then lists for download", async () => {
    try {
      await tab.goto(`${base}/helm/backups`);
      await clickToNextPage(tab, "form[action$='/backups/run'] button");
      await tab.waitForURL(/\/helm\/backups\?run=\d+$/);
      // While it runs the page reloads itself; once done it says what it wrote.
      await eventually(
        async () => {
          await tab.reload();
          return (await tab.locator(".alert--success").count()) > 0;
        },
        60_000,
        "the backup to finish",
      );
      await expect(tab.locator(".alert--success").textContent()).resolves.toMatch(
        /Backup \d+ written: hivematrix-[\dT-]+Z\.tar\.gz\.age/,
      );
      const archive = tab.locator("section.card:has(h2:text-is('Backup files')) tbody tr");
      await expect(archive.count()).resolves.toBe(1);
      const download = tab.waitForEvent("download");
      await archive.locator("a").click();
      expect((await download).suggestedFilename()).toMatch(/^hivematrix-.*\.tar\.gz\.age$/);
      await tab.goto(`${base}/helm/services`);
      await expect(tab.locator(".stat--link:has-text('Last backup') .stat__value").textContent()).resolves.toMatch(
        / ago$/,
      );
    } catch (e) {
      await reportPage(tab);
      throw e;
    }
  }, 120_000);

  test("Restart all restarts Core, Helm and Nexus in order, each healthy again, and says so", async () => {
    try {
      await tab.goto(`${base}/helm/services`);
      const before = await pids(tab);
      await clickToNextPage(tab, "form[action$='/services/restart-all'] button");
      await tab.waitForURL(/\/helm\/services\?action=\d+$/);
      // Core restarts first: the page after the click may find it away and say so; its next load says what began.
      const accepted = tab.url();
      await eventually(
        async () => {
          if (tab.url() !== accepted) await tab.goto(accepted);
          else await tab.reload();
          return (
            (await tab.locator(".alert--success:has-text('Restarting core, helm, nexus in that order')").count()) > 0
          );
        },
        60_000,
        "the restart to be accepted",
      );
      // Helm and Nexus go away in turn: a reload may find either down for a moment.
      await eventually(
        async () => {
          await tab.goto(`${base}/helm/services`);
          return (await tab.locator(".alert--success:has-text('Every app was restarted')").count()) > 0;
        },
        120_000,
        "every app to be restarted",
      );
      const after = await pids(tab);
      for (const name of ["core", "helm", "nexus"])
        expect(`${name} ${after[name]}`).not.toBe(`${name} ${before[name]}`);
      const rows = await tab.locator("section.card:has(h2:text-is('Status')) tbody tr").allTextContents();
      expect(rows.filter((row) => row.includes("running") && row.includes("healthy"))).toHaveLength(4);
      await expect(
        tab.locator("section.card:has(h2:text-is('Recent actions')) tbody tr").first().textContent(),
      ).resolves.toMatch(/admin\s*all\s*restart-all\s*accepted/);
      expect(supervisor.output()).toMatch(/restart all: core, helm, nexus restarted/);
    } catch (e) {
      await reportPage(tab);
      throw e;
    }
  }, 180_000);
});
