import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import type { Deps } from "../deps.ts";
import { infoOf } from "../proxy/request-info.ts";
import { signInAnswer } from "../sign-in/start.ts";
import { isSession } from "./sessions.ts";

/**
 * Who is calling one of Nexus's own routes: a bearer token (an API client, or a service reading
 * the API document) checked as every app checks it, else the browser's session cookie. Without
 * either, a browser navigating is sent to sign in and anything else gets a 401, as from the proxy.
 */
export function ownRouteCaller(deps: Pick<Deps, "auth" | "sessions" | "oidc">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.header("authorization")) return deps.auth.tokenRequired(c, next);
    const found = await deps.sessions.resolve(c.req.raw);
    if (!isSession(found)) return signInAnswer(deps.oidc, c.req.raw, infoOf(c), found.stale);
    c.set("user", found.claims);
    c.set("token", found.token);
    await next();
  };
}
