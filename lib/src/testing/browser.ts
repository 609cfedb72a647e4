import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/**
 * Whether browser tests can run: Debian's Chromium is installed. Without it they are skipped,
 * unless HIVEMATRIX_REQUIRE_BROWSER=1 (CI) makes that an error.
 */
export function browserAvailable(): boolean {
  const ok = existsSync(CHROMIUM);
  if (!ok && process.env.HIVEMATRIX_REQUIRE_BROWSER === "1") {
    throw new Error(`HIVEMATRIX_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install -y chromium)`);
  }
  return ok;
}

/** Headless Debian Chromium driven by playwright-core; never downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Clicks what leads to another page (a submit button, a link) and waits until that page has
 * loaded. Reading the page right after a bare click can hang in Playwright when the query lands
 * while the old document is going away (seen about once in fifteen runs, the new page fully shown);
 * `waitForLoadState` after the click is no help, as the old page already counts as loaded.
 */
export async function clickToNextPage(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForEvent("domcontentloaded"), page.click(selector)]);
}
