import { rmSync } from "node:fs";
import { readSecret } from "@hivematrix/lib/secrets";
import { freePort, startProcess, tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { startFakeKeycloak } from "@hivematrix/lib/testing/fake-keycloak";

/** An identity provider with Keycloak's admin API and the realm `hivematrix` with its four groups. */
export interface IdentityProvider {
  url: string;
  /** The master realm admin's password (user `admin`). */
  password: string;
  /** Admin API paths called so far, when the provider records them (the fake). */
  calls?: () => string[];
  /** Makes matching admin calls fail (the fake only). */
  failures?: { match: RegExp; status: number }[];
  stop(): Promise<void>;
}

export const FAKE = "lib's fake Keycloak";

/** The agent sync runs against both: lib's fake and the dev IdP as `bun run start` runs it. */
export const IDENTITY_PROVIDERS: Record<string, () => Promise<IdentityProvider>> = {
  [FAKE]: async () => {
    const kc = startFakeKeycloak({
      password: "kc-admin-pass",
      realms: { hivematrix: { groups: ["admins", "technicians", "billing", "client"] } },
    });
    return {
      url: kc.url,
      password: kc.admin.password,
      calls: () => kc.calls.map((c) => c.path),
      failures: kc.failures,
      stop: async () => kc.stop(),
    };
  },
  "the dev IdP": async () => {
    const home = tempHome("codex-idp-");
    const port = await freePort();
    const servicesFile = writeServicesFile(home, {
      core: { port: await freePort() },
      nexus: { port: await freePort() },
    });
    const url = `http://127.0.0.1:${port}`;
    const idp = await startProcess({
      name: "dev-idp",
      entry: "apps/dev-idp/src/main.ts",
      env: { HIVEMATRIX_HOME: home, HIVEMATRIX_SERVICES: servicesFile, KEYCLOAK_URL: url, LOG_LEVEL: "warn" },
      url,
    });
    return {
      url,
      password: readSecret(home, "keycloak-admin"),
      async stop() {
        await idp.stop();
        rmSync(home, { recursive: true, force: true });
      },
    };
  },
};
