import type { Server } from "bun";
import { coreSessionCheck, createAuth, remoteJwks, type Auth } from "./auth.ts";
import { loadAppConfig, type AppConfig } from "./config.ts";
import { createCsrf, type Csrf } from "./csrf.ts";
import { createLogger, type Logger } from "./log.ts";
import { ensureHome, serviceSecret } from "./secrets.ts";
import { createServiceClient, type ServiceClient } from "./service-client.ts";

/** What an app's main.ts needs, built in one place so every app wires it the same way. */
export interface Runtime {
  config: AppConfig;
  logger: Logger;
  /** This service's secret (authenticates it to Core; also keys its CSRF tokens). */
  secret: string;
  services: ServiceClient;
  /** Verifies tokens with Core's JWKS and asks Core whether a user's session is live. */
  auth: Auth;
  csrf: Csrf;
}

export function createRuntime(name: string, env: Record<string, string | undefined> = process.env): Runtime {
  const config = loadAppConfig(name, env);
  ensureHome(config.home);
  const logger = createLogger({ service: name, level: config.logLevel });
  const secret = serviceSecret(config.home, name);
  return {
    config,
    logger,
    secret,
    services: createServiceClient({ name, secret, coreUrl: config.coreUrl, services: config.services }),
    auth: createAuth({ audience: name, keys: remoteJwks(config.coreUrl), sessionCheck: coreSessionCheck(config.coreUrl) }),
    csrf: createCsrf(secret),
  };
}

/**
 * Listens on the address services.json gives this app and stops cleanly on SIGTERM/SIGINT
 * (closing the server, then `onStop`, e.g. the database). A taken port is one clear line.
 */
export function serveApp(rt: Pick<Runtime, "config" | "logger">, fetch: (req: Request, server: Server<undefined>) => Response | Promise<Response>, onStop?: () => Promise<void>): Server<undefined> {
  const { host, port } = rt.config.self;
  let server: Server<undefined>;
  try {
    server = Bun.serve({ hostname: host, port, fetch, idleTimeout: 120 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    rt.logger.error(code === "EADDRINUSE" ? `port ${port} on ${host} is already in use` : "cannot listen", { error: e });
    process.exit(1);
  }
  rt.logger.info(`${rt.config.name} listening`, { url: `http://${host}:${server.port}` });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    await onStop?.();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return server;
}
