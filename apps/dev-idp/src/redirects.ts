import type { PlatformConfig } from "@hivematrix/lib/config";

/**
 * The exact callback and post-logout URLs of Nexus: its loopback names on its port, plus the
 * public URL when NEXUS_PUBLIC_URL is set. Never wildcards.
 */
export function redirectUrisFor(config: PlatformConfig, env: Record<string, string | undefined>) {
  const origins = new Set<string>();
  const nexus = config.services.nexus;
  if (nexus) {
    const scheme = new URL(nexus.url).protocol;
    origins.add(`${scheme}//localhost:${nexus.port}`);
    origins.add(`${scheme}//127.0.0.1:${nexus.port}`);
  }
  if (env.NEXUS_PUBLIC_URL) origins.add(new URL(env.NEXUS_PUBLIC_URL).origin);
  return {
    redirectUris: [...origins].map((o) => `${o}/keycloak-callback`),
    postLogoutRedirectUris: [...origins].map((o) => `${o}/signed-out`),
  };
}
