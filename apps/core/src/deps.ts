import { join } from "node:path";
import { z } from "zod";
import { type Auth, createAuth } from "@hivematrix/lib/auth";
import { type AppConfig, loadAppConfig, realmUrl } from "@hivematrix/lib/config";
import { type Csrf, createCsrf } from "@hivematrix/lib/csrf";
import {
  appDatabase,
  type DatabaseLocation,
  type DbHandle,
  openDatabase,
  openDatabaseWhenReachable,
} from "@hivematrix/lib/db";
import { type KeycloakAdmin, platformKeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import type { Logger } from "@hivematrix/lib/log";
import type { LogShipper } from "@hivematrix/lib/log-shipper";
import { createProcessLogging } from "@hivematrix/lib/runtime";
import { ensureHome, serviceSecret } from "@hivematrix/lib/secrets";
import { envInt, readEnv } from "@hivematrix/lib/settings";
import * as schema from "./db/schema.ts";
import { KeyStore } from "./keys/store.ts";
import { registerServiceSecrets, serviceSecretVerifier } from "./service-tokens/data.ts";
import { findSession, judgeSession, touchSession } from "./sessions/data.ts";
import { createRevocations, type Revocations } from "./sessions/revocations.ts";
import { localKeys, USER_TOKEN_TTL_S } from "./tokens/mint.ts";

export type CoreDb = DbHandle<typeof schema>;
type Env = Record<string, string | undefined>;

const coreEnv = z.object({
  CORE_SESSION_TTL_SECONDS: envInt(USER_TOKEN_TTL_S, 1, 86_400),
  CORE_PURGE_INTERVAL_SECONDS: envInt(300, 1, 86_400),
});

export interface Settings {
  config: AppConfig;
  /** Read by the identity provider's admin client (KEYCLOAK_ADMIN_*). */
  env: Env;
  /** Lifetime of a signed-in session (and of its JWT). */
  sessionTtlMs: number;
  /** How often expired sessions are deleted. */
  purgeIntervalMs: number;
  /** How often, at most, a service's secret file is read again after a wrong secret. */
  secretRecheckMs: number;
}

/** Core's settings, read once at start-up: the platform's and CORE_* variables. */
export function loadSettings(env: Env = process.env): Settings {
  const own = readEnv(coreEnv, env);
  return {
    config: loadAppConfig("core", env),
    env,
    sessionTtlMs: own.CORE_SESSION_TTL_SECONDS * 1000,
    purgeIntervalMs: own.CORE_PURGE_INTERVAL_SECONDS * 1000,
    secretRecheckMs: 5_000,
  };
}

const coreDatabase = (config: DatabaseLocation) => appDatabase(config, schema, join(import.meta.dir, "db/migrations"));

/** Core's database (SQLite, or PostgreSQL with CORE_DATABASE_URL), migrated; fails when it cannot be reached (CLIs). */
export function openCoreDb(config: DatabaseLocation): Promise<CoreDb> {
  return openDatabase(coreDatabase(config));
}

/** What Core's features need, built once by main.ts (or by a test). */
export interface Deps {
  settings: Settings;
  config: AppConfig;
  logger: Logger;
  logShipper: LogShipper | null;
  db: CoreDb;
  keys: KeyStore;
  auth: Auth;
  csrf: Csrf;
  /** The realm URL Core reaches the identity provider at (for userinfo). */
  realmUrl: string;
  /** Checks a service's secret for /service-token (re-reading it from disk when it changed). */
  verifyServiceSecret: (service: string, secret: string) => Promise<boolean>;
  /** The identity provider's admin API (to end a revoked user's sessions there); null without a password. */
  idpAdmin: () => KeycloakAdmin | null;
  /** Told of every revoked session, for whoever follows /api/sessions/revocations (every Nexus process). */
  revocations: Revocations;
}

export async function buildDeps(settings: Settings, o: { logger?: Logger } = {}): Promise<Deps> {
  const { config } = settings;
  ensureHome(config.home);
  // A test hands in its own logger; a running Core ships its lines to Helm.
  const { logger, logShipper } = o.logger
    ? { logger: o.logger, logShipper: null }
    : createProcessLogging("core", config, settings.env);
  const keys = await KeyStore.open(config.home);
  // Core listens at once and answers 503 until its database answers; the secrets are registered then.
  const db = openDatabaseWhenReachable(coreDatabase(config), logger, (h) =>
    registerServiceSecrets(h, config.home, config.services),
  );
  // Core checks its own tokens with its key store and session table, never over HTTP.
  const auth = createAuth({
    audience: "core",
    keys: localKeys(keys),
    sessionCheck: async (_token, claims) => {
      const verdict = judgeSession(await findSession(db, claims.jti));
      if (!verdict.valid) return verdict;
      await touchSession(db, verdict.session);
      return { valid: true };
    },
  });
  return {
    settings,
    config,
    logger,
    logShipper,
    db,
    keys,
    auth,
    csrf: createCsrf(serviceSecret(config.home, "core")),
    realmUrl: realmUrl(config),
    verifyServiceSecret: serviceSecretVerifier(db, config.home, logger, settings.secretRecheckMs),
    idpAdmin: platformKeycloakAdmin({ url: config.idp.url, home: config.home, env: settings.env }),
    revocations: createRevocations(),
  };
}
