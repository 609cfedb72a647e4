import { LOGIN_COOKIE, serializeCookie } from "./cookies.ts";
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
