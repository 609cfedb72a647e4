import { z } from "zod";
import { apiRoute, noStore, type RouteTable } from "@hivematrix/lib/route-table";
import { NEXUS_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { infoOf } from "../proxy/request-info.ts";
import { clearCookie, LOGIN_COOKIE, readCookie, SESSION_COOKIE, serializeCookie } from "../sessions/cookies.ts";
import { exchangeAtCore } from "../sessions/core.ts";
import { isSession, type SessionCookie } from "../sessions/sessions.ts";
import { LoginError } from "./oidc.ts";
import { startLogin } from "./start.ts";
import { safeTarget } from "./targets.ts";
import { LoginErrorPage } from "./views.tsx";

const redirect = (description: string) => ({
  description,
  headers: z.object({ location: z.string().meta({ description: "Where the browser goes next" }) }),
});
const page = (description: string) => ({ description, content: { "text/html": { schema: z.string() } } });

const loginRoute = apiRoute({
  method: "get",
  path: "/login",
  access: NEXUS_ACCESS.anyone,
  tags: ["Sign-in"],
  summary: "Sign in at the identity provider, then return to `next`; a signed-in browser goes there at once",
  request: {
    query: z.object({
      next: z.string().max(2048).optional().meta({ description: "A path on this site (anything else means /)" }),
    }),
  },
  responses: {
    302: redirect("To the identity provider's sign-in page (PKCE, state and nonce in a sealed cookie)"),
    303: redirect("Already signed in: to `next`"),
  },
});

const callbackRoute = apiRoute({
  method: "get",
  path: "/keycloak-callback",
  access: NEXUS_ACCESS.anyone,
  tags: ["Sign-in"],
  summary: "The identity provider's answer: redeems the code, opens a session at Core, sets the session cookie",
  description: "Only the browser holding the sign-in cookie of the same attempt can finish it.",
  request: {
    query: z.looseObject({
      code: z.string().max(4096).optional(),
      state: z.string().max(512).optional(),
      error: z.string().max(512).optional(),
      error_description: z.string().max(2048).optional(),
    }),
  },
  responses: {
    303: redirect("Signed in: to the page the sign-in started from, or the person's chosen home app"),
    400: page("The answer does not match this browser's attempt, or the identity provider refused"),
    403: page("Core refused the account (a client user not linked to a company)"),
    502: page("Core answered something other than a session"),
    503: page("Core cannot be reached"),
  },
});

/** Cookies above ~4 KB are dropped by browsers; the ID token is only a logout hint, so it goes first. */
const MAX_COOKIE_CHARS = 3800;

/** Signing in: /login starts it, the identity provider returns the browser to /keycloak-callback. */
export function signInPages(routes: RouteTable, deps: Deps) {
  const { oidc, sessions, sealer } = deps;

  routes.api(loginRoute, async (c) => {
    const { next } = c.req.valid("query");
    const info = infoOf(c);
    const found = await sessions.resolve(c.req.raw).catch(() => ({ stale: false }));
    if (isSession(found)) return c.redirect(safeTarget(next), 303);
    return startLogin(oidc, info.publicOrigin, info.secure, next ?? "/");
  });

  routes.api({ ...callbackRoute, middleware: noStore }, async (c) => {
    const info = infoOf(c);
    c.header("Set-Cookie", clearCookie(LOGIN_COOKIE, info.secure, "/keycloak-callback"), { append: true });
    let result: Awaited<ReturnType<Deps["oidc"]["finish"]>>;
    try {
      result = await oidc.finish(
        info.publicOrigin,
        c.req.valid("query"),
        readCookie(c.req.header("cookie") ?? null, LOGIN_COOKIE),
      );
    } catch (e) {
      if (!(e instanceof LoginError)) throw e;
      deps.logger.info("sign-in refused", { reason: e.message });
      c.status(400);
      return c.render(<LoginErrorPage message={e.message} retry="/login" />, { title: "Sign-in failed" });
    }
    const userAgent = c.req.header("user-agent") ?? "";
    const exchanged = await exchangeAtCore(
      deps.config.services.core!.instanceUrls,
      result.accessToken,
      info.clientIp,
      userAgent,
    );
    if ("error" in exchanged) {
      c.status(exchanged.status);
      const retry = `/login?next=${encodeURIComponent(result.target)}`;
      return c.render(<LoginErrorPage message={exchanged.error} retry={retry} />, { title: "Sign-in failed" });
    }
    const maxAge = exchanged.expiresAt - Date.now() / 1000;
    let sealed = await sealer.seal({ t: exchanged.token, i: result.idToken } satisfies SessionCookie, "session");
    if (sealed.length > MAX_COOKIE_CHARS)
      sealed = await sealer.seal({ t: exchanged.token, i: null } satisfies SessionCookie, "session");
    c.header("Set-Cookie", serializeCookie(SESSION_COOKIE, sealed, { maxAge, secure: info.secure }), { append: true });
    const target = safeTarget(result.target);
    return c.redirect(target === "/" ? await deps.homePreference(exchanged.token, exchanged.level) : target, 303);
  });
}
