import type { Server } from "bun";
import type { ServiceEntry } from "@hivematrix/lib/config";
import { errorResponse, HttpError } from "@hivematrix/lib/errors";
import { mayOpen } from "../access.ts";
import { isSession, type NoSession, type Session, type Sessions } from "../sessions/sessions.ts";
import { signInAnswer } from "../sign-in/start.ts";
import type { Oidc } from "../sign-in/oidc.ts";
import { isCrossSite } from "./cross-site.ts";
import { createForwarder, type ForwardDeps } from "./forward.ts";
import { isBlockedPath, isPublicPath } from "./guard.ts";
import { tooManyRequests, type RateLimits } from "./rate-limit.ts";
import type { RequestInfo } from "./request-info.ts";

export interface ProxyDeps extends ForwardDeps {
  sessions: Sessions;
  oidc: Oidc;
  limits: RateLimits;
  /** Nexus's public origin: the only one a WebSocket may be opened from. */
  publicOrigin: string;
}

/**
 * `/<service>/<rest>` → `<service url>/<rest>`: checks the session (and the service's
 * permission), refuses cross-site writes, then hands the request to the forwarder. A session
 * Core vouched for within the last seconds is found without waiting (sessions.known).
 */
export function createProxy(deps: ProxyDeps) {
  const forward = createForwarder(deps);

  async function refuse(
    req: Request,
    info: RequestInfo,
    status: number,
    code: string,
    reason: string,
    message: string,
  ) {
    deps.metrics.refused(reason);
    return deps.inject(await errorResponse(req, info.path, status, code, message), info);
  }

  /** The caller's session, or the answer to give instead (sign in, 401, Core unavailable). */
  async function sessionOf(req: Request, info: RequestInfo): Promise<Session | Response> {
    let found: Session | NoSession;
    try {
      found = await deps.sessions.resolve(req);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      deps.metrics.refused(e.status === 401 ? "unauthenticated" : "core_unavailable");
      return deps.inject(await errorResponse(req, info.path, e.status, e.code, e.message, e.headers), info);
    }
    if (isSession(found)) return found;
    deps.metrics.refused("unauthenticated");
    return signInAnswer(deps.oidc, req, info, found.stale);
  }

  /** What a signed-in caller may not do here, as the answer to give; null when the request may go on. */
  function refusal(req: Request, info: RequestInfo, service: ServiceEntry, session: Session) {
    const wait = deps.limits.session(session.claims.jti);
    if (wait > 0) {
      deps.metrics.refused("rate_limited");
      return tooManyRequests(req, info.path, wait, "session").then((res) => deps.inject(res, info));
    }
    if (!mayOpen(session.claims.permission_level, service.permission)) {
      const message = `${service.title} is for ${service.permission} users; you are ${session.claims.permission_level}.`;
      return refuse(req, info, 403, "forbidden", "forbidden", message);
    }
    if (session.via === "cookie" && isCrossSite(req, info.origin)) {
      return refuse(req, info, 403, "csrf_refused", "csrf", "This request came from another site, so it was refused.");
    }
    // A page on another site could open one with the browser's cookie (cross-site WebSocket hijacking).
    if (info.headers.upgrade?.toLowerCase() === "websocket" && info.headers.origin !== deps.publicOrigin) {
      const message = "A live connection may only be opened from HiveMatrix's own pages.";
      return refuse(req, info, 403, "websocket_origin_refused", "websocket_origin", message);
    }
    return null;
  }

  /** A signed-in caller's request: refused, or forwarded. */
  function pass(
    req: Request,
    server: Server<unknown>,
    info: RequestInfo,
    service: ServiceEntry,
    rest: string,
    session: Session,
  ): Promise<Response | undefined> {
    return refusal(req, info, service, session) ?? forward(req, server, info, service, rest, session);
  }

  // Not an async function: a session found without waiting goes straight on to the forwarder, whose promise is
  // the answer (each async layer would add a promise and a turn per request).
  return function proxy(
    req: Request,
    server: Server<unknown>,
    info: RequestInfo,
    service: ServiceEntry,
    rest: string,
  ): Response | Promise<Response | undefined> {
    if (isBlockedPath(service.name, rest))
      return refuse(req, info, 404, "not_found", "blocked", `Nothing at ${info.path}.`);
    if (rest === "") {
      const query = info.pathAndQuery.slice(info.path.length);
      return new Response(null, { status: 308, headers: { location: `/${service.name}/${query}` } });
    }
    if (isPublicPath(service, rest)) return forward(req, server, info, service, rest, null);

    const known = deps.sessions.known(info.headers, Date.now());
    if (known !== undefined && isSession(known)) return pass(req, server, info, service, rest, known);
    return sessionOf(req, info).then((session) =>
      session instanceof Response ? session : pass(req, server, info, service, rest, session),
    );
  };
}

export type Proxy = ReturnType<typeof createProxy>;
