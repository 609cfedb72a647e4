/**
 * `bun run keycloak:setup [--admin-user admin]`: configures a running Keycloak for HiveMatrix
 * through its admin REST API, idempotently (README "Nexus" → "Real Keycloak").
 * Signs in as KEYCLOAK_ADMIN_USER (default admin) with KEYCLOAK_ADMIN_PASSWORD, or the
 * bootstrap password `bun run start` generated in HIVEMATRIX_HOME/secrets/keycloak-admin.secret.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadPlatformConfig, nexusPublicOrigin, runMain } from "@hivematrix/lib/config";
import { createKeycloakAdmin, KeycloakAdminError } from "@hivematrix/lib/keycloak-admin";
import { ensureHome, readOrCreateSecret, readSecret, secretPath } from "@hivematrix/lib/secrets";
import { setUpRealm } from "./keycloak/realm-setup.ts";

await runMain(async () => {
  const { values } = parseArgs({ options: { "admin-user": { type: "string", default: "admin" } }, strict: true });
  const config = loadPlatformConfig();
  ensureHome(config.home);
  const password =
    process.env.KEYCLOAK_ADMIN_PASSWORD ||
    (existsSync(secretPath(config.home, "keycloak-admin")) ? readSecret(config.home, "keycloak-admin") : null);
  if (!password)
    throw new ConfigError(
      `set KEYCLOAK_ADMIN_PASSWORD, or run \`bun run start\` with KEYCLOAK_HOME first (it writes ${secretPath(config.home, "keycloak-admin")})`,
    );
  const admin = createKeycloakAdmin({
    url: config.idp.url,
    username: process.env.KEYCLOAK_ADMIN_USER || "admin",
    password,
  });
  const origin = nexusPublicOrigin(config);
  if (!origin) throw new ConfigError("services.json has no nexus: set NEXUS_PUBLIC_URL to the origin browsers use");
  console.log(`Configuring realm ${config.idp.realm} at ${config.idp.url} (redirect URIs on ${origin})`);
  try {
    const result = await setUpRealm(admin, {
      realm: config.idp.realm,
      clientId: config.idp.clientId,
      clientSecret: readOrCreateSecret(config.home, config.idp.clientId),
      nexusOrigin: origin,
      adminUsername: values["admin-user"]!,
    });
    for (const change of result.changes) console.log(`  ${change}`);
    if (!result.changes.length) console.log("  nothing to change: the realm is already set up");
    if (result.adminPassword) {
      console.log(`\nFirst HiveMatrix admin: ${values["admin-user"]} / ${result.adminPassword}`);
      console.log("This password is shown once and not stored; Keycloak asks for a new one at the first sign-in.");
    }
  } catch (e) {
    if (e instanceof KeycloakAdminError || (e as Error).name === "TypeError") {
      console.error(`keycloak:setup failed: ${(e as Error).message}`);
      process.exit(1);
    }
    throw e;
  }
});
