import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { appConfigFrom, type PlatformConfig } from "@hivematrix/lib/config";
import type { Settings } from "../deps.ts";
import type { AppSettings, SecretFileInfo, Setting } from "./json.ts";

type Env = Record<string, string | undefined>;

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|_KEY$|CREDENTIAL)/i;
const MASK = "••••••••";

/** Hides a secret's value; a URL keeps everything but its password. */
function maskValue(name: string, value: string): { value: string; masked: boolean } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      if (url.password) {
        url.password = "";
        return { value: url.toString().replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@]*)@/i, `$1$2:${MASK}@`), masked: true };
      }
      return { value, masked: false };
    } catch {
      // not a URL after all
    }
  }
  if (SECRET_NAME.test(name) && !/_(FILE|PATH|CERT)$/i.test(name)) return { value: MASK, masked: true };
  return { value, masked: false };
}

function fromEnv(env: Env, name: string, effective: string | null): Setting {
  const set = env[name] !== undefined && env[name] !== "";
  const { value, masked } = maskValue(name, set ? env[name]! : (effective ?? "(unset)"));
  return { name, value, source: set ? "environment" : "default", masked };
}

/** Settings every process reads (lib/config and the log shipper). */
function platformSettings(config: PlatformConfig, env: Env): Setting[] {
  return [
    { ...fromEnv(env, "HIVEMATRIX_HOME", config.home), value: config.home },
    { ...fromEnv(env, "HIVEMATRIX_SERVICES", config.servicesFile), value: config.servicesFile },
    fromEnv(env, "HIVEMATRIX_ENV", config.env),
    fromEnv(env, "LOG_LEVEL", config.logLevel),
    fromEnv(env, "KEYCLOAK_URL", config.idp.url),
    fromEnv(env, "KEYCLOAK_REALM", config.idp.realm),
    fromEnv(env, "KEYCLOAK_CLIENT_ID", config.idp.clientId),
    fromEnv(env, "KEYCLOAK_HOME", config.idp.keycloakHome),
    fromEnv(env, "NEXUS_PUBLIC_URL", null),
    fromEnv(env, "HIVEMATRIX_LOG_BUFFER_LINES", "10000"),
    fromEnv(env, "HIVEMATRIX_LOG_FLUSH_MS", "1000"),
  ];
}

/**
 * Each app's effective settings as far as they are visible from outside it: its services.json
 * entry, its database, and every `<APP>_*` variable in the environment the supervisor gives
 * all apps. Helm's own settings are shown in full.
 */
function appSettings(config: PlatformConfig, env: Env, helm: Settings): AppSettings[] {
  return Object.values(config.services).map((s) => {
    const app = appConfigFrom(config, s.name, env);
    const prefix = `${s.name.toUpperCase().replace(/-/g, "_")}_`;
    const settings: Setting[] = [
      { name: "url", value: s.url, source: "services.json", masked: false },
      { name: "host", value: s.host, source: "services.json", masked: false },
      { name: "permission", value: s.permission ?? "(any signed-in user)", source: "services.json", masked: false },
      { name: "visible", value: String(s.visible), source: "services.json", masked: false },
      app.databaseUrl
        ? {
            name: `${prefix}DATABASE_URL`,
            ...maskValue(`${prefix}DATABASE_URL`, app.databaseUrl),
            source: "environment",
          }
        : {
            name: "database",
            value: `SQLite ${app.sqlitePath} (if the app keeps data)`,
            source: "derived",
            masked: false,
          },
    ];
    if (s.name === "helm") {
      settings.push(
        fromEnv(env, "HELM_LOG_RETENTION_DAYS", String(helm.retentionDays)),
        fromEnv(env, "HELM_LOG_MAX_ROWS", String(helm.maxRows)),
        fromEnv(env, "HELM_LOG_CLEANUP_INTERVAL_SECONDS", String(helm.cleanupIntervalMs / 1000)),
        fromEnv(env, "HELM_SCRAPE_INTERVAL_SECONDS", String(helm.scrapeIntervalMs / 1000)),
        fromEnv(env, "HELM_METRICS_HISTORY", String(helm.metricsHistory)),
      );
    }
    if (s.name === "brainhair") settings.push(...anthropicSettings(config, env));
    const shown = new Set(settings.map((x) => x.name));
    for (const name of Object.keys(env).sort()) {
      if (name.startsWith(prefix) && !shown.has(name) && env[name] !== undefined)
        settings.push({ name, ...maskValue(name, env[name]!), source: "environment" });
    }
    return { service: s.name, title: s.title, settings };
  });
}

/** Whether Brainhair has an Anthropic key (never the key) and where its model requests go. */
function anthropicSettings(config: PlatformConfig, env: Env): Setting[] {
  const file = join(config.home, "secrets", "anthropic.secret");
  const fromFile = existsSync(file) && readFileSync(file, "utf8").trim() !== "";
  const key = env.ANTHROPIC_API_KEY
    ? "set (environment)"
    : fromFile
      ? "set (secrets/anthropic.secret)"
      : "not set: Brainhair cannot answer until ANTHROPIC_API_KEY or secrets/anthropic.secret is set";
  return [
    { name: "ANTHROPIC_API_KEY", value: key, source: env.ANTHROPIC_API_KEY ? "environment" : "derived", masked: false },
    fromEnv(env, "ANTHROPIC_BASE_URL", "https://api.anthropic.com"),
  ];
}

/** The identity provider's settings (KEYCLOAK_* and Keycloak's own KC_* variables). */
function idpSettings(config: PlatformConfig, env: Env): Setting[] {
  const out = [
    fromEnv(env, "KEYCLOAK_URL", config.idp.url),
    fromEnv(env, "KEYCLOAK_HOME", config.idp.keycloakHome),
    // The admin Helm (users) and Codex (agent sync) sign in as; the password defaults to secrets/keycloak-admin.secret.
    fromEnv(env, "KEYCLOAK_ADMIN_USER", "admin"),
    ...(env.KEYCLOAK_ADMIN_PASSWORD ? [fromEnv(env, "KEYCLOAK_ADMIN_PASSWORD", null)] : []),
  ];
  for (const name of Object.keys(env).sort()) {
    if (name.startsWith("KC_") && env[name] !== undefined)
      out.push({ name, ...maskValue(name, env[name]!), source: "environment" });
  }
  return out;
}

/** The secret files (never their contents): name, mode and length. */
function secretFiles(home: string): SecretFileInfo[] {
  const dir = join(home, "secrets");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".secret"))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      let length = 0;
      try {
        length = readFileSync(path, "utf8").trim().length;
      } catch {
        // unreadable: length unknown
      }
      return { name: f.replace(/\.secret$/, ""), path, mode: `0${(statSync(path).mode & 0o777).toString(8)}`, length };
    });
}

/** services.json as written, for display. */
export function servicesFileText(config: PlatformConfig): string {
  try {
    return readFileSync(config.servicesFile, "utf8");
  } catch (e) {
    return `(cannot read ${config.servicesFile}: ${(e as Error).message})`;
  }
}

/** Everything the configuration page and GET /api/config show. */
export function configuration(settings: Settings) {
  const { config, env } = settings;
  return {
    services_file: config.servicesFile,
    services: config.services,
    platform: platformSettings(config, env),
    identity_provider: idpSettings(config, env),
    apps: appSettings(config, env, settings),
    secrets: secretFiles(config.home),
  };
}
