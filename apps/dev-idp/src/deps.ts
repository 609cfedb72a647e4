import { join } from "node:path";
import type Provider from "oidc-provider";
import { z } from "zod";
import { IDENTITY_PROVIDER, loadPlatformConfig, nexusPublicOrigin, type PlatformConfig } from "@hivematrix/lib/config";
import { appDatabase, type DatabaseLocation, type DbHandle, openDatabase } from "@hivematrix/lib/db";
import type { Logger } from "@hivematrix/lib/log";
import type { LogShipper } from "@hivematrix/lib/log-shipper";
import { createProcessLogging } from "@hivematrix/lib/runtime";
import { ensureHome, readOrCreateSecret } from "@hivematrix/lib/secrets";
import { readEnv } from "@hivematrix/lib/settings";
import { adoptPreMigrationFile } from "./db/legacy.ts";
import * as schema from "./db/schema.ts";
import { forwardedPrefix } from "./forwarded.ts";
import { purgeExpired } from "./provider/data.ts";
import { createProvider } from "./provider/provider.ts";
import { loadSigningKey } from "./provider/signing-key.ts";
import {
  createSignInThrottle,
  DEFAULT_SIGN_IN_THROTTLE,
  type SignInThrottle,
  type SignInThrottleOptions,
} from "./sign-in/throttle.ts";
import { seedDirectory } from "./users/seed.ts";

export type DevIdpDb = DbHandle<typeof schema>;
type Env = Record<string, string | undefined>;

const MIGRATIONS = join(import.meta.dir, "db/migrations");

/** Every environment variable the dev IdP reads of its own. */
const devIdpEnv = z.object({
  DEV_IDP_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^/]/, "must be a URL like postgres://user:password@host:5432/database")
    .optional(),
});

export interface Settings {
  config: PlatformConfig;
  /** Read by the log shipper (HIVEMATRIX_LOG_*). */
  env: Env;
  /** Where it listens: KEYCLOAK_URL's host and port. */
  host: string;
  port: number;
  realm: string;
  clientId: string;
  /** The client's exact callback and post-logout URLs, on Nexus's public origin. */
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /**
   * The one origin Nexus serves the IdP at (its `/keycloak` proxy), as Keycloak's --hostname: a
   * request that came through a proxy gets every absolute URL on it, whatever host it was
   * forwarded for; a direct one gets the IdP's own address. Never a request header's host.
   */
  publicOrigin: string | null;
  /** HIVEMATRIX_HOME/data/dev-idp.db, or PostgreSQL with DEV_IDP_DATABASE_URL. */
  database: DatabaseLocation;
  /** Brute-force limits on the sign-in form (those keycloak:setup gives Keycloak). */
  signInThrottle: SignInThrottleOptions;
}

/** The dev IdP's settings, read once at start-up: the platform's (KEYCLOAK_*, Nexus's origins) and its own. */
export function loadSettings(env: Env = process.env): Settings {
  const config = loadPlatformConfig(env);
  const own = readEnv(devIdpEnv, env);
  const url = new URL(config.idp.url);
  const publicOrigin = nexusPublicOrigin(config, env);
  const origins = publicOrigin ? [publicOrigin] : [];
  return {
    config,
    env,
    host: url.hostname,
    port: Number(url.port || 80),
    realm: config.idp.realm,
    clientId: config.idp.clientId,
    redirectUris: origins.map((o) => `${o}/keycloak-callback`),
    postLogoutRedirectUris: origins.map((o) => `${o}/signed-out`),
    publicOrigin,
    database: {
      databaseUrl: own.DEV_IDP_DATABASE_URL ?? null,
      sqlitePath: join(config.home, "data", "dev-idp.db"),
    },
    signInThrottle: DEFAULT_SIGN_IN_THROTTLE,
  };
}

/** What the dev IdP's features need, built once by main.ts (or by a test). */
export interface Deps {
  settings: Settings;
  logger: Logger;
  logShipper: LogShipper | null;
  /** The users and groups, and oidc-provider's storage. */
  db: DevIdpDb;
  provider: Provider;
  /** Where this machine reaches the dev IdP, and the realm's issuer there. */
  url: string;
  issuer: string;
  clientSecret: string;
  /** The master realm's admin for the admin API (password in secrets/keycloak-admin.secret). */
  admin: { username: string; password: string };
  throttle: SignInThrottle;
}

/**
 * Opens (and migrates) the database, seeds the dev users on the first start, and sets up
 * oidc-provider with the keys and secrets of HIVEMATRIX_HOME. `test` replaces the logger.
 */
export async function buildDeps(settings: Settings, test: Partial<Pick<Deps, "logger">> = {}): Promise<Deps> {
  const { config, realm, clientId } = settings;
  ensureHome(config.home);
  const { logger, logShipper } = test.logger
    ? { logger: test.logger, logShipper: null }
    : createProcessLogging(IDENTITY_PROVIDER, config, settings.env);
  const database = appDatabase(settings.database, schema, MIGRATIONS);
  if (!database.databaseUrl && adoptPreMigrationFile(database.sqlitePath, MIGRATIONS))
    logger.info("kept the users of a dev-idp.db from before its migrations", { file: database.sqlitePath });
  const db = await openDatabase(database);
  await seedDirectory(db);
  await purgeExpired(db);
  const url = `http://${settings.host}:${settings.port}`;
  const issuer = `${url}/realms/${realm}`;
  const clientSecret = readOrCreateSecret(config.home, clientId);
  const provider = createProvider({
    issuer,
    clientId,
    clientSecret,
    redirectUris: settings.redirectUris,
    postLogoutRedirectUris: settings.postLogoutRedirectUris,
    signingKey: await loadSigningKey(config.home),
    cookieKeys: [readOrCreateSecret(config.home, "dev-idp-cookie")],
    db,
    interactionPath: (ctx, uid) => `${forwardedPrefix(ctx.req)}/realms/${realm}/login-actions/authenticate/${uid}`,
  });
  provider.on("server_error", (_ctx, err) => logger.error("oidc-provider error", { error: err }));
  return {
    settings,
    logger,
    logShipper,
    db,
    provider,
    url,
    issuer,
    clientSecret,
    // Keycloak's bootstrap admin has a generated password, never admin/admin; so does the dev IdP's.
    admin: { username: "admin", password: readOrCreateSecret(config.home, "keycloak-admin") },
    throttle: createSignInThrottle(settings.signInThrottle),
  };
}
