import { existsSync } from "node:fs";
import { ConfigError, nexusOrigins, type AppConfig } from "@hivematrix/lib/config";
import type { RateLimitSettings } from "./rate-limit.ts";

/** Nexus's own settings, read once at start-up. README "Nexus" lists them. */
export interface NexusSettings {
  /** Origins browsers may reach Nexus at (exact redirect URIs are built from these). */
  origins: string[];
  /** Where a browser is sent when it arrives under a name that is not one of `origins`. */
  defaultOrigin: string;
  tls: { cert: string; key: string; port: number } | null;
  /** How long a backend may take to send its response headers. */
  upstreamTimeoutMs: number;
  /** Idle keep-alive connections kept per backend pool. */
  maxIdleUpstreamSockets: number;
  /** Requests per client address and per session before 429 with Retry-After. */
  rateLimit: RateLimitSettings;
}

type Env = Record<string, string | undefined>;

function intSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

function boolSetting(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new ConfigError(`${name} must be true or false (got ${JSON.stringify(env[name])})`);
}

/** Path segments Nexus serves itself; a service of the same name could never be reached. */
export const RESERVED_PATHS = [
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

export function loadNexusSettings(config: AppConfig, env: Env = process.env): NexusSettings {
  for (const name of Object.keys(config.services)) {
    if (RESERVED_PATHS.includes(name))
      throw new ConfigError(`services.json: "${name}" is a path Nexus serves itself; rename that service`);
  }
  const cert = env.NEXUS_TLS_CERT || null;
  const key = env.NEXUS_TLS_KEY || null;
  if (Boolean(cert) !== Boolean(key))
    throw new ConfigError("set both NEXUS_TLS_CERT and NEXUS_TLS_KEY (PEM files), or neither");
  for (const [name, path] of [
    ["NEXUS_TLS_CERT", cert],
    ["NEXUS_TLS_KEY", key],
  ] as const) {
    if (path && !existsSync(path)) throw new ConfigError(`${name}=${path}: no such file`);
  }
  if (cert && !env.NEXUS_PUBLIC_URL?.startsWith("https://")) {
    throw new ConfigError(
      "NEXUS_TLS_CERT is set: also set NEXUS_PUBLIC_URL to the https:// address users open (e.g. https://hive.example.com)",
    );
  }
  const origins = nexusOrigins(config, env);
  return {
    origins,
    defaultOrigin: env.NEXUS_PUBLIC_URL ? new URL(env.NEXUS_PUBLIC_URL).origin : (origins[0] ?? config.self.url),
    tls: cert && key ? { cert, key, port: intSetting(env, "NEXUS_HTTPS_PORT", 443, 1, 65535) } : null,
    upstreamTimeoutMs: intSetting(env, "NEXUS_UPSTREAM_TIMEOUT_SECONDS", 30, 1, 3600) * 1000,
    maxIdleUpstreamSockets: intSetting(env, "NEXUS_UPSTREAM_IDLE_SOCKETS", 256, 1, 65535),
    rateLimit: {
      perAddress: intSetting(env, "NEXUS_RATE_LIMIT_PER_ADDRESS", 3000, 1, 100_000_000),
      perSession: intSetting(env, "NEXUS_RATE_LIMIT_PER_SESSION", 1500, 1, 100_000_000),
      windowSeconds: intSetting(env, "NEXUS_RATE_LIMIT_WINDOW_SECONDS", 10, 1, 3600),
      limitLoopback: boolSetting(env, "NEXUS_RATE_LIMIT_LOOPBACK", false),
    },
  };
}
