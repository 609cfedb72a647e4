import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import { createAuth } from "@hivematrix/lib/auth";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { createCsrf } from "@hivematrix/lib/csrf";
import { tempHome, withPostgres, writeServicesFile } from "@hivematrix/lib/testing";
import { createAppShell } from "@hivematrix/lib/app-shell";
import { buildDeps, type Deps, loadSettings } from "../../src/deps.ts";
import { integrationsFeature } from "../../src/integrations/feature.ts";
import type { Integrations } from "../../src/integrations/service.ts";
import { CodexLayout } from "../../src/layout.tsx";
import { FAST_POLICY, quietLogger } from "./setup.ts";

/**
 * The integrations mounted on a bare Codex app (as app.ts does), with real RS256 tokens checked
 * by lib/auth and an identity-provider URL of the test's choosing (the fake Keycloak).
 */
export interface IntegrationsApp {
  deps: Deps;
  integrations: Integrations;
  /** The app's own handler, to serve it over HTTP (the sync command's tests). */
  handle: (req: Request) => Response | Promise<Response>;
  token(level: PermissionLevel | "service"): Promise<string>;
  fetch(
    level: PermissionLevel | "service" | null,
    method: string,
    path: string,
    init?: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> },
  ): Promise<Response>;
  stop(): Promise<void>;
}

export async function startIntegrationsApp(
  engine: "sqlite" | "postgres",
  idpUrl = "http://127.0.0.1:9",
): Promise<IntegrationsApp> {
  const home = tempHome("hm-codex-int-");
  const servicesFile = writeServicesFile(home, { core: { port: 1, visible: false }, codex: { port: 2 } });
  const pg = engine === "postgres" ? await withPostgres("hm_codex_int") : null;
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: servicesFile,
    KEYCLOAK_URL: idpUrl,
    ...(pg ? { CODEX_DATABASE_URL: pg.url } : {}),
  };
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test", alg: "RS256" };
  const auth = createAuth({
    audience: "codex",
    keys: createLocalJWKSet({ keys: [jwk] }),
    sessionCheck: async () => ({ valid: true }),
  });
  const deps = buildDeps(loadSettings(env), { logger: quietLogger, auth, csrf: createCsrf("test-secret") });
  await deps.db.whenReady;
  const { app, routes } = createAppShell({
    service: "codex",
    title: "Codex integrations",
    description: "Codex's integration routes alone",
    deps,
    layout: CodexLayout,
    db: deps.db,
  });
  const integrations = integrationsFeature(app, routes, deps);
  // Tests use short retries against the fakes.
  integrations.ctx.policy = FAST_POLICY;
  const tokens = new Map<string, string>();
  const token = async (level: PermissionLevel | "service") => {
    const hit = tokens.get(level);
    if (hit) return hit;
    const now = Math.floor(Date.now() / 1000);
    const claims =
      level === "service"
        ? { type: "service", sub: "service:helm", calling_service: "helm", target_service: "codex", aud: "codex" }
        : {
            type: "user",
            sub: `sub-${level}`,
            jti: crypto.randomUUID(),
            name: `${level} user`,
            email: `${level}@msp.example`,
            preferred_username: level,
            permission_level: level,
            groups: [],
            ...(level === "client" ? { company: "ACME-001" } : {}),
          };
    const jwt = await new SignJWT({ ...claims, iss: "hivematrix.core" })
      .setProtectedHeader({ alg: "RS256", kid: "test" })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
    tokens.set(level, jwt);
    return jwt;
  };
  return {
    deps,
    integrations,
    handle: (req) => app.fetch(req),
    token,
    async fetch(level, method, path, init = {}) {
      const headers: Record<string, string> = { accept: init.form ? "text/html" : "application/json", ...init.headers };
      if (level) headers.authorization = `Bearer ${await token(level)}`;
      let body: string | undefined;
      if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        headers["content-type"] = "application/json";
      } else if (init.form) {
        body = new URLSearchParams(init.form).toString();
        headers["content-type"] = "application/x-www-form-urlencoded";
      }
      return app.fetch(new Request(`http://codex.test${path}`, { method, headers, body }));
    },
    async stop() {
      await integrations.stop();
      await deps.db.close();
      await pg?.drop();
    },
  };
}

/** Polls a sync run until it is no longer running. */
export async function waitForJob(app: IntegrationsApp, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const job = (await (await app.fetch("admin", "GET", `/sync/status/${id}`)).json()) as Record<string, unknown>;
    if (job.status !== "running" && job.status !== "queued") return job;
    await Bun.sleep(20);
  }
  throw new Error(`sync ${id} did not finish`);
}
