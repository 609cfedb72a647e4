import { existsSync } from "node:fs";
import { z } from "zod";
import { type Auth, coreSessionCheck, createAuth, remoteJwks, VerifiedTokenCache } from "@hivematrix/lib/auth";
import {
  type AppConfig,
  ConfigError,
  loadAppConfig,
  nexusPublicOrigin,
  type ServiceEntry,
} from "@hivematrix/lib/config";
import { type Csrf, createCsrf } from "@hivematrix/lib/csrf";
import type { Logger } from "@hivematrix/lib/log";
import type { LogShipper } from "@hivematrix/lib/log-shipper";
import { createProcessLogging } from "@hivematrix/lib/runtime";
import { readOrCreateSecret, serviceSecret } from "@hivematrix/lib/secrets";
import { createServiceClient, type ServiceClient } from "@hivematrix/lib/service-client";
import { envBool, envInt, envText, readEnv } from "@hivematrix/lib/settings";
import { type Balancer, createBalancer } from "./proxy/balancer.ts";
import { registerBalancerMetrics } from "./proxy/balancer-metrics.ts";
import { createNexusMetrics, type NexusMetrics } from "./proxy/metrics.ts";
import type { RateLimitSettings } from "./proxy/rate-limit.ts";
import { createSealer, type Sealer } from "./sessions/seal.ts";
import { createSessions, type Sessions } from "./sessions/sessions.ts";
import { createHomePreference, type HomePreference } from "./sign-in/home-preference.ts";
import { createOidc, type Oidc } from "./sign-in/oidc.ts";
import { loadStylesheet, type Stylesheet } from "./stylesheet/stylesheet.ts";

type Env = Record<string, string | undefined>;

/** A PEM file's path; null when unset. */
const pemFile = () => envText().refine((path) => path === null || existsSync(path), "names no such file");

/** Every environment variable Nexus reads of its own (README "Nexus"), with its default and limits. */
const nexusEnv = z
  .object({
    NEXUS_PUBLIC_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
    NEXUS_TLS_CERT: pemFile(),
    NEXUS_TLS_KEY: pemFile(),
    NEXUS_HTTPS_PORT: envInt(443, 1, 65535),
    NEXUS_UPSTREAM_TIMEOUT_SECONDS: envInt(30, 1, 3600),
    NEXUS_UPSTREAM_IDLE_SOCKETS: envInt(256, 1, 65535),
    NEXUS_MAX_REQUEST_BODY_MB: envInt(1024, 1, 16_384),
    NEXUS_RATE_LIMIT_PER_ADDRESS: envInt(3000, 1, 100_000_000),
    NEXUS_RATE_LIMIT_PER_SESSION: envInt(1500, 1, 100_000_000),
    NEXUS_RATE_LIMIT_WINDOW_SECONDS: envInt(10, 1, 3600),
    NEXUS_RATE_LIMIT_LOOPBACK: envBool(false),
    // Set by the supervisor when NEXUS_WORKERS runs several Nexus processes on one port; 0 when alone.
    HIVEMATRIX_WORKER: envInt(0, 0, 64),
  })
  .superRefine((own, ctx) => {
    if (Boolean(own.NEXUS_TLS_CERT) !== Boolean(own.NEXUS_TLS_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: [own.NEXUS_TLS_CERT ? "NEXUS_TLS_KEY" : "NEXUS_TLS_CERT"],
        message: "is missing: set both NEXUS_TLS_CERT and NEXUS_TLS_KEY (PEM files), or neither",
      });
    } else if (own.NEXUS_TLS_CERT && !own.NEXUS_PUBLIC_URL?.startsWith("https://")) {
      ctx.addIssue({
        code: "custom",
        path: ["NEXUS_PUBLIC_URL"],
        message:
          "must be https:// when NEXUS_TLS_CERT is set: also set NEXUS_PUBLIC_URL to the address users open" +
          " (e.g. https://hive.example.com)",
      });
    }
  });

/** Path segments Nexus serves itself; a service of the same name could never be reached. */
export const RESERVED_PATHS = [
  "api",
  "static",
  "keycloak",
  "keycloak-callback",
  "login",
  "logout",
  "signed-out",
  "theme",
  "health",
  "metrics",
  "favicon.ico",
];

export interface Settings {
  config: AppConfig;
  /** Read by the log shipper (HIVEMATRIX_LOG_*). */
  env: Env;
  /**
   * The one origin browsers use (NEXUS_PUBLIC_URL's, else localhost on Nexus's port): every absolute URL,
   * redirect URI and X-Forwarded-Host is built on it, and a browser arriving under another name is sent to it.
   */
  publicOrigin: string;
  tls: { cert: string; key: string; port: number } | null;
  /** How long a backend may take to send its response headers. */
  upstreamTimeoutMs: number;
  /** Idle keep-alive connections kept per backend pool. */
  maxIdleUpstreamSockets: number;
  /**
   * The largest request body Nexus passes on (streamed, never held whole): above every app's own
   * upload limit (Codex's attachments), so an upload an app accepts is never cut off here first.
   */
  maxRequestBodyBytes: number;
  /** Requests per client address and per session before 429 with Retry-After. */
  rateLimit: RateLimitSettings;
  /**
   * Which of several Nexus processes sharing its port this is (HIVEMATRIX_WORKER, from
   * NEXUS_WORKERS); null when it runs alone. Workers bind with SO_REUSEPORT and say who they are in /health.
   */
  worker: number | null;
}

/** Nexus's settings, read once at start-up: the platform's and NEXUS_* variables. */
export function loadSettings(env: Env = process.env): Settings {
  const config = loadAppConfig("nexus", env);
  for (const name of Object.keys(config.services)) {
    if (RESERVED_PATHS.includes(name))
      throw new ConfigError(`services.json: "${name}" is a path Nexus serves itself; rename that service`);
  }
  const own = readEnv(nexusEnv, env);
  const { NEXUS_TLS_CERT: cert, NEXUS_TLS_KEY: key } = own;
  return {
    config,
    env,
    publicOrigin: nexusPublicOrigin(config, env) ?? config.self.url,
    tls: cert && key ? { cert, key, port: own.NEXUS_HTTPS_PORT } : null,
    upstreamTimeoutMs: own.NEXUS_UPSTREAM_TIMEOUT_SECONDS * 1000,
    maxIdleUpstreamSockets: own.NEXUS_UPSTREAM_IDLE_SOCKETS,
    maxRequestBodyBytes: own.NEXUS_MAX_REQUEST_BODY_MB * 1024 * 1024,
    rateLimit: {
      perAddress: own.NEXUS_RATE_LIMIT_PER_ADDRESS,
      perSession: own.NEXUS_RATE_LIMIT_PER_SESSION,
      windowSeconds: own.NEXUS_RATE_LIMIT_WINDOW_SECONDS,
      limitLoopback: own.NEXUS_RATE_LIMIT_LOOPBACK,
    },
    worker: own.HIVEMATRIX_WORKER || null,
  };
}

/** What Nexus's proxy and its own routes need, built once by main.ts (or by a test). */
export interface Deps {
  settings: Settings;
  config: AppConfig;
  logger: Logger;
  logShipper: LogShipper | null;
  /** Verifies HiveMatrix JWTs (Core's keys, sessions checked with Core and remembered for 2 s). */
  auth: Auth;
  csrf: Csrf;
  metrics: NexusMetrics;
  /** Spreads requests over the instances of a service of several (timers unref'd: it never holds Nexus up). */
  balancer: Balancer;
  /** Encrypts the session and sign-in cookies. */
  sealer: Sealer;
  sessions: Sessions;
  oidc: Oidc;
  stylesheet: Stylesheet;
  /** The apps Nexus proxies to, by name: services.json without Nexus itself. */
  services: Map<string, ServiceEntry>;
  /** Drops a session (its verdict and credentials) so a sign-out or revocation is refused at once, not after 2 s. */
  forgetSession: (jti: string) => void;
  /** Drops every cached verdict (revocations may have been missed): each session is asked about again. */
  forgetVerdicts: () => void;
  /** Calls other services with Nexus's service token (Core's revocation feed). */
  serviceClient: ServiceClient;
  homePreference: HomePreference;
}

/**
 * Wires Nexus from its settings: keys and secrets from HIVEMATRIX_HOME, Core, the IdP. `test`
 * replaces what a test provides itself (its logger, an auth that knows its own signing key).
 */
export function buildDeps(settings: Settings, test: Partial<Pick<Deps, "logger" | "auth" | "csrf">> = {}): Deps {
  const { config } = settings;
  const { logger, logShipper } = test.logger
    ? { logger: test.logger, logShipper: null }
    : createProcessLogging("nexus", config, settings.env);
  // Verdicts are remembered for 2 s, so a session an admin revokes is refused within seconds.
  const sessionCheck = coreSessionCheck(config.services.core!.instanceUrls, 2_000);
  const auth =
    test.auth ??
    createAuth({
      audience: "nexus",
      keys: remoteJwks(config.services.core!.instanceUrls),
      sessionCheck,
      verifiedTokens: new VerifiedTokenCache(),
    });
  const sealer = createSealer(readOrCreateSecret(config.home, "nexus-cookie"));
  const sessions = createSessions({ auth, sealer, isLive: sessionCheck.isLive });
  const services = new Map(
    Object.values(config.services)
      .filter((s) => s.name !== "nexus")
      .map((s) => [s.name, s]),
  );
  const metrics = createNexusMetrics();
  const balancer = createBalancer(services.values(), {
    checkIntervalMs: 5_000,
    probeIntervalMs: 1_000,
    healthTimeoutMs: 2_000,
    logger,
  });
  registerBalancerMetrics(metrics.base.registry, balancer);
  return {
    settings,
    config,
    logger,
    logShipper,
    auth,
    csrf: test.csrf ?? createCsrf(serviceSecret(config.home, "nexus")),
    metrics,
    balancer,
    sealer,
    sessions,
    oidc: createOidc(config, readOrCreateSecret(config.home, config.idp.clientId), sealer),
    stylesheet: loadStylesheet(),
    services,
    forgetSession: (jti) => {
      sessionCheck.forget(jti);
      sessions.drop(jti);
    },
    forgetVerdicts: () => sessionCheck.forgetAll(),
    serviceClient: createServiceClient({
      name: "nexus",
      secret: serviceSecret(config.home, "nexus"),
      coreUrl: config.coreUrl,
      services: config.services,
      logger,
    }),
    homePreference: createHomePreference([...services.values()], logger),
  };
}
