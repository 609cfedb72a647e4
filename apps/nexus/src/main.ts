import type { Server } from "bun";
import { loadAppConfig, runMain } from "@hivematrix/lib/config";
import { lastResort } from "@hivematrix/lib/last-resort";
import { createRuntime } from "@hivematrix/lib/runtime";
import { createNexus } from "./app.ts";
import { buildNexusDeps } from "./deps.ts";
import type { RelayData } from "./websocket.ts";

await runMain(async () => {
  const { config, logger, logShipper } = createRuntime(loadAppConfig("nexus"));
  const deps = buildNexusDeps(config, logger);
  const nexus = createNexus(deps);
  const { host, port } = config.self;
  const tls = deps.settings.tls;
  const servers: Server<RelayData>[] = [];
  const guard = lastResort(logger);

  const listen = (
    what: string,
    p: number,
    fetch: (req: Request, server: Server<unknown>) => Promise<Response | undefined>,
    options: Partial<Bun.Serve.Options<RelayData>> = {},
  ) => {
    try {
      // idleTimeout 0: long-lived responses (SSE, downloads) are not cut by the server.
      const server = Bun.serve<RelayData>({
        hostname: host,
        port: p,
        idleTimeout: 0,
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
    // The plain port keeps /health for the supervisor and sends everyone else to https.
    const publicUrl = deps.settings.defaultOrigin;
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
    await logShipper?.flush(2_000);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
});
