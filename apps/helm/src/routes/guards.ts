import type { Context, MiddlewareHandler } from "hono";
import { prefixOf } from "@hivematrix/lib/app";
import { HttpError } from "@hivematrix/lib/errors";
import type { HelmDeps } from "../context.ts";
import type { PageContext } from "../views/shell.tsx";

/** Pages: admins only (people, not services), CSRF on every state change, never cached. */
export function adminPages(deps: HelmDeps) {
  const noStore: MiddlewareHandler = async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  };
  return [noStore, deps.auth.requireUser("admin"), deps.csrf.protect] as const;
}

/**
 * State-changing JSON APIs need a JSON content type: a cross-site form cannot send one, so a
 * browser's cookie (through Nexus) cannot be used to call them from another site.
 */
export const jsonOnly: MiddlewareHandler = async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(
      415,
      "unsupported_media_type",
      "Send Content-Type: application/json (the body may be empty or {}).",
    );
  await next();
};

export function pageContext(c: Context, deps: HelmDeps): PageContext {
  const user = c.get("user")!;
  return {
    prefix: prefixOf(c),
    user: { name: user.name, level: user.permission_level },
    userId: user.sub,
    csrf: deps.csrf.token(c),
  };
}

/** Who did it, for logs and the actions list. */
export function actorOf(c: Context): string {
  const user = c.get("user") as { preferred_username: string } | null;
  return user ? user.preferred_username : `service:${c.get("service")}`;
}
