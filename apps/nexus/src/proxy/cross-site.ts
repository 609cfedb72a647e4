import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { HttpError } from "@hivematrix/lib/errors";
import { infoOf } from "./request-info.ts";

/** Cross-site state-changing requests are refused (CSRF): Sec-Fetch-Site, else Origin, must be this site. */
export function isCrossSite(req: Request, origin: string): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const site = req.headers.get("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const from = req.headers.get("origin");
  return from !== null && from !== origin;
}

/**
 * Refuses Nexus's own forms (sign-out, the theme) when posted from another site: the browser
 * sends the session cookie along with any cross-site POST.
 */
export const refuseCrossSiteForms: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (isCrossSite(c.req.raw, infoOf(c).origin))
    throw new HttpError(403, "csrf_refused", "This request came from another site, so it was refused.");
  await next();
};
