import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { secretPath } from "@hivematrix/lib/secrets";

/**
 * Provider credentials live in HIVEMATRIX_HOME/secrets (mode 0600), never in the database and
 * never echoed back to a browser: pages only learn whether one is configured.
 */
export const SECRET_NAMES = {
  freshserviceApiKey: "freshservice-api-key",
  dattoApiKey: "datto-api-key",
  dattoApiSecret: "datto-api-secret",
  webhookSecret: "freshservice-webhook",
  /** Written by `bun run start` for Keycloak, or by the dev IdP; read (through lib/keycloak-admin) only. */
  keycloakAdmin: "keycloak-admin",
} as const;
export type SecretName = (typeof SECRET_NAMES)[keyof typeof SECRET_NAMES];

export function readIntegrationSecret(home: string, name: SecretName): string | null {
  const path = secretPath(home, name);
  if (!existsSync(path)) return null;
  const value = readFileSync(path, "utf8").trim();
  return value || null;
}

export function hasIntegrationSecret(home: string, name: SecretName): boolean {
  return readIntegrationSecret(home, name) !== null;
}

/** Replaces the secret atomically: a reader sees the old value or the new one, never half of one. */
export function saveIntegrationSecret(home: string, name: SecretName, value: string): void {
  const path = secretPath(home, name);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${value.trim()}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
