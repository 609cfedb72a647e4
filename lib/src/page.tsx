import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { jsxRenderer, useRequestContext } from "hono/jsx-renderer";
import { type AppEnv, prefixOf } from "./app.ts";
import type { UserClaims } from "./auth.ts";
import type { PermissionLevel } from "./config.ts";
import type { Csrf } from "./csrf.ts";

/** What every page knows about its request, set by the route table before a page handler runs. */
export interface PageInfo {
  /** Nexus's prefix for this app (`/codex`), or "" when reached directly. */
  prefix: string;
  user: UserClaims;
  level: PermissionLevel;
  /** The client's account number (client users only). */
  company: string | null;
  /** The token for this session's forms (their hidden `_csrf` field). */
  csrf: string;
  /** A link to `path` of this app that works behind Nexus and directly. */
  url(path: string): string;
}

export function pageInfo(c: Context, csrf: Csrf): PageInfo {
  const user = c.get("user") as UserClaims;
  const prefix = prefixOf(c);
  return {
    prefix,
    user,
    level: user.permission_level,
    company: user.permission_level === "client" ? (user.company ?? null) : null,
    csrf: csrf.token(c),
    url: (path: string) => prefix + (path.startsWith("/") ? path : `/${path}`),
  };
}

/** The page being rendered, for any component under an app's layout (`c.render` in a page route). */
export function usePage(): PageInfo {
  const page = useRequestContext<AppEnv>().get("page");
  if (!page) throw new Error("usePage() was called outside a page route");
  return page;
}

export interface Notice {
  variant: "success" | "error" | "info";
  text: string;
}

/** What a page handler tells its app's layout: `c.render(<Body />, { title, section })`. */
export interface PageProps {
  title: string;
  /** The navigation entry to mark as current. */
  section?: string;
  notice?: Notice | null;
  /** Reload the page every this many seconds (wall displays that must work without scripts). */
  refreshSeconds?: number;
}

declare module "hono" {
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: module augmentation must stay an interface
    (content: string | Promise<string>, props: PageProps): Response | Promise<Response>;
  }
}

/**
 * The app's layout, once: every page handler's `c.render(body, props)` is wrapped in it. The
 * layout writes its own doctype (lib/ui Layout), so the renderer adds none.
 */
export function pageRenderer(layout: (props: PageProps & { children?: Child }) => Child) {
  return jsxRenderer(({ children, ...props }) => layout({ ...(props as PageProps), children }) as never, {
    docType: false,
  });
}
