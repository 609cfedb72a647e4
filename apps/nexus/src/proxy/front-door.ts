import type { Server } from "bun";
import { errorResponse } from "@hivematrix/lib/errors";
import type { Deps } from "../deps.ts";
import { compressFor } from "../compression/compress.ts";
import { createInjector, isHtml } from "../stylesheet/inject.ts";
import { themeOf } from "../stylesheet/theme.ts";
import { createIdpProxy, IDP_PREFIX } from "./idp-proxy.ts";
import { createProxy } from "./proxy.ts";
import { toPublicOrigin } from "./public-origin.ts";
import { createRateLimits, tooManyRequests } from "./rate-limit.ts";
import { type NexusBindings, type RequestInfo, requestInfoOf } from "./request-info.ts";
import { createWebSocketRelay } from "./websocket.ts";

/** Nexus's own routes (the Hono app), reached with each request's RequestInfo. */
interface OwnRoutes {
  fetch(req: Request, env: NexusBindings): Response | Promise<Response>;
}

/**
 * Every request from a browser or API client arrives here, outside Hono (the proxy is the hot
 * path). In order:
 *   another host name → a browser is sent to the public origin
 *   /<service>/…   → proxy to that app of services.json
 *   /keycloak/…    → the identity provider's sign-in pages only
 *   anything else  → Nexus's own routes
 * Every HTML response, proxied or Nexus's own, gets global.css as it streams out, and every
 * response is then compressed for a browser that accepts it (compression/compress.ts).
 */
export function createFrontDoor(deps: Deps, own: OwnRoutes) {
  const { settings, logger, services } = deps;
  const injector = createInjector(deps.stylesheet.href);
  // The theme cookie is read from the headers RequestInfo holds: each Headers.get copies the whole Cookie header.
  const inject = (res: Response, info: RequestInfo) =>
    isHtml(res) ? injector(res, themeOf(info.headers.cookie ?? null)) : res;

  const ws = createWebSocketRelay((req, info) =>
    errorResponse(
      req,
      info.path,
      502,
      "upstream_unavailable",
      "The app's live connection is not reachable right now. Try again in a moment.",
    ).then((r) => inject(r, info)),
  );
  const limits = createRateLimits(settings.rateLimit);
  const proxy = createProxy({
    sessions: deps.sessions,
    oidc: deps.oidc,
    metrics: deps.metrics,
    logger,
    accessLog: deps.config.logLevel === "debug",
    ws,
    inject,
    upstreamTimeoutMs: settings.upstreamTimeoutMs,
    maxIdleSockets: settings.maxIdleUpstreamSockets,
    balancer: deps.balancer,
    limits,
    publicOrigin: settings.publicOrigin,
  });
  const idpProxy = createIdpProxy(deps.config, logger);
  const requestInfo = requestInfoOf(settings.publicOrigin);

  const ownAnswer = async (req: Request, info: RequestInfo) => inject(await own.fetch(req, { info }), info);

  /** This request's answer; a promise only where something has to be waited for (the proxy's is passed on as it is). */
  function answer(req: Request, server: Server<unknown>): Response | undefined | Promise<Response | undefined> {
    const secure = server.protocol === "https";
    const info = requestInfo(req, server, secure);
    // The supervisor's health checks are never throttled.
    if (info.path !== "/health") {
      const wait = limits.address(info.clientIp);
      if (wait > 0) {
        deps.metrics.refused("rate_limited");
        return tooManyRequests(req, info.path, wait, "address").then((res) => inject(res, info));
      }
    }
    const moved = toPublicOrigin(req, info);
    if (moved) return moved;
    const slash = info.path.indexOf("/", 1);
    const first = slash < 0 ? info.path.slice(1) : info.path.slice(1, slash);
    const service = services.get(first);
    if (service) return proxy(req, server, info, service, slash < 0 ? "" : info.path.slice(slash));
    if (first === IDP_PREFIX.slice(1)) return idpProxy(req, info).then((res) => inject(res, info));
    // Nexus's own pages are at the root: a prefix a client claims would only mislabel its error pages' paths and links.
    req.headers.delete("x-forwarded-prefix");
    return ownAnswer(req, info);
  }

  const compressed = (req: Request, res: Response | undefined) => (res === undefined ? res : compressFor(req, res));

  // Last on the way out, so a page is compressed with its stylesheet link in it.
  function fetch(req: Request, server: Server<unknown>): Response | undefined | Promise<Response | undefined> {
    const res = answer(req, server);
    return res instanceof Promise ? res.then((ready) => compressed(req, ready)) : compressed(req, res);
  }

  return { fetch, websocket: ws.handler };
}

export type FrontDoor = ReturnType<typeof createFrontDoor>;
