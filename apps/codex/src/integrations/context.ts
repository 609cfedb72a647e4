import { platformKeycloakAdmin, type KeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb } from "../deps.ts";
import { DattoClient } from "./datto/client.ts";
import { FreshserviceClient } from "./freshservice/client.ts";
import type { ProviderMonitor, RetryPolicy } from "./http.ts";
import { readIntegrationSecret, SECRET_NAMES } from "./secrets.ts";
import { readSettings } from "./settings.ts";
import type { WriteBackOptions } from "./writeback/worker.ts";

/** Everything the syncs, the webhook and the routes share. */
export interface IntegrationContext {
  db: CodexDb;
  /** HIVEMATRIX_HOME: provider credentials live in its secrets/ folder. */
  home: string;
  logger: Logger;
  /** The identity provider as this machine reaches it (agent sync). */
  idp: { url: string; realm: string };
  /** Retry/backoff overrides (tests make delays short). */
  policy?: Partial<RetryPolicy>;
  /** The providers' quota window, a minute at both; tests shrink it to pace a long sync in seconds. */
  rateWindowMs?: number;
  /** The Freshservice write-back queue's timing (tests make it quick). */
  writeBack?: Partial<WriteBackOptions>;
}

export interface ClientOptions {
  /** Build it even when the integration is turned off (the settings page's connection test). */
  anyway?: boolean;
  /** The sync run that is told of every request, page and wait. */
  monitor?: ProviderMonitor;
  /** Retry settings of this client over the context's (the write-back queue sends each attempt once). */
  policyOverride?: Partial<RetryPolicy>;
}

/** Raised when a provider is used before it is configured; the message says what to set. */
export class NotConfiguredError extends Error {
  override name = "NotConfiguredError";
}

export async function freshserviceClient(
  ctx: IntegrationContext,
  options: ClientOptions = {},
): Promise<FreshserviceClient> {
  const { enabled, settings } = await readSettings(ctx.db, "freshservice");
  if (!enabled && !options.anyway)
    throw new NotConfiguredError("The Freshservice integration is turned off in Codex's integration settings.");
  const apiKey = readIntegrationSecret(ctx.home, SECRET_NAMES.freshserviceApiKey);
  if (!settings.domain || !apiKey)
    throw new NotConfiguredError(
      "Freshservice is not configured: set its domain and API key in Codex's integration settings.",
    );
  return new FreshserviceClient({
    domain: settings.domain,
    apiKey,
    policy: { ...ctx.policy, ...options.policyOverride },
    rateWindowMs: ctx.rateWindowMs,
    monitor: options.monitor,
  });
}

export async function dattoClient(ctx: IntegrationContext, options: ClientOptions = {}): Promise<DattoClient> {
  const { enabled, settings } = await readSettings(ctx.db, "datto");
  if (!enabled && !options.anyway)
    throw new NotConfiguredError("The Datto RMM integration is turned off in Codex's integration settings.");
  const apiKey = readIntegrationSecret(ctx.home, SECRET_NAMES.dattoApiKey);
  const apiSecret = readIntegrationSecret(ctx.home, SECRET_NAMES.dattoApiSecret);
  if (!settings.apiUrl || !apiKey || !apiSecret)
    throw new NotConfiguredError(
      "Datto RMM is not configured: set its API URL, key and secret in Codex's integration settings.",
    );
  return new DattoClient({
    apiUrl: settings.apiUrl,
    apiKey,
    apiSecret,
    policy: ctx.policy,
    rateLimit: ctx.rateWindowMs ? { limit: 600, windowMs: ctx.rateWindowMs } : undefined,
    monitor: options.monitor,
  });
}

/** The identity provider's admin API and the realm whose groups hold the agents. */
export interface KeycloakSource {
  admin: KeycloakAdmin;
  realm: string;
}

/**
 * lib's Keycloak admin client, signed in as the platform's IdP admin: Keycloak's bootstrap admin,
 * or the dev IdP's, whose password `bun run start` (or the dev IdP) keeps in
 * secrets/keycloak-admin.secret (KEYCLOAK_ADMIN_USER / KEYCLOAK_ADMIN_PASSWORD override it).
 */
export function keycloakClient(ctx: IntegrationContext): KeycloakSource {
  const admin = platformKeycloakAdmin({ url: ctx.idp.url, home: ctx.home })();
  if (!admin) {
    throw new NotConfiguredError(
      "Agent sync needs the identity provider's admin account: start HiveMatrix with `bun run start` " +
        "(it writes HIVEMATRIX_HOME/secrets/keycloak-admin.secret) or set KEYCLOAK_ADMIN_PASSWORD.",
    );
  }
  return { admin, realm: ctx.idp.realm };
}
