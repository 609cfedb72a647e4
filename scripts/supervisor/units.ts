import { availableParallelism } from "node:os";
import { join } from "node:path";
import {
  ConfigError,
  databaseVariable,
  idpHealthUrl,
  nexusPublicOrigin,
  type PlatformConfig,
  readInt,
  severalOnSqlite,
} from "@hivematrix/lib/config";
import { isPrivateAddress } from "@hivematrix/lib/private-address";
import { readOrCreateSecret } from "@hivematrix/lib/secrets";

/** One process the supervisor runs: the identity provider or an app of services.json. */
export interface Unit {
  name: string;
  title: string;
  command: string[];
  env: Record<string, string>;
  host: string;
  port: number;
  url: string;
  /** GET this until it answers 200 to call the unit healthy. */
  healthUrl: string;
  /** How long a first start may take. */
  startTimeoutMs: number;
  /** Other ports it listens on (Nexus's TLS port, Keycloak's management port), checked free before it starts. */
  extraPorts?: number[];
  /** How many processes run it on its one port (SO_REUSEPORT): Nexus's NEXUS_WORKERS. */
  workers?: number;
  /** Which of those this one is (1…workers): its /health names it, so it alone is waited for. */
  worker?: number;
  /** How many processes run it on consecutive ports from `port` (services.json's `instances`). */
  instances?: number;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/**
 * The platform in start order: identity provider, Core, every other app of services.json,
 * then Nexus last (it proxies to all of them). With `dev`, the apps run in Bun's watch mode;
 * the identity provider does not, so sign-ins survive an edit.
 */
export function platformUnits(
  config: PlatformConfig,
  env: Record<string, string | undefined>,
  options: { dev?: boolean } = {},
): Unit[] {
  const units: Unit[] = [identityProvider(config, env)];
  const names = Object.keys(config.services).sort((a, b) => rank(a) - rank(b));
  for (const name of names) {
    const s = config.services[name]!;
    // Its instances run on other hosts, each under its own supervisor.
    if (s.remote) continue;
    // Only the gateway faces the network (DESIGN.md "One gateway"); an app that Nexus on another
    // host reaches listens on a private address, never on every interface.
    if (name !== "nexus" && !LOOPBACK.has(s.host) && !isPrivateAddress(s.host)) {
      throw new ConfigError(
        `services.json: ${name}.host is ${s.host}; only nexus may listen beyond loopback ` +
          "(use 127.0.0.1, or this host's private-network address when Nexus runs on another machine)",
      );
    }
    if (s.instances > 1 && !env[databaseVariable(name)]) throw new ConfigError(severalOnSqlite(s));
    const tlsPort = name === "nexus" && env.NEXUS_TLS_CERT ? Number(env.NEXUS_HTTPS_PORT || 443) : null;
    const workers = name === "nexus" ? nexusWorkers(env) : 1;
    units.push({
      name,
      title: s.title,
      // --dev: Bun restarts the app in place whenever a file it imports (its own or lib's) changes.
      command: [
        "bun",
        ...(options.dev ? ["--watch", "--no-clear-screen"] : []),
        join(config.root, "apps", name, "src", "main.ts"),
      ],
      env: {},
      host: s.host,
      port: s.port,
      url: s.url,
      healthUrl: `http://${s.host === "0.0.0.0" ? "127.0.0.1" : s.host}:${s.port}/health`,
      startTimeoutMs: 30_000,
      ...(tlsPort ? { extraPorts: [tlsPort] } : {}),
      ...(workers > 1 ? { workers } : {}),
      ...(s.instances > 1 ? { instances: s.instances } : {}),
    });
  }
  return units;
}

/** NEXUS_WORKERS: how many Nexus processes share its port; by default one per core. */
const nexusWorkers = (env: Record<string, string | undefined>) =>
  readInt(env, "NEXUS_WORKERS", availableParallelism(), 1, 64);

function rank(name: string): number {
  return name === "core" ? 0 : name === "nexus" ? 2 : 1;
}

/**
 * The units in the groups `bun run start` starts together: the identity provider, Core, every
 * other app at once (none needs another to start; they only log until Core answers), then Nexus.
 */
export function startStages(units: Unit[]): Unit[][] {
  const stageOf = (unit: Unit) => (unit.name === "idp" ? 0 : rank(unit.name) + 1);
  const stages: Unit[][] = [[], [], [], []];
  for (const unit of units) stages[stageOf(unit)]!.push(unit);
  return stages.filter((stage) => stage.length > 0);
}

function identityProvider(config: PlatformConfig, env: Record<string, string | undefined>): Unit {
  const url = new URL(config.idp.url);
  const port = Number(url.port || 80);
  const base = { host: url.hostname, port, url: config.idp.url, env: {} as Record<string, string> };
  if (!config.idp.keycloakHome) {
    return {
      ...base,
      name: "idp",
      title: "Identity provider (dev)",
      command: ["bun", join(config.root, "apps", "dev-idp", "src", "main.ts")],
      healthUrl: idpHealthUrl(config),
      startTimeoutMs: 30_000,
    };
  }
  // Real Keycloak: loopback only, behind Nexus's /keycloak proxy; the first admin's password
  // is generated (never admin/admin) and kept in secrets/ for `bun run keycloak:setup`.
  const publicUrl = nexusPublicOrigin(config, env) ?? config.idp.url;
  return {
    ...base,
    name: "idp",
    title: "Identity provider (Keycloak)",
    command: [
      join(config.idp.keycloakHome, "bin", "kc.sh"),
      config.env === "production" ? "start" : "start-dev",
      "--http-enabled=true",
      `--http-host=${url.hostname}`,
      `--http-port=${port}`,
      `--hostname=${publicUrl}/keycloak`,
      "--hostname-backchannel-dynamic=true",
      "--proxy-headers=xforwarded",
      "--health-enabled=true",
      // The management interface (health) inherits --http-host, so it stays on loopback too.
      `--http-management-port=${config.idp.managementPort}`,
    ],
    env: {
      KC_BOOTSTRAP_ADMIN_USERNAME: "admin",
      KC_BOOTSTRAP_ADMIN_PASSWORD: readOrCreateSecret(config.home, "keycloak-admin"),
    },
    healthUrl: idpHealthUrl(config),
    startTimeoutMs: 180_000,
    extraPorts: [config.idp.managementPort!],
  };
}
