import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { DevIdpApp } from "./app.ts";
import type { Deps } from "./deps.ts";
import { forwardedPrefix, isLoopback } from "./forwarded.ts";
import { guardListener } from "./guard.ts";
import { isSecureContext, sendKeycloakShapedCookies } from "./keycloak-cookies.ts";

/** Paths only this machine may reach, whatever address the IdP was told to bind: the admin API and its document. */
const LOOPBACK_ONLY = /^\/(admin|api|realms\/master)(\/|$)|^\/metrics$/;

export interface DevIdpServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the dev IdP through node:http (oidc-provider is a Koa app on Node's request and
 * response): the realm's OpenID Connect endpoints go to oidc-provider, everything else (the
 * sign-in pages, the admin API, /health) to the Hono app.
 */
export async function serveDevIdp(deps: Deps, app: DevIdpApp): Promise<DevIdpServer> {
  const { settings, provider } = deps;
  const realmBase = `/realms/${settings.realm}`;
  const hono = getRequestListener((req, env) => app.fetch(req, env), { overrideGlobalObjects: false });
  const oidc = provider.callback();
  const publicUrl = settings.publicOrigin ? new URL(settings.publicOrigin) : null;
  const ownHost = `${settings.host}:${settings.port}`;
  const secureContext = isSecureContext(settings.publicOrigin);

  /**
   * Host and forwarded origin from configuration only, as Keycloak's --hostname: a request that
   * came through a proxy is answered on the public origin whatever host it names; a direct one
   * (Nexus's and Core's back channel) on the IdP's own address. oidc-provider and Hono build
   * absolute URLs from these headers.
   */
  const pinOrigin = (req: IncomingMessage) => {
    const proxied = req.headers["x-forwarded-host"] !== undefined || req.headers["x-forwarded-proto"] !== undefined;
    if (proxied && publicUrl) {
      req.headers["x-forwarded-host"] = publicUrl.host;
      req.headers["x-forwarded-proto"] = publicUrl.protocol.slice(0, -1);
    } else {
      delete req.headers["x-forwarded-host"];
      delete req.headers["x-forwarded-proto"];
    }
    req.headers.host = ownHost;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    pinOrigin(req);
    sendKeycloakShapedCookies(res, secureContext);
    const path = (req.url ?? "/").split("?")[0]!;
    if (LOOPBACK_ONLY.test(path) && !isLoopback(req.socket.remoteAddress)) {
      res.writeHead(404, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ error: "HTTP 404 Not Found" }));
    }
    const realm = path === realmBase || path.startsWith(`${realmBase}/`);
    if (!realm || path.startsWith(`${realmBase}/login-actions/`)) return void hono(req, res);
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = forwardedPrefix(req) + req.url;
    req.url = req.url!.slice(realmBase.length) || "/";
    return void oidc(req, res);
  };

  const server = createServer(guardListener(handle, deps.logger));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  deps.logger.info("dev identity provider listening", {
    url: deps.url,
    issuer: deps.issuer,
    redirect_uris: settings.redirectUris,
  });
  return {
    url: deps.url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => void deps.db.close().then(resolve));
      }),
  };
}

/** Stops on SIGTERM/SIGINT: the server and database first, then its last log lines to Helm. */
export function stopOnSignals(server: DevIdpServer, deps: Pick<Deps, "logShipper">): void {
  const stop = async () => {
    await server.close();
    await deps.logShipper?.flush(2_000);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
