import type { Server } from "bun";
import { createBaseApp, healthPayload } from "@hivematrix/lib/app";
import type { Auth } from "@hivematrix/lib/auth";
import type { AppConfig, ServiceEntry } from "@hivematrix/lib/config";
import type { Csrf } from "@hivematrix/lib/csrf";
import type { Logger } from "@hivematrix/lib/log";
import { createHomePreference } from "./home-preference.ts";
import { createIdpProxy, IDP_PREFIX } from "./idp-proxy.ts";
import { createInjector, isHtml } from "./inject.ts";
import type { NexusMetrics } from "./metrics.ts";
import type { Oidc } from "./oidc.ts";
import { createProxy } from "./proxy.ts";
import { createRateLimits, tooManyRequests } from "./rate-limit.ts";
import { errorResponse } from "@hivematrix/lib/errors";
import { requestInfo } from "./request-info.ts";
import { themeOf, homeRoutes } from "./routes/home.tsx";
import { sessionRoutes } from "./routes/session-pages.tsx";
import { staticRoutes } from "./routes/static.ts";
import type { Sealer } from "./seal.ts";
import type { Sessions } from "./sessions.ts";
import type { NexusSettings } from "./settings.ts";
import type { Stylesheet } from "./stylesheet.ts";
import { createWebSocketRelay } from "./websocket.ts";

export const VERSION = "1.0.0";

export interface NexusDeps {
  config: AppConfig;
  settings: NexusSettings;
  logger: Logger;
  auth: Auth;
  csrf: Csrf;
  metrics: NexusMetrics;
  sealer: Sealer;
  sessions: Sessions;
  oidc: Oidc;
  stylesheet: Stylesheet;
  forgetSession: (jti: string) => void;
}

/**
 * Nexus: every request from a browser or API client arrives here. In order:
 *   /<service>/…   → proxy to that app of services.json (the hot path, outside Hono)
 *   /keycloak/…    → the identity provider's sign-in pages only
 *   /, /login, /keycloak-callback, /logout, /signed-out, /theme, /static/…, /health, /metrics
 * Every HTML response, proxied or Nexus's own, gets global.css as it streams out.
 */
export function createNexus(deps: NexusDeps) {
  const { config, settings, logger } = deps;
  const services = new Map<string, ServiceEntry>(
    Object.values(config.services)
      .filter((s) => s.name !== "nexus")
      .map((s) => [s.name, s]),
  );
  const injector = createInjector(deps.stylesheet.href);
  const inject = (res: Response, req: Request) =>
    isHtml(res) ? injector(res, themeOf(req.headers.get("cookie"))) : res;

  const ws = createWebSocketRelay((req, info) =>
    errorResponse(
      req,
      info.path,
      502,
      "upstream_unavailable",
      "The app's live connection is not reachable right now. Try again in a moment.",
    ).then((r) => inject(r, req)),
  );
  const limits = createRateLimits(settings.rateLimit);
  const proxy = createProxy({
    sessions: deps.sessions,
    oidc: deps.oidc,
    metrics: deps.metrics,
    logger,
    ws,
    inject,
    upstreamTimeoutMs: settings.upstreamTimeoutMs,
    maxIdleSockets: settings.maxIdleUpstreamSockets,
    limits,
    origins: settings.origins,
  });
  const idpProxy = createIdpProxy(config, logger);

  const pages = createBaseApp({
    logger,
    service: "nexus",
    auth: deps.auth,
    metrics: deps.metrics.base,
    version: VERSION,
  });
  pages.get("/health", (c) => c.json(healthPayload("nexus", VERSION, { services: services.size })));
  staticRoutes(pages, deps.stylesheet);
  sessionRoutes(pages, {
    coreUrl: config.coreUrl,
    oidc: deps.oidc,
    sessions: deps.sessions,
    sealer: deps.sealer,
    csrf: deps.csrf,
    logger,
    forgetSession: deps.forgetSession,
    homePreference: createHomePreference([...services.values()], logger),
  });
  homeRoutes(pages, { services: [...services.values()], sessions: deps.sessions, oidc: deps.oidc, csrf: deps.csrf });

  const secureFor = (server: Server<unknown>) => server.protocol === "https";

  async function fetch(req: Request, server: Server<unknown>): Promise<Response | undefined> {
    const info = requestInfo(req, server, secureFor(server), settings.origins, settings.defaultOrigin);
    // The supervisor's health checks are never throttled.
    if (info.path !== "/health") {
      const wait = await limits.address(info.clientIp);
      if (wait > 0) {
        deps.metrics.refused("rate_limited");
        return inject(await tooManyRequests(req, info.path, wait, "address"), req);
      }
    }
    const slash = info.path.indexOf("/", 1);
    const first = slash < 0 ? info.path.slice(1) : info.path.slice(1, slash);
    const service = services.get(first);
    if (service) return proxy(req, server, info, service, slash < 0 ? "" : info.path.slice(slash));
    if (first === IDP_PREFIX.slice(1)) return inject(await idpProxy(req, info), req);
    // Nexus's own pages are at the root: a prefix a client claims would only mislabel its error pages' paths and links.
    req.headers.delete("x-forwarded-prefix");
    return inject(await pages.fetch(req, { info }), req);
  }

  return { fetch, websocket: ws.handler, services };
}

export type Nexus = ReturnType<typeof createNexus>;
