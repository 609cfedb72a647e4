import type { Server } from "bun";
import type { ServiceEntry } from "@hivematrix/lib/config";
import { errorResponse, HttpError } from "@hivematrix/lib/errors";
import type { Logger } from "@hivematrix/lib/log";
import { mayOpen } from "../access.ts";
import { isSession, type Session, type Sessions } from "../sessions/sessions.ts";
import { signInAnswer } from "../sign-in/start.ts";
import type { Oidc } from "../sign-in/oidc.ts";
import { isCrossSite } from "./cross-site.ts";
import { isBlockedPath, isPublicPath } from "./guard.ts";
import { CREDENTIAL_HEADERS, HOP_HEADERS } from "./hop-headers.ts";
import type { NexusMetrics } from "./metrics.ts";
import { tooManyRequests, type RateLimits } from "./rate-limit.ts";
import type { RequestInfo } from "./request-info.ts";
import type { WebSocketRelay } from "./websocket.ts";

/** Never forwarded to an app: this hop's headers, credentials, Nexus's own cookies, a request id it replaces. */
const DROP_REQUEST = new Set([...HOP_HEADERS, ...CREDENTIAL_HEADERS, "cookie", "x-request-id"]);
const DROP_RESPONSE = ["connection", "keep-alive", "transfer-encoding", "set-cookie", "proxy-authenticate"];

/**
 * A download (Content-Disposition: attachment) up to this size is passed on whole, so it keeps
 * its Content-Length and the browser can show progress: Bun drops the header from any streamed
 * body (oven-sh/bun#10507). Bigger downloads stream, without a length.
 */
const WHOLE_DOWNLOAD_LIMIT = 8 * 1024 * 1024;

export interface ProxyDeps {
  sessions: Sessions;
  oidc: Oidc;
  metrics: NexusMetrics;
  logger: Logger;
  ws: WebSocketRelay;
  inject: (res: Response, req: Request) => Response | Promise<Response>;
  upstreamTimeoutMs: number;
  maxIdleSockets: number;
  limits: RateLimits;
  /** Nexus's public origin: the only one a WebSocket may be opened from. */
  publicOrigin: string;
}

class UpstreamTimeout extends Error {}

/**
 * `/<service>/<rest>` → `<service url>/<rest>`: checks the session (and the service's
 * permission), refuses cross-site writes, then streams the request and the response, adding
 * Authorization, X-Forwarded-* and X-Request-Id, and global.css to HTML.
 */
export function createProxy(deps: ProxyDeps) {
  const pool = new Bun.FetchSession({ keepAlive: { idleTimeout: 60, maxIdleSockets: deps.maxIdleSockets } });
  const targetMetrics = new Map<string, ReturnType<NexusMetrics["forTarget"]>>();
  const metricsFor = (name: string) => {
    let m = targetMetrics.get(name);
    if (!m) targetMetrics.set(name, (m = deps.metrics.forTarget(name)));
    return m;
  };

  async function signIn(req: Request, info: RequestInfo, stale: boolean): Promise<Response> {
    deps.metrics.refused("unauthenticated");
    return signInAnswer(deps.oidc, req, info, stale);
  }

  async function refuse(
    req: Request,
    info: RequestInfo,
    status: number,
    code: string,
    reason: string,
    message: string,
  ) {
    deps.metrics.refused(reason);
    return deps.inject(await errorResponse(req, info.path, status, code, message), req);
  }

  function upstreamHeaders(req: Request, info: RequestInfo, service: ServiceEntry, session: Session | null): Headers {
    // Built from what may pass (one walk over the few headers a request has), not a copy trimmed by name.
    const headers = new Headers();
    for (const [name, value] of req.headers) if (!DROP_REQUEST.has(name)) headers.append(name, value);
    // Bodies pass through as the app sends them (and HTML must be readable for the stylesheet),
    // so ask for them uncompressed; otherwise fetch would offer gzip on the client's behalf.
    headers.set("accept-encoding", "identity");
    if (session) headers.set("authorization", `Bearer ${session.token}`);
    headers.set("x-forwarded-for", info.clientIp);
    headers.set("x-forwarded-proto", info.secure ? "https" : "http");
    headers.set("x-forwarded-host", info.publicHost);
    headers.set("x-forwarded-prefix", `/${service.name}`);
    headers.set("x-request-id", info.requestId);
    return headers;
  }

  async function proxy(
    req: Request,
    server: Server<unknown>,
    info: RequestInfo,
    service: ServiceEntry,
    rest: string,
  ): Promise<Response | undefined> {
    if (isBlockedPath(service.name, rest))
      return refuse(req, info, 404, "not_found", "blocked", `Nothing at ${info.path}.`);
    if (rest === "") {
      const query = info.pathAndQuery.slice(info.path.length);
      return new Response(null, { status: 308, headers: { location: `/${service.name}/${query}` } });
    }

    if (isPublicPath(service, rest)) return forward(req, server, info, service, rest, null);

    let session: Session;
    try {
      const found = await deps.sessions.resolve(req);
      if (!isSession(found)) return await signIn(req, info, found.stale);
      session = found;
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      deps.metrics.refused(e.status === 401 ? "unauthenticated" : "core_unavailable");
      return deps.inject(await errorResponse(req, info.path, e.status, e.code, e.message, e.headers), req);
    }
    const wait = await deps.limits.session(session.claims.jti);
    if (wait > 0) {
      deps.metrics.refused("rate_limited");
      return deps.inject(await tooManyRequests(req, info.path, wait, "session"), req);
    }
    if (!mayOpen(session.claims.permission_level, service.permission)) {
      return refuse(
        req,
        info,
        403,
        "forbidden",
        "forbidden",
        `${service.title} is for ${service.permission} users; you are ${session.claims.permission_level}.`,
      );
    }
    if (session.via === "cookie" && isCrossSite(req, info.origin)) {
      return refuse(req, info, 403, "csrf_refused", "csrf", "This request came from another site, so it was refused.");
    }
    // A page on another site could open one with the browser's cookie (cross-site WebSocket hijacking).
    if (isWebSocket(req) && req.headers.get("origin") !== deps.publicOrigin) {
      return refuse(
        req,
        info,
        403,
        "websocket_origin_refused",
        "websocket_origin",
        "A live connection may only be opened from HiveMatrix's own pages.",
      );
    }
    return forward(req, server, info, service, rest, session);
  }

  /** Streams one request to the app and its answer back; `session` is null on a public path. */
  async function forward(
    req: Request,
    server: Server<unknown>,
    info: RequestInfo,
    service: ServiceEntry,
    rest: string,
    session: Session | null,
  ): Promise<Response | undefined> {
    const target = service.url + rest + info.pathAndQuery.slice(info.path.length);
    const headers = upstreamHeaders(req, info, service, session);
    const metrics = metricsFor(service.name);
    if (isWebSocket(req)) return deps.ws.open(req, server, target, headers, info, metrics);

    const started = performance.now();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new UpstreamTimeout()), deps.upstreamTimeoutMs);
    let res: Response;
    try {
      res = await pool.fetch(target, {
        method: req.method,
        headers,
        body: req.body,
        redirect: "manual",
        decompress: false,
        signal: abort.signal,
      });
    } catch (e) {
      const timedOut = abort.signal.aborted && abort.signal.reason instanceof UpstreamTimeout;
      metrics.failure(timedOut ? "timeout" : "unreachable");
      deps.logger.warn(timedOut ? "backend timed out" : "backend unreachable", {
        target: service.name,
        request_id: info.requestId,
        error: (e as Error).message,
      });
      return deps.inject(
        await errorResponse(
          req,
          info.path,
          timedOut ? 504 : 502,
          timedOut ? "upstream_timeout" : "upstream_unavailable",
          timedOut
            ? `${service.title} did not answer within ${deps.upstreamTimeoutMs / 1000} s. Try again in a moment.`
            : `${service.title} is not reachable right now. It may be restarting; try again in a moment.`,
          { "x-request-id": info.requestId },
        ),
        req,
      );
    } finally {
      clearTimeout(timer);
    }
    const seconds = (performance.now() - started) / 1000;
    metrics.response(res.status, seconds);
    // The same access line every app writes (at debug level), plus which app answered.
    deps.logger.debug("request", {
      request_id: info.requestId,
      method: req.method,
      path: info.path,
      status: res.status,
      duration_ms: Math.round(seconds * 100_000) / 100,
      user: session?.claims.preferred_username,
      target: service.name,
    });

    const out = res.headers;
    for (const name of DROP_RESPONSE) out.delete(name);
    out.set("x-request-id", info.requestId);
    const location = out.get("location");
    if (location?.startsWith(service.url)) out.set("location", `/${service.name}${location.slice(service.url.length)}`);
    const type = out.get("content-type");
    // Signed-in content must not outlive the session in the browser's cache (back button after sign-out).
    if (type?.startsWith("text/html")) {
      out.set("cache-control", "no-store");
      return deps.inject(res, req);
    }
    if (!out.has("cache-control")) out.set("cache-control", "no-store");
    if (
      Number(out.get("content-length") ?? Number.NaN) <= WHOLE_DOWNLOAD_LIMIT &&
      /^attachment\b/i.test(out.get("content-disposition") ?? "")
    ) {
      return new Response(await res.bytes(), { status: res.status, statusText: res.statusText, headers: out });
    }
    return res;
  }

  return proxy;
}

const isWebSocket = (req: Request) => req.headers.get("upgrade")?.toLowerCase() === "websocket";

export type Proxy = ReturnType<typeof createProxy>;
