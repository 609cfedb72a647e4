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

export interface A11yViolation {
  rule: string;
  impact: string;
  help: string;
  /** Where on the page, as CSS selectors, and the offending markup. */
  nodes: { target: string; html: string }[];
}

/** axe-core's script (about 500 KB), read once however many pages are checked. */
let axeSource: Promise<string> | undefined;

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it stands and returns what it finds
 * with impact serious or critical. axe is injected as a script, so the page's own CSP, which
 * forbids inline scripts, is bypassed by Playwright's evaluation rather than loosened.
 */
export async function accessibilityViolations(page: Page): Promise<A11yViolation[]> {
  axeSource ??= Bun.file(require.resolve("axe-core/axe.min.js")).text();
  await page.evaluate(await axeSource);
  const found = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{
            violations: {
              id: string;
              impact: string | null;
              help: string;
              nodes: { target: unknown[]; html: string }[];
            }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? "unknown",
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.map(String).join(" "), html: n.html.slice(0, 200) })),
    }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}
