import { errorResponse, wantsJson } from "@hivematrix/lib/errors";
import type { RequestInfo } from "../proxy/request-info.ts";
import { clearCookie, LOGIN_COOKIE, SESSION_COOKIE, serializeCookie } from "../sessions/cookies.ts";
import type { Oidc } from "./oidc.ts";
import { safeTarget } from "./targets.ts";

/** Sends a browser to sign in, remembering (in the sealed login cookie) where it was going. */
export async function startLogin(
  oidc: Oidc,
  origin: string,
  secure: boolean,
  target: string,
  extraCookies: string[] = [],
): Promise<Response> {
  const login = await oidc.start(origin, safeTarget(target));
  const headers = new Headers({ location: login.location, "cache-control": "no-store" });
  for (const c of extraCookies) headers.append("set-cookie", c);
  headers.append(
    "set-cookie",
    serializeCookie(LOGIN_COOKIE, login.cookie, { maxAge: oidc.loginMaxAge, path: "/keycloak-callback", secure }),
  );
  return new Response(null, { status: 302, headers });
}

/**
 * What a caller without a session gets, from the proxy and from Nexus's own routes alike: a
 * browser navigating is sent to sign in and comes back; anything else is a 401. A session
 * cookie that no longer works (`stale`) is cleared either way.
 */
export async function signInAnswer(oidc: Oidc, req: Request, info: RequestInfo, stale: boolean): Promise<Response> {
  const cleared = stale ? [clearCookie(SESSION_COOKIE, info.secure)] : [];
  const navigation = (req.method === "GET" || req.method === "HEAD") && !wantsJson(req, info.path);
  if (navigation) return startLogin(oidc, info.publicOrigin, info.secure, info.pathAndQuery, cleared);
  const res = await errorResponse(
    req,
    info.path,
    401,
    "unauthorized",
    "Sign in first, or send Authorization: Bearer <HiveMatrix JWT>.",
    { "WWW-Authenticate": 'Bearer realm="hivematrix"' },
  );
  for (const c of cleared) res.headers.append("set-cookie", c);
  return res;
}
