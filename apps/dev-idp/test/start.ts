import { createLogger } from "@hivematrix/lib/log";
import { freePort, writeServicesFile } from "@hivematrix/lib/testing";
import { createDevIdpApp, type DevIdpApp } from "../src/app.ts";
import { buildDeps, loadSettings, type Settings } from "../src/deps.ts";
import { serveDevIdp } from "../src/serve.ts";

/** Nexus's one public origin for these tests: registered on port 9, where nothing listens. */
export const PUBLIC_ORIGIN = "http://127.0.0.1:9";
/** Where the IdP sends a browser back: Nexus's callback on its public origin. */
export const REDIRECT = `${PUBLIC_ORIGIN}/keycloak-callback`;
const logger = createLogger({ service: "dev-idp", level: "error", write: () => {} });

export interface TestIdp {
  url: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  admin: { username: string; password: string };
  app: DevIdpApp;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Default: a free port. */
  port?: number;
  host?: string;
  /** More of the platform's variables (NEXUS_PUBLIC_URL, DEV_IDP_DATABASE_URL). */
  env?: Record<string, string>;
  signInThrottle?: Settings["signInThrottle"];
}

/** The dev IdP in this process, on `home`, configured from the environment as main.ts configures it. */
export async function startIdp(home: string, o: StartOptions = {}): Promise<TestIdp> {
  const port = o.port ?? (await freePort());
  const settings = loadSettings({
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: writeServicesFile(home, {
      core: { port: 1, visible: false },
      nexus: { port: Number(new URL(REDIRECT).port), visible: false },
    }),
    KEYCLOAK_URL: `http://${o.host ?? "127.0.0.1"}:${port}`,
    NEXUS_PUBLIC_URL: PUBLIC_ORIGIN,
    ...o.env,
  });
  const deps = await buildDeps(
    { ...settings, signInThrottle: o.signInThrottle ?? settings.signInThrottle },
    { logger },
  );
  const app = createDevIdpApp(deps);
  const server = await serveDevIdp(deps, app);
  return {
    url: deps.url,
    issuer: deps.issuer,
    clientId: settings.clientId,
    clientSecret: deps.clientSecret,
    admin: deps.admin,
    app,
    close: server.close,
  };
}
