import { startBackend } from "./backend.ts";
import { startNexusPlatform } from "./helpers.ts";

export interface ProxyPlatform {
  platform: Awaited<ReturnType<typeof startNexusPlatform>>;
  /** Bearer tokens of a technician and an admin. */
  tech: string;
  admin: string;
  stop(): Promise<void>;
}

/**
 * What the proxy tests run against: the IdP, Core and Nexus as processes, the test backend as
 * `echo` (with a public /hooks/ path) and `admintool` (admins only), and `down`, which never answers.
 */
export async function startProxyPlatform(): Promise<ProxyPlatform> {
  const platform = await startNexusPlatform(
    {
      echo: { title: "Echo", start: false, publicPaths: ["/hooks/"] },
      admintool: { title: "Admin tool", start: false, permission: "admin" },
      down: { title: "Down", start: false },
    },
    // The load test sends 2,000 requests at once from one session: limits are tested in rate-limits.test.ts.
    {
      NEXUS_UPSTREAM_TIMEOUT_SECONDS: "1",
      LOG_LEVEL: "debug",
      NEXUS_RATE_LIMIT_PER_ADDRESS: "100000",
      NEXUS_RATE_LIMIT_PER_SESSION: "100000",
    },
  );
  const backend = startBackend(platform.ports.echo!);
  const adminTool = startBackend(platform.ports.admintool!);
  const [tech, admin] = await Promise.all([platform.token("technician"), platform.token("admin")]);
  return {
    platform,
    tech,
    admin,
    async stop() {
      backend.stop(true);
      adminTool.stop(true);
      await platform.stop();
    },
  };
}

export const bearer = (token: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  ...extra,
});
