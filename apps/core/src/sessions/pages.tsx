import { z } from "zod";
import { notFound } from "@hivematrix/lib/errors";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { parseWith } from "@hivematrix/lib/validate";
import { CORE_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { findSession, judgeSession, listActiveSessions, revokeSession } from "./data.ts";
import { endIdpSessions } from "./idp-logout.ts";
import { sessionId } from "./json.ts";
import { SessionsPage } from "./views.tsx";

const username = z.string().regex(/^[\w.@-]{1,100}$/);

export function sessionsPages(routes: RouteTable, deps: Deps) {
  routes.page(pageRoute({ method: "get", path: "/", access: CORE_ACCESS.signedIn }), (c) =>
    c.redirect(c.get("page")!.url("/sessions")),
  );

  routes.page(pageRoute({ method: "get", path: "/sessions", access: CORE_ACCESS.adminPages }), async (c) => {
    const revoked = username.safeParse(c.req.query("revoked"));
    const idpFailed = revoked.success && c.req.query("idp") === "failed";
    return c.render(
      <SessionsPage
        sessions={await listActiveSessions(deps.db)}
        currentSessionId={c.get("user")!.jti}
        warning={
          idpFailed
            ? "Their sign-in at the identity provider could not be ended (see Core's log), so that browser may be" +
              " signed in again without a password until it expires there."
            : undefined
        }
      />,
      {
        title: "Active sessions",
        notice: revoked.success ? { variant: "success", text: `Revoked a session of ${revoked.data}.` } : null,
      },
    );
  });

  routes.page(
    pageRoute({ method: "post", path: "/sessions/{id}/revoke", access: CORE_ACCESS.adminPages }),
    async (c) => {
      const id = parseWith(sessionId, c.req.param("id"), "The session id is invalid.");
      const target = judgeSession(await findSession(deps.db, id));
      if (!target.valid) throw notFound("That session has already ended.");
      await revokeSession(deps.db, id);
      await deps.revocations.announce(id);
      deps.logger.info("session revoked by admin", { session: id.slice(0, 8), by: c.get("user")!.preferred_username });
      const idp = await endIdpSessions(deps, target.session);
      const failed = typeof idp === "object" ? "&idp=failed" : "";
      const who = encodeURIComponent(target.session.username);
      return c.redirect(c.get("page")!.url(`/sessions?revoked=${who}${failed}`), 303);
    },
  );
}
