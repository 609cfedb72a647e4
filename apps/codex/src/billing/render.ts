import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";

/** What a billing page shows besides its body: its title, what was just done, and a form's errors. */
export interface BillingPage {
  title: string;
  /** What the last action did (a success notice). */
  done?: string | null;
  /** A form's errors: the page answers 422 and says `failed`. */
  errors?: Record<string, string>;
  failed?: string;
}

/** Renders a billing page in Codex's layout; a form with errors makes it a 422. */
export function renderBillingPage(c: Context<AppEnv>, body: Parameters<Context["render"]>[0], page: BillingPage) {
  const failed = Object.keys(page.errors ?? {}).length > 0;
  if (failed) c.status(422);
  return c.render(body, {
    title: page.title,
    section: "billing",
    notice: page.done
      ? { variant: "success", text: page.done }
      : failed
        ? { variant: "error", text: page.failed ?? "Check the form below." }
        : null,
  });
}
