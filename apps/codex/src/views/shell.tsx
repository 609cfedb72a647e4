import type { Child } from "hono/jsx";
import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import type { PageInfo, PageProps } from "@hivematrix/lib/page";
import { CodexFrame } from "../layout.tsx";

/**
 * For the pages still on routes/registry.ts, which render with `c.html` and hand the request's
 * page context down through props; converted pages use `c.render` and usePage() instead. This
 * file goes with the last of them.
 */
export type PageCtx = PageInfo;

/** The page context lib's route table set for this page request. */
export function pageCtx(c: Context<AppEnv>): PageCtx {
  return c.get("page")!;
}

/** A Codex page rendered with `c.html`: Codex's layout, given its page context. */
export function Shell({ p, ...props }: PageProps & { p: PageCtx; children?: Child }) {
  return <CodexFrame page={p} {...props} />;
}
