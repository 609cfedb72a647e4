import type { Server } from "bun";
import { coreSessionCheck, createAuth, remoteJwks, type Auth } from "./auth.ts";
import type { AppConfig, PlatformConfig } from "./config.ts";
import { createCsrf, type Csrf } from "./csrf.ts";
import { endEventStreams } from "./event-stream.ts";
import { lastResort } from "./last-resort.ts";
import { createLogger, type Logger, type LogSink } from "./log.ts";
import { createLogShipper, LOG_COLLECTOR, shipperSettings, type LogShipper } from "./log-shipper.ts";
import { installProcessGuards } from "./process-guards.ts";
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
  /** Ships this app's log records to Helm; null for Helm itself and when Helm is not registered. */
  logShipper: LogShipper | null;
}

export interface RuntimeOptions {
  /** More destinations for every log record (Helm stores its own records directly). */
  logSinks?: LogSink[];
}

/** What an app of services.json needs to run, from its configuration (read once, by the app's loadSettings). */
export function createRuntime(
  config: AppConfig,
  env: Record<string, string | undefined> = process.env,
  options: RuntimeOptions = {},
): Runtime {
  const { name } = config;
  const { secret, services, logger, logShipper } = createProcessLogging(name, config, env, options.logSinks);
  return {
    config,
    logger,
    secret,
    services,
    auth: createAuth({
      audience: name,
      keys: remoteJwks(config.services.core!.instanceUrls),
      sessionCheck: coreSessionCheck(config.services.core!.instanceUrls),
    }),
    csrf: createCsrf(secret),
    logShipper,
  };
}

/**
 * The logger of any platform process, an app of services.json or the dev IdP: JSON lines on
 * stdout, shipped to Helm (except by Helm itself, which stores its own directly and so never
 * posts to itself in a loop) with a service token this process gets from Core with its secret.
 */
export function createProcessLogging(
  name: string,
  config: PlatformConfig,
  env: Record<string, string | undefined> = process.env,
  logSinks: LogSink[] = [],
): Pick<Runtime, "secret" | "services" | "logger" | "logShipper"> {
  ensureHome(config.home);
  const secret = serviceSecret(config.home, name);
  const services = createServiceClient({
    name,
    secret,
    coreUrl: config.services.core!.url,
    services: config.services,
    // Called only once requests run, after `logger` below exists.
    logger: { error: (m, f) => logger.error(m, f), info: (m, f) => logger.info(m, f) },
  });
  const logShipper =
    name !== LOG_COLLECTOR && config.services[LOG_COLLECTOR]
      ? createLogShipper({
          ...shipperSettings(env),
          async send(lines) {
            const res = await services.callService(LOG_COLLECTOR, "/api/logs/ingest", {
              method: "POST",
              body: JSON.stringify({ lines }),
              signal: AbortSignal.timeout(10_000),
            });
            await res.body?.cancel();
            if (res.ok) return "sent";
            // A stale token (Core restarted with new keys) is fetched afresh on the retry.
            if (res.status === 401) services.forgetTokens();
            return res.status >= 500 || res.status === 401 || res.status === 429 ? "retry" : "rejected";
          },
          report: (level, message, fields) => logger[level](message, fields),
          note: (message) =>
            process.stdout.write(
              `${JSON.stringify({ timestamp: new Date().toISOString(), level: "WARNING", service: name, message })}\n`,
            ),
        })
      : null;
  const sinks = [...logSinks, ...(logShipper ? [logShipper.sink] : [])];
  const logger = createLogger({ service: name, level: config.logLevel, sinks });
  installProcessGuards(logger);
  return { secret, services, logger, logShipper };
}

/** Bun.serve's default largest request body. */
const BUN_MAX_REQUEST_BODY = 128 * 1024 * 1024;

export interface ServeOptions {
  /** The largest request body the server lets through to the app (uploads bigger than Bun's 128 MiB). */
  maxRequestBodyBytes?: number;
}

/** How long a stopping server waits for requests in flight. */
const STOP_GRACE_MS = 7_000;

/**
 * Listens on the address services.json gives this app and stops cleanly on SIGTERM/SIGINT
 * (closing the server, then `onStop`, e.g. the database, then sending buffered log lines to
 * Helm). A taken port is one clear line; a handler that throws is answered by `lastResort`.
 */
export function serveApp(
  rt: Pick<Runtime, "config" | "logger"> & Partial<Pick<Runtime, "logShipper">>,
  fetch: (req: Request, server: Server<undefined>) => Response | Promise<Response>,
  onStop?: () => Promise<void>,
  options: ServeOptions = {},
): Server<undefined> {
  const { host, port } = rt.config.self;
  const guard = lastResort(rt.logger);
  let server: Server<undefined>;
  try {
    server = Bun.serve({
      hostname: host,
      port,
      fetch: guard.fetch(fetch),
      error: guard.error,
      idleTimeout: 120,
      // Bun's own default (128 MiB) unless the app takes bigger uploads; the routes keep their own limits.
      maxRequestBodySize: Math.max(BUN_MAX_REQUEST_BODY, options.maxRequestBodyBytes ?? 0),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    rt.logger.error(code === "EADDRINUSE" ? `port ${port} on ${host} is already in use` : "cannot listen", {
      error: e,
    });
    process.exit(1);
  }
  rt.logger.info(`${rt.config.name} listening`, { url: `http://${host}:${server.port}` });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    endEventStreams();
    // Requests still running when the supervisor's 10 s are nearly up are cut, so the database
    // closes and the last log lines leave before the process is killed.
    await Promise.race([server.stop(), Bun.sleep(STOP_GRACE_MS)]);
    await server.stop(true);
    await onStop?.();
    // The last lines (including anything onStop logged) go to Helm before the process ends.
    await rt.logShipper?.flush(2_000);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return server;
}
