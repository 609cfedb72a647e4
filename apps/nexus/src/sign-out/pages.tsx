import { z } from "zod";
import { apiRoute, noStore, pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { NEXUS_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { infoOf } from "../proxy/request-info.ts";
import { clearCookie, readCookie, SESSION_COOKIE } from "../sessions/cookies.ts";
import { revokeAtCore } from "../sessions/core.ts";
import { isSession } from "../sessions/sessions.ts";
import { ConfirmSignOutPage, SignedOutPage } from "./views.tsx";

const signOutRoute = apiRoute({
  method: "post",
  path: "/logout",
  access: NEXUS_ACCESS.anyone,
  tags: ["Sign-out"],
  summary: "Sign out: revoke the session at Core, clear the cookie and site data, end the identity provider's session",
  description: "With a session cookie the form's CSRF token is required; without a session it only clears the cookie.",
  request: {
    body: {
      required: false,
      content: { "application/x-www-form-urlencoded": { schema: z.object({ _csrf: z.string().max(200).optional() }) } },
    },
  },
  responses: {
    303: {
      description: "To the identity provider's end-session page, which returns to /signed-out (or to /signed-out)",
      headers: z.object({ location: z.string() }),
    },
  },
});

const signedOutRoute = apiRoute({
  method: "get",
  path: "/signed-out",
  access: NEXUS_ACCESS.anyone,
  tags: ["Sign-out"],
  summary: "The page a browser lands on after signing out; clears the browser's cookies, cache and storage",
  responses: { 200: { description: "The page", content: { "text/html": { schema: z.string() } } } },
});

/** Signing out: a confirmation page, the form it posts, and the page after. */
export function signOutPages(routes: RouteTable, deps: Deps) {
  const { sessions, sealer, oidc } = deps;

  routes.page(pageRoute({ method: "get", path: "/logout", access: NEXUS_ACCESS.signedIn }), (c) =>
    c.render(<ConfirmSignOutPage />, { title: "Sign out" }),
  );

  routes.api({ ...signOutRoute, middleware: noStore }, async (c) => {
    const info = infoOf(c);
    const sealed = readCookie(c.req.header("cookie") ?? null, SESSION_COOKIE);
    const found = sealed ? await sessions.resolve(c.req.raw).catch(() => ({ stale: true })) : { stale: false };
    let idToken: string | null = null;
    if (isSession(found) && found.via === "cookie") {
      c.set("user", found.claims);
      deps.csrf.verify(c, c.req.valid("form")._csrf);
      // Take the token first and revoke it at Core, so the session is dead before the cookie goes.
      await revokeAtCore(deps.config.services.core!.instanceUrls, found.token, deps.logger);
      deps.forgetSession(found.claims.jti);
      idToken = found.idToken;
      deps.logger.info("signed out", { user: found.claims.preferred_username });
    }
    if (sealed) sealer.forget(sealed);
    c.header("Set-Cookie", clearCookie(SESSION_COOKIE, info.secure));
    c.header("Clear-Site-Data", '"cache", "storage"');
    // The identity provider ends its own session, then returns the browser to /signed-out.
    return c.redirect(isSession(found) ? oidc.logoutUrl(info.publicOrigin, idToken) : "/signed-out", 303);
  });

  routes.api({ ...signedOutRoute, middleware: noStore }, (c) => {
    c.header("Set-Cookie", clearCookie(SESSION_COOKIE, infoOf(c).secure));
    c.header("Clear-Site-Data", '"cache", "cookies", "storage"');
    return c.render(<SignedOutPage />, { title: "Signed out" });
  });
}
