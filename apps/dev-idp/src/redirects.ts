import { nexusOrigins, type PlatformConfig } from "@hivematrix/lib/config";

/** The client's exact callback and post-logout URLs on every origin browsers reach Nexus at. */
export function redirectUrisFor(config: PlatformConfig, env: Record<string, string | undefined>) {
  const origins = nexusOrigins(config, env);
  return {
    redirectUris: origins.map((o) => `${o}/keycloak-callback`),
    postLogoutRedirectUris: origins.map((o) => `${o}/signed-out`),
  };
}
