import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb } from "../db/open.ts";
import { DattoClient } from "./datto/client.ts";
import { FreshserviceClient } from "./freshservice/client.ts";
import type { RetryPolicy } from "./http.ts";
import { KeycloakAdminClient } from "./keycloak/client.ts";
import { readIntegrationSecret, SECRET_NAMES } from "./secrets.ts";
import { readSettings } from "./settings.ts";

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
}

/** Raised when a provider is used before it is configured; the message says what to set. */
export class NotConfiguredError extends Error {
  override name = "NotConfiguredError";
}

/** `anyway`: build it even when the integration is turned off (the settings page's connection test). */
export async function freshserviceClient(ctx: IntegrationContext, anyway = false): Promise<FreshserviceClient> {
  const { enabled, settings } = await readSettings(ctx.db, "freshservice");
  if (!enabled && !anyway) throw new NotConfiguredError("The Freshservice integration is turned off in Codex's integration settings.");
  const apiKey = readIntegrationSecret(ctx.home, SECRET_NAMES.freshserviceApiKey);
  if (!settings.domain || !apiKey) throw new NotConfiguredError("Freshservice is not configured: set its domain and API key in Codex's integration settings.");
  return new FreshserviceClient({ domain: settings.domain, apiKey, workspaceId: settings.workspaceId, policy: ctx.policy });
}

export async function dattoClient(ctx: IntegrationContext, anyway = false): Promise<DattoClient> {
  const { enabled, settings } = await readSettings(ctx.db, "datto");
  if (!enabled && !anyway) throw new NotConfiguredError("The Datto RMM integration is turned off in Codex's integration settings.");
  const apiKey = readIntegrationSecret(ctx.home, SECRET_NAMES.dattoApiKey);
  const apiSecret = readIntegrationSecret(ctx.home, SECRET_NAMES.dattoApiSecret);
  if (!settings.apiUrl || !apiKey || !apiSecret) throw new NotConfiguredError("Datto RMM is not configured: set its API URL, key and secret in Codex's integration settings.");
  return new DattoClient({ apiUrl: settings.apiUrl, apiKey, apiSecret, policy: ctx.policy });
}

/** Keycloak's bootstrap admin ("admin", as scripts/supervisor creates it), whose password lives in secrets/keycloak-admin.secret. */
export function keycloakClient(ctx: IntegrationContext): KeycloakAdminClient {
  const password = readIntegrationSecret(ctx.home, SECRET_NAMES.keycloakAdmin);
  if (!password) {
    throw new NotConfiguredError("Agent sync needs Keycloak's admin API: run a real Keycloak (KEYCLOAK_HOME) so HIVEMATRIX_HOME/secrets/keycloak-admin.secret exists.");
  }
  return new KeycloakAdminClient({ url: ctx.idp.url, realm: ctx.idp.realm, username: "admin", password, policy: ctx.policy });
}
