import type { Server } from "bun";
import { lastResort } from "@hivematrix/lib/last-resort";
import type { Nexus } from "./app.ts";
import type { Deps } from "./deps.ts";
import type { RelayData } from "./proxy/websocket.ts";

type Fetch = (req: Request, server: Server<unknown>) => Response | undefined | Promise<Response | undefined>;

/**
 * Listens where services.json puts Nexus; with a certificate, HTTPS on NEXUS_HTTPS_PORT and the
 * plain port only redirecting there (but for /health, the supervisor's). Stops cleanly on
 * SIGTERM/SIGINT, sending its last log lines to Helm first.
 */
export function serveNexus(deps: Pick<Deps, "config" | "settings" | "logger" | "logShipper">, nexus: Nexus): void {
  const { logger } = deps;
  const { host, port } = deps.config.self;
  const { tls } = deps.settings;
  const servers: Server<RelayData>[] = [];
  const guard = lastResort(logger);

  const listen = (what: string, p: number, fetch: Fetch, options: Partial<Bun.Serve.Options<RelayData>> = {}) => {
    try {
      // idleTimeout 0: long-lived responses (SSE, downloads) are not cut by the server.
      const server = Bun.serve<RelayData>({
        hostname: host,
        port: p,
        idleTimeout: 0,
        // Bodies stream through to the apps, which keep their own limits; Bun's default (128 MiB) would cut big uploads.
        maxRequestBodySize: deps.settings.maxRequestBodyBytes,
        // Several Nexus processes (NEXUS_WORKERS) share the port; the kernel spreads connections over them.
        reusePort: deps.settings.worker !== null,
        fetch: guard.fetch(fetch) as never,
        error: guard.error,
        websocket: nexus.websocket,
        ...options,
      } as Bun.Serve.Options<RelayData>);
      servers.push(server);
      logger.info(`nexus listening (${what})`, {
        url: `${tls && what === "https" ? "https" : "http"}://${host}:${server.port}`,
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      logger.error(code === "EADDRINUSE" ? `port ${p} on ${host} is already in use` : `cannot listen on ${host}:${p}`, {
        error: e,
      });
      process.exit(1);
    }
  };

  if (tls) {
    listen("https", tls.port, nexus.fetch, { tls: { cert: Bun.file(tls.cert), key: Bun.file(tls.key) } });
    const publicUrl = deps.settings.publicOrigin;
    listen("http → https", port, async (req) => {
      const url = new URL(req.url);
      if (url.pathname === "/health") return nexus.fetch(req, servers[0]! as Server<unknown>);
      return new Response(null, { status: 308, headers: { location: publicUrl + url.pathname + url.search } });
    });
  } else {
    listen("http", port, nexus.fetch);
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(servers.map((s) => s.stop(true)));
    // Its last lines reach Helm before it ends.
    await deps.logShipper?.flush(2_000);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
