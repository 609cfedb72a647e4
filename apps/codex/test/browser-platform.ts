import { afterAll, beforeAll, setDefaultTimeout } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { startPlatform, type TestPlatform } from "@hivematrix/lib/testing";
import { browserAvailable, launchBrowser } from "@hivematrix/lib/testing/browser";

export interface CodexInBrowser {
  /** Nexus's public address, e.g. http://localhost:40013. */
  base: string;
  browser: Browser;
}

/**
 * What every Codex browser test starts from: the dev IdP, Core, Codex (seeding its demo data)
 * and Nexus as real processes, and a browser. Call at the top of a test file; `run` is false
 * when no browser is installed, and the fields of `env` are set once `beforeAll` has run.
 */
export function codexInBrowser(): { run: boolean; env: CodexInBrowser } {
  // Real processes and a browser on a shared machine.
  setDefaultTimeout(120_000);
  const run = browserAvailable();
  const env = {} as CodexInBrowser;
  let platform: TestPlatform | undefined;
  beforeAll(async () => {
    if (!run) return;
    platform = await startPlatform({
      idp: true,
      apps: { codex: { title: "Codex", visible: true }, nexus: { title: "Nexus", visible: false } },
    });
    env.base = platform.urls.nexus!;
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await platform?.stop();
  });
  return { run, env };
}

/** Opens `path` through Nexus, signs in on the IdP's page as the dev user `user` (password = name) and lands back on `path`. */
export async function signIn(page: Page, base: string, user: string, path: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.fill("#field-username", user);
  await page.fill("#field-password", user);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}${path}`);
}
