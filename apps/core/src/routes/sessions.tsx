import type { Hono } from "hono";
import { z } from "zod";
import { prefixOf, type AppEnv } from "@hivematrix/lib/app";
import { notFound } from "@hivematrix/lib/errors";
import { parseWith, queryParams } from "@hivematrix/lib/validate";
import type { CoreDeps } from "../context.ts";
import { endIdpSessions, type IdpLogout } from "../idp-logout.ts";
import { findSession, judgeSession, listActiveSessions, revokeSession } from "../sessions.ts";
import type { SessionRow } from "../db/schema.ts";
import { SessionsPage } from "../views/sessions-page.tsx";

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{10,100}$/, "a session id");

function publicSession(s: SessionRow) {
  return {
    id: s.id,
    user: { sub: s.sub, username: s.username, name: s.name, email: s.email, company: s.company },
    permission_level: s.permissionLevel,
    source: s.source,
    created_at: s.createdAt.toISOString(),
    expires_at: s.expiresAt.toISOString(),
    last_seen_at: s.lastSeenAt?.toISOString() ?? null,
    ip: s.ip,
    user_agent: s.userAgent,
  };
}

export function sessionRoutes(app: Hono<AppEnv>, deps: CoreDeps) {
  const { adminRequired, userRequired, requireUser } = deps.auth;

  app.get("/api/sessions", adminRequired, async (c) => {
    queryParams(c, z.object({}).strict());
    const sessions = await listActiveSessions(deps.db);
    return c.json({ sessions: sessions.map(publicSession), total: sessions.length });
  });

  app.delete("/api/sessions/:id", adminRequired, async (c) => {
    const id = parseWith(idSchema, c.req.param("id"), "The session id is invalid.");
    const session = await findSession(deps.db, id);
    if (!session) throw notFound("No such session.");
    await revokeSession(deps.db, id);
    const by = c.get("user")?.preferred_username ?? `service:${c.get("service")}`;
    deps.logger.info("session revoked by admin", { session: id.slice(0, 8), by });
    const idp = await endIdpSessions(deps, session);
    return c.json({
      message: `Session revoked.${idpNote(idp)}`,
      idp_logout: typeof idp === "string" ? idp : "failed",
    });
  });

  const adminPage = [requireUser("admin"), deps.csrf.protect] as const;

  app.get("/", userRequired, (c) => c.redirect(`${prefixOf(c)}/sessions`));

  app.get("/sessions", ...adminPage, async (c) => {
    const user = c.get("user")!;
    c.header("Cache-Control", "no-store");
    const revoked = c.req.query("revoked");
    return c.html(
      <SessionsPage
        sessions={await listActiveSessions(deps.db)}
        prefix={prefixOf(c)}
        csrf={deps.csrf.token(c)}
        currentSessionId={user.jti}
        user={{ name: user.name, level: user.permission_level }}
        notice={revoked && /^[\w.@-]{1,100}$/.test(revoked) ? `Revoked a session of ${revoked}.` : undefined}
        warning={
          revoked && c.req.query("idp") === "failed"
            ? "Their sign-in at the identity provider could not be ended (see Core's log), so that browser may be signed in again without a password until it expires there."
            : undefined
        }
      />,
    );
  });

  app.post("/sessions/:id/revoke", ...adminPage, async (c) => {
    const id = parseWith(idSchema, c.req.param("id"), "The session id is invalid.");
    const target = judgeSession(await findSession(deps.db, id));
    if (!target.valid) throw notFound("That session has already ended.");
    await revokeSession(deps.db, id);
    deps.logger.info("session revoked by admin", { session: id.slice(0, 8), by: c.get("user")!.preferred_username });
    const idp = await endIdpSessions(deps, target.session);
    const failed = typeof idp === "object" ? "&idp=failed" : "";
    return c.redirect(`${prefixOf(c)}/sessions?revoked=${encodeURIComponent(target.session.username)}${failed}`, 303);
  });
}

function idpNote(idp: IdpLogout): string {
  if (idp === "ended") return " Their sign-in at the identity provider was ended too.";
  if (idp === "not_applicable") return "";
  return ` Their sign-in at the identity provider could not be ended: ${idp.failed}`;
}
