import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { describeStartupFailure, redactedUrl, type DatabaseSetting } from "./startup-failure.ts";

/** Raised for any missing or invalid setting; main.ts prints it and exits non-zero. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export const PERMISSION_LEVELS = ["admin", "technician", "billing", "client"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

export const REPO_ROOT = resolve(import.meta.dir, "../..");

/**
 * The identity provider's name: its unit under the supervisor and in Helm, and the one caller
 * outside services.json that Core knows (the dev IdP ships its logs to Helm like every app).
 */
export const IDENTITY_PROVIDER = "idp";

const serviceNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "service names are lower-case letters, digits and dashes");

const httpUrl = z.url({ protocol: /^https?$/ });

const serviceEntrySchema = z
  .object({
    /** Where this machine reaches the service (its first instance); taken from `urls` when those are given. */
    url: httpUrl.optional(),
    port: z.number().int().min(1).max(65535).optional(),
    /** How many processes the supervisor runs here, on `port` and the ports after it. */
    instances: z.number().int().min(1).max(32).default(1),
    /** Instances on other hosts: this machine runs none of them and Nexus balances across these. */
    urls: z.array(httpUrl).min(1).max(32).optional(),
    host: z.string().default("127.0.0.1"),
    title: z.string().min(1),
    description: z.string().default(""),
    visible: z.boolean(),
    permission: z.enum(PERMISSION_LEVELS).nullable().default(null),
    /**
     * Path prefixes Nexus forwards without a session (and without a token): for callers that
     * cannot sign in, such as a PSA's webhook, on routes that authenticate themselves.
     */
    publicPaths: z
      .array(z.string().regex(/^\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\/$/, "a path prefix like /webhooks/"))
      .default([]),
  })
  .strict();

export type ServiceEntry = Omit<z.infer<typeof serviceEntrySchema>, "url" | "port" | "urls"> & {
  name: string;
  url: string;
  port: number;
  /** Every instance's base URL: `url` alone, the consecutive local ports of `instances`, or `urls`. */
  instanceUrls: string[];
  /** Runs on other hosts (`urls`): the supervisor here does not start it. */
  remote: boolean;
};
export type ServiceRegistry = Record<string, ServiceEntry>;

const envSchema = z.enum(["development", "production"]);
const logLevelSchema = z.enum(["debug", "info", "warn", "error"]);
export type LogLevel = z.infer<typeof logLevelSchema>;

export interface PlatformConfig {
  root: string;
  /** Absolute HIVEMATRIX_HOME: keys/, secrets/, data/, logs/, run/. */
  home: string;
  servicesFile: string;
  env: "development" | "production";
  logLevel: LogLevel;
  services: ServiceRegistry;
  idp: {
    /** Where this machine reaches the identity provider (Keycloak or the dev IdP). */
    url: string;
    realm: string;
    clientId: string;
    /** Set only when KEYCLOAK_HOME points at a real Keycloak installation. */
    keycloakHome: string | null;
    /**
     * Keycloak's management interface (its health checks), KEYCLOAK_MANAGEMENT_PORT, 9000 by
     * default; it binds the same loopback host as Keycloak. Null with the dev IdP.
     */
    managementPort: number | null;
  };
}

/** How long an app waits for its database before answering 503 (0: no limit). */
export interface DatabaseTimeouts {
  /** HIVEMATRIX_DB_CONNECT_TIMEOUT_SECONDS: opening a connection. */
  connectMs: number;
  /** HIVEMATRIX_DB_STATEMENT_TIMEOUT_SECONDS: one statement (and, on SQLite, a locked file). */
  statementMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 5_000, statementMs: 10_000 };

export interface AppConfig extends PlatformConfig {
  name: string;
  self: ServiceEntry;
  coreUrl: string;
  /** `<APP>_DATABASE_URL`; null means the embedded SQLite file under data/. */
  databaseUrl: string | null;
  /** The variable databaseUrl comes from, e.g. CODEX_DATABASE_URL (named in messages). */
  databaseVariable: string;
  sqlitePath: string;
  databaseTimeouts: DatabaseTimeouts;
}

type Env = Record<string, string | undefined>;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

function readEnum<T extends string>(env: Env, name: string, schema: z.ZodType<T>, fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(`${name} is invalid (${JSON.stringify(raw)}): ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function readUrl(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  const parsed = z.url({ protocol: /^https?$/ }).safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${name} must be an http(s) URL (got ${JSON.stringify(raw)})`);
  return parsed.data.replace(/\/+$/, "");
}

export function loadServices(file: string): ServiceRegistry {
  if (!existsSync(file)) throw new ConfigError(`services registry not found at ${file} (set HIVEMATRIX_SERVICES)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ConfigError(`services registry ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = z.record(serviceNameSchema, serviceEntrySchema).safeParse(raw);
  if (!parsed.success) throw new ConfigError(`services registry ${file} is invalid: ${describeIssues(parsed.error)}`);
  const services: ServiceRegistry = {};
  const taken = new Map<number, string>();
  for (const [name, entry] of Object.entries(parsed.data)) {
    const service = serviceFrom(file, name, entry);
    if (!service.remote)
      for (let i = 0; i < service.instances; i++) {
        const port = service.port + i;
        const holder = taken.get(port);
        if (holder) throw new ConfigError(`services registry ${file}: ${name} and ${holder} both use port ${port}`);
        taken.set(port, name);
      }
    services[name] = service;
  }
  if (!services.core) throw new ConfigError(`services registry ${file} has no "core" entry`);
  return services;
}

const trimmed = (url: string) => url.replace(/\/+$/, "");
const portOf = (url: URL) => Number(url.port || (url.protocol === "https:" ? 443 : 80));

/** One entry of services.json with its instances spelled out. */
function serviceFrom(file: string, name: string, entry: z.infer<typeof serviceEntrySchema>): ServiceEntry {
  const bad = (why: string) => new ConfigError(`services registry ${file}: ${name}${why}`);
  const { urls, ...rest } = entry;
  if (urls) {
    if (entry.instances !== 1) throw bad(" has both urls and instances; list every instance in urls");
    if (name === "nexus") throw bad(": Nexus runs here (several behind a load balancer: see the README)");
    const first = new URL(urls[0]!);
    return {
      ...rest,
      name,
      url: trimmed(urls[0]!),
      port: portOf(first),
      instanceUrls: urls.map(trimmed),
      remote: true,
    };
  }
  if (!entry.url || entry.port === undefined) throw bad(" needs url and port (or urls, for instances on other hosts)");
  const url = new URL(entry.url);
  if (portOf(url) !== entry.port) throw bad(`.url port does not match ${name}.port`);
  if (entry.instances > 1 && name === "nexus") throw bad(": Nexus runs several processes with NEXUS_WORKERS");
  if (entry.port + entry.instances - 1 > 65535) throw bad(`: ${entry.instances} instances from port ${entry.port}`);
  const instanceUrls = Array.from({ length: entry.instances }, (_, i) => {
    url.port = String(entry.port! + i);
    return trimmed(url.toString());
  });
  return { ...rest, name, url: instanceUrls[0]!, port: entry.port, instanceUrls, remote: false };
}

/** Reads the settings every process shares. Call once at start-up. */
export function loadPlatformConfig(env: Env = process.env): PlatformConfig {
  const homeRaw = env.HIVEMATRIX_HOME || ".hivematrix";
  const home = isAbsolute(homeRaw) ? homeRaw : resolve(REPO_ROOT, homeRaw);
  const servicesFile = env.HIVEMATRIX_SERVICES ? resolve(env.HIVEMATRIX_SERVICES) : join(REPO_ROOT, "services.json");
  const realm = env.KEYCLOAK_REALM || "hivematrix";
  if (!/^[A-Za-z0-9_-]+$/.test(realm))
    throw new ConfigError(`KEYCLOAK_REALM must be a plain realm name (got ${JSON.stringify(realm)})`);
  const keycloakHome = env.KEYCLOAK_HOME ? resolve(env.KEYCLOAK_HOME) : null;
  if (keycloakHome && !existsSync(join(keycloakHome, "bin", "kc.sh"))) {
    throw new ConfigError(`KEYCLOAK_HOME=${keycloakHome} does not contain bin/kc.sh`);
  }
  return {
    root: REPO_ROOT,
    home,
    servicesFile,
    env: readEnum(env, "HIVEMATRIX_ENV", envSchema, "development"),
    logLevel: readEnum(env, "LOG_LEVEL", logLevelSchema, "info"),
    services: loadServices(servicesFile),
    idp: {
      url: readUrl(env, "KEYCLOAK_URL", "http://127.0.0.1:8080"),
      realm,
      clientId: env.KEYCLOAK_CLIENT_ID || "core-client",
      keycloakHome,
      managementPort: keycloakHome ? readInt(env, "KEYCLOAK_MANAGEMENT_PORT", 9000, 1, 65_535) : null,
    },
  };
}

/** The configuration of one app of services.json. */
export function loadAppConfig(name: string, env: Env = process.env): AppConfig {
  const platform = loadPlatformConfig(env);
  return appConfigFrom(platform, name, env);
}

/**
 * The database setting of the app this process runs (its first appConfigFrom), so runMain can
 * name the variable to fix when the database refuses at start-up.
 */
let startingDatabase: DatabaseSetting | null = null;

export function appConfigFrom(platform: PlatformConfig, name: string, env: Env = process.env): AppConfig {
  const entry = platform.services[name];
  if (!entry) throw new ConfigError(`"${name}" is not in ${platform.servicesFile}`);
  const dbVar = databaseVariable(name);
  const databaseUrl = env[dbVar] || null;
  if (databaseUrl) checkDatabaseUrl(dbVar, databaseUrl);
  if (!databaseUrl && entry.instanceUrls.length > 1) throw new ConfigError(severalOnSqlite(entry));
  // HIVEMATRIX_INSTANCE says which instance this process is of its own app; an app of one instance
  // (another app whose settings this process reads, say) has only its first.
  const self =
    entry.instances > 1 ? instanceOf(entry, readInt(env, "HIVEMATRIX_INSTANCE", 1, 1, entry.instances)) : entry;
  const config: AppConfig = {
    ...platform,
    name,
    self,
    coreUrl: platform.services.core!.url,
    databaseUrl,
    databaseVariable: dbVar,
    sqlitePath: join(platform.home, "data", `${name}.db`),
    databaseTimeouts: {
      connectMs:
        readInt(env, "HIVEMATRIX_DB_CONNECT_TIMEOUT_SECONDS", DEFAULT_DATABASE_TIMEOUTS.connectMs / 1000, 1, 300) *
        1000,
      statementMs:
        readInt(env, "HIVEMATRIX_DB_STATEMENT_TIMEOUT_SECONDS", DEFAULT_DATABASE_TIMEOUTS.statementMs / 1000, 1, 3600) *
        1000,
    },
  };
  startingDatabase ??= { variable: dbVar, url: databaseUrl, sqlitePath: config.sqlitePath };
  return config;
}

/** The variable that holds an app's PostgreSQL URL, e.g. CODEX_DATABASE_URL. */
export function databaseVariable(name: string): string {
  return `${name.toUpperCase().replace(/-/g, "_")}_DATABASE_URL`;
}

/** The one line that stops a start when several instances would share one SQLite file. */
export function severalOnSqlite(entry: ServiceEntry): string {
  return (
    `${entry.name} has ${entry.instanceUrls.length} instances in services.json but no ${databaseVariable(entry.name)}: ` +
    "several instances share one PostgreSQL database (SQLite is one file for one process)"
  );
}

/** The entry as instance `instance` (HIVEMATRIX_INSTANCE, from 1) of a locally run service sees itself. */
function instanceOf(entry: ServiceEntry, instance: number): ServiceEntry {
  if (instance === 1) return entry;
  const url = entry.instanceUrls[instance - 1]!;
  return { ...entry, url, port: entry.port + instance - 1 };
}

/** A postgres:// URL the driver can use: host, numeric port, database, and well-formed %-escapes. */
function checkDatabaseUrl(variable: string, url: string): void {
  const bad = (why: string) =>
    new ConfigError(
      `${variable} must be a URL like postgres://user:password@host:5432/database; ${why} (got ${JSON.stringify(redactedUrl(url))})`,
    );
  if (!/^postgres(ql)?:\/\//.test(url)) throw bad("it does not start with postgres://");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw bad("it is not a valid URL (a port that is not a number, or a character that needs %-escaping?)");
  }
  try {
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
    decodeURIComponent(parsed.pathname);
  } catch {
    throw bad("a %-escape in it is malformed (write % itself as %25)");
  }
  if (!parsed.hostname) throw bad("it names no host");
}

/** The realm's base URL as this machine reaches it, e.g. http://127.0.0.1:8080/realms/hivematrix. */
export function realmUrl(config: PlatformConfig): string {
  return `${config.idp.url}/realms/${config.idp.realm}`;
}

/** Where the supervisor and Helm check the identity provider: Keycloak's management interface, or the dev IdP's /health. */
export function idpHealthUrl(config: PlatformConfig): string {
  const { url, managementPort } = config.idp;
  return managementPort ? `http://${new URL(url).hostname}:${managementPort}/health/ready` : `${url}/health`;
}

/**
 * A whole-number setting from the environment: the fallback when unset or empty, otherwise a
 * ConfigError naming the variable unless it is an integer within [min, max].
 */
export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

/**
 * Runs main() (a process's start-up). Whatever stops it is one line on stderr that names what to
 * fix (the variable, the file, the database and its answer), never a stack, and exit code 1.
 */
export async function runMain(main: () => Promise<unknown> | unknown): Promise<void> {
  try {
    await main();
  } catch (e) {
    console.error(
      e instanceof ConfigError ? `configuration error: ${e.message}` : describeStartupFailure(e, startingDatabase),
    );
    process.exit(1);
  }
}

/**
 * The one origin browsers use for Nexus: NEXUS_PUBLIC_URL's, else Nexus's port on localhost.
 * Keycloak builds its forms and redirects on a single origin (its --hostname) and its cookies
 * are set there, so HiveMatrix has exactly one: the IdP client's redirect URIs are on it, and
 * Nexus sends a browser that arrives under any other name to it before sign-in.
 * Null when the registry has no Nexus and NEXUS_PUBLIC_URL is unset.
 */
export function nexusPublicOrigin(config: PlatformConfig, env: Env = process.env): string | null {
  if (env.NEXUS_PUBLIC_URL) {
    const parsed = z.url({ protocol: /^https?$/ }).safeParse(env.NEXUS_PUBLIC_URL);
    if (!parsed.success)
      throw new ConfigError(`NEXUS_PUBLIC_URL must be an http(s) URL (got ${JSON.stringify(env.NEXUS_PUBLIC_URL)})`);
    return new URL(parsed.data).origin;
  }
  const nexus = config.services.nexus;
  return nexus ? `${new URL(nexus.url).protocol}//localhost:${nexus.port}` : null;
}
