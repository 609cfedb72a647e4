import { z } from "zod";
import { notFound } from "@hivematrix/lib/errors";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { CORE_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { findSession, listActiveSessions, revokeSession } from "./data.ts";
import { endIdpSessions, type IdpLogout } from "./idp-logout.ts";
import { revocationFeed } from "./revocation-feed.ts";
import { sessionId, sessionJson, sessionSchema } from "./json.ts";

const listRoute = apiRoute({
  method: "get",
  path: "/api/sessions",
  access: CORE_ACCESS.admin,
  tags: ["Sessions"],
  summary: "Every live session (signed-in people and API tokens), most recently seen first",
  request: { query: z.object({}).strict() },
  responses: {
    200: {
      description: "The sessions",
      content: {
        "application/json": { schema: z.object({ sessions: z.array(sessionSchema), total: z.number().int() }) },
      },
    },
  },
});

const revokeRoute = apiRoute({
  method: "delete",
  path: "/api/sessions/{id}",
  access: CORE_ACCESS.admin,
  tags: ["Sessions"],
  summary: "Revoke a session; a browser session's sign-in at the identity provider ends too",
  request: { params: z.object({ id: sessionId }) },
  responses: {
    200: {
      description: "Revoked",
      content: {
        "application/json": {
          schema: z.object({ message: z.string(), idp_logout: z.enum(["ended", "not_applicable", "failed"]) }),
        },
      },
    },
  },
});

const revocationsRoute = apiRoute({
  method: "get",
  path: "/api/sessions/revocations",
  access: CORE_ACCESS.services,
  tags: ["Sessions"],
  summary: "Follow revocations as they happen (server-sent events), e.g. Nexus dropping a session from its cache",
  description:
    "Events: `ready` once subscribed (a reader that reconnects may have missed revocations: it forgets every" +
    " verdict it holds), `revoked` with a session id (the JWT's `jti`) each time a session is revoked on this" +
    " Core, `busy` when too many readers follow, and a comment every 15 s.",
  responses: {
    200: { description: "The feed", content: { "text/event-stream": { schema: z.string() } } },
  },
});

export function sessionsApi(routes: RouteTable, deps: Deps) {
  routes.api(revocationsRoute, (c) => revocationFeed(c, deps.revocations));

  routes.api(listRoute, async (c) => {
    const sessions = await listActiveSessions(deps.db);
    return c.json({ sessions: sessions.map(sessionJson), total: sessions.length }, 200);
  });

  routes.api(revokeRoute, async (c) => {
    const { id } = c.req.valid("param");
    const session = await findSession(deps.db, id);
    if (!session) throw notFound("No such session.");
    await revokeSession(deps.db, id);
    await deps.revocations.announce(id);
    const by = c.get("user")?.preferred_username ?? `service:${c.get("service")}`;
    deps.logger.info("session revoked by admin", { session: id.slice(0, 8), by });
    const idp = await endIdpSessions(deps, session);
    return c.json(
      { message: `Session revoked.${idpNote(idp)}`, idp_logout: typeof idp === "string" ? idp : ("failed" as const) },
      200,
    );
  });
}

function idpNote(idp: IdpLogout): string {
  if (idp === "ended") return " Their sign-in at the identity provider was ended too.";
  if (idp === "not_applicable") return "";
  return ` Their sign-in at the identity provider could not be ended: ${idp.failed}`;
}
