import type { Hono, MiddlewareHandler } from "hono";
import { decodeJwt } from "jose";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import type { PermissionLevel } from "@hivematrix/lib/config";
import type { Csrf } from "@hivematrix/lib/csrf";
import { HttpError } from "@hivematrix/lib/errors";
import type { Logger } from "@hivematrix/lib/log";
import { queryParams } from "@hivematrix/lib/validate";
import { clearCookie, LOGIN_COOKIE, readCookie, serializeCookie, SESSION_COOKIE } from "../cookies.ts";
import { startLogin } from "../login-redirect.ts";
import type { HomePreference } from "../home-preference.ts";
import { LoginError, type Oidc } from "../oidc.ts";
import { isCrossSite } from "../cross-site.ts";
import type { Sealer } from "../seal.ts";
import { isSession, type SessionCookie, type Sessions } from "../sessions.ts";
import { safeTarget } from "../targets.ts";
import { ConfirmSignOutPage, LoginErrorPage, SignedOutPage } from "../views/pages.tsx";
import { infoOf } from "./context.ts";

export interface SessionPageDeps {
  coreUrl: string;
  oidc: Oidc;
  sessions: Sessions;
  sealer: Sealer;
  csrf: Csrf;
  logger: Logger;
  /** Drops a session's cached verdict so a logout is refused at once, not after the cache's 2 s. */
  forgetSession: (jti: string) => void;
  homePreference: HomePreference;
}

/** Cookies above ~4 KB are dropped by browsers; the ID token is only a logout hint, so it goes first. */
const MAX_COOKIE_CHARS = 3800;

/** Nexus's own pages need a signed-in person; without one the browser is sent to sign in. */
export function pageSession(sessions: Sessions, oidc: Oidc): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const info = infoOf(c);
    const found = await sessions.resolve(c.req.raw);
    if (!isSession(found)) {
      return startLogin(
        oidc,
        info.publicOrigin,
        info.secure,
        info.pathAndQuery,
        found.stale ? [clearCookie(SESSION_COOKIE, info.secure)] : [],
      );
    }
    c.set("user", found.claims);
    c.set("token", found.token);
    c.header("Cache-Control", "no-store");
    await next();
  };
}

/** Refuses Nexus's own state-changing forms when posted from another site. */
export const sameOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (isCrossSite(c.req.raw, infoOf(c).origin))
    throw new HttpError(403, "csrf_refused", "This request came from another site, so it was refused.");
  await next();
};

/** Sign-in (/login, /keycloak-callback), sign-out (/logout) and the signed-out page. */
export function sessionRoutes(app: Hono<AppEnv>, deps: SessionPageDeps) {
  const { oidc, sessions, sealer } = deps;

  app.get("/login", async (c) => {
    const { next } = queryParams(c, z.object({ next: z.string().max(2048).optional() }));
    const info = infoOf(c);
    const found = await sessions.resolve(c.req.raw).catch(() => ({ stale: false }));
    if (isSession(found)) return c.redirect(safeTarget(next), 303);
    return startLogin(oidc, info.publicOrigin, info.secure, next ?? "/");
  });

  app.get("/keycloak-callback", async (c) => {
    const info = infoOf(c);
    c.header("Cache-Control", "no-store");
    c.header("Set-Cookie", clearCookie(LOGIN_COOKIE, info.secure, "/keycloak-callback"), { append: true });
    const params = new URL(c.req.url).searchParams;
    let result: Awaited<ReturnType<Oidc["finish"]>>;
    try {
      result = await oidc.finish(info.publicOrigin, params, readCookie(c.req.header("cookie") ?? null, LOGIN_COOKIE));
    } catch (e) {
      if (!(e instanceof LoginError)) throw e;
      deps.logger.info("sign-in refused", { reason: e.message });
      return c.html(<LoginErrorPage message={e.message} retry="/login" />, 400);
    }
    const exchanged = await exchangeAtCore(
      deps.coreUrl,
      result.accessToken,
      info.clientIp,
      c.req.header("user-agent") ?? "",
    );
    if ("error" in exchanged)
      return c.html(
        <LoginErrorPage message={exchanged.error} retry={`/login?next=${encodeURIComponent(result.target)}`} />,
        exchanged.status,
      );
    const maxAge = exchanged.expiresAt - Date.now() / 1000;
    let sealed = await sealer.seal({ t: exchanged.token, i: result.idToken } satisfies SessionCookie, "session");
    if (sealed.length > MAX_COOKIE_CHARS)
      sealed = await sealer.seal({ t: exchanged.token, i: null } satisfies SessionCookie, "session");
    c.header("Set-Cookie", serializeCookie(SESSION_COOKIE, sealed, { maxAge, secure: info.secure }), { append: true });
    const target = safeTarget(result.target);
    return c.redirect(target === "/" ? await deps.homePreference(exchanged.token, exchanged.level) : target, 303);
  });

  app.get("/logout", pageSession(sessions, oidc), (c) => c.html(<ConfirmSignOutPage csrf={deps.csrf.token(c)} />));

  app.post("/logout", sameOrigin, async (c) => {
    const info = infoOf(c);
    const sealed = readCookie(c.req.header("cookie") ?? null, SESSION_COOKIE);
    const found = sealed ? await sessions.resolve(c.req.raw).catch(() => ({ stale: true })) : { stale: false };
    let idToken: string | null = null;
    if (isSession(found) && found.via === "cookie") {
      c.set("user", found.claims);
      const form = await c.req.parseBody();
      deps.csrf.verify(c, typeof form._csrf === "string" ? form._csrf : undefined);
      // Take the token first and revoke it at Core, so the session is dead before the cookie goes.
      await revokeAtCore(deps.coreUrl, found.token, deps.logger);
      deps.forgetSession(found.claims.jti);
      idToken = found.idToken;
      deps.logger.info("signed out", { user: found.claims.preferred_username });
    }
    if (sealed) sealer.forget(sealed);
    c.header("Set-Cookie", clearCookie(SESSION_COOKIE, info.secure));
    c.header("Clear-Site-Data", '"cache", "storage"');
    c.header("Cache-Control", "no-store");
    // The identity provider ends its own session, then returns the browser to /signed-out.
    return c.redirect(isSession(found) ? oidc.logoutUrl(info.publicOrigin, idToken) : "/signed-out", 303);
  });

  app.get("/signed-out", (c) => {
    const info = infoOf(c);
    c.header("Set-Cookie", clearCookie(SESSION_COOKIE, info.secure));
    c.header("Clear-Site-Data", '"cache", "cookies", "storage"');
    c.header("Cache-Control", "no-store");
    return c.html(<SignedOutPage />);
  });
}

type Exchanged =
  | { token: string; expiresAt: number; level: PermissionLevel }
  | { error: string; status: 403 | 502 | 503 };

async function exchangeAtCore(
  coreUrl: string,
  accessToken: string,
  clientIp: string,
  userAgent: string,
): Promise<Exchanged> {
  let res: Response;
  try {
    res = await fetch(`${coreUrl}/api/token/exchange`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        access_token: accessToken,
        client_ip: clientIp.slice(0, 100),
        user_agent: userAgent.slice(0, 1000),
      }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return { error: "The identity service (Core) cannot be reached. Try again in a moment.", status: 503 };
  }
  const body = (await res.json().catch(() => null)) as {
    token?: string;
    expires_at?: string;
    error?: { message?: string };
  } | null;
  if (!res.ok || !body?.token || !body.expires_at) {
    const message = body?.error?.message ?? `Core answered ${res.status}.`;
    return { error: `Your sign-in could not be completed: ${message}`, status: res.status === 403 ? 403 : 502 };
  }
  return { token: body.token, expiresAt: Date.parse(body.expires_at) / 1000, level: levelOf(body.token) };
}

async function revokeAtCore(coreUrl: string, token: string, logger: Logger): Promise<void> {
  try {
    const res = await fetch(`${coreUrl}/api/token/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok && res.status !== 404)
      logger.error("Core refused to revoke a session at sign-out", { status: res.status });
  } catch (e) {
    logger.error("Core unreachable at sign-out; the session stays valid until it expires", { error: e });
  }
}

/** The permission level in a token Core just issued to Nexus itself (so already trusted; it is verified on every use). */
function levelOf(token: string): PermissionLevel {
  return (decodeJwt(token) as { permission_level: PermissionLevel }).permission_level;
}
