import { exportJWK, generateKeyPair, createLocalJWKSet, SignJWT } from "jose";
import { createAuth } from "@hivematrix/lib/auth";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { createCsrf } from "@hivematrix/lib/csrf";
import { createLogger, type Logger } from "@hivematrix/lib/log";
import { postgresTestUrl, tempHome, withPostgres, writeServicesFile } from "@hivematrix/lib/testing";
import { createCodexApp, type CodexApp } from "../src/app.ts";
import { buildDeps, type Deps, loadSettings } from "../src/deps.ts";

export type Engine = "sqlite" | "postgres";

/** SQLite always; Postgres too when HIVEMATRIX_TEST_POSTGRES_URL is set. */
export const ENGINES: Engine[] = postgresTestUrl() ? ["sqlite", "postgres"] : ["sqlite"];

/** Who a user token speaks for: `user` names the username and (unless given) sub and email. */
export interface TokenOptions {
  /** A client's `company` claim (ACME-001 unless given); null leaves the claim out. */
  company?: string | null;
  user?: string;
  email?: string;
  sub?: string;
}

export interface CodexUnderTest {
  app: CodexApp;
  deps: Deps;
  token(level: PermissionLevel | "service", o?: TokenOptions): Promise<string>;
  /** The CSRF token pages expect from this level's session. */
  csrf(level: PermissionLevel): Promise<string>;
  /** app.fetch with a token for `level` (JSON body when `body` is given). */
  call(
    level: PermissionLevel | "service" | null,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Codex in this process with its own database and signing key: tokens are real RS256 JWTs
 * verified by lib/auth; the session check (Core's job) always answers "live".
 */
export async function startCodex(
  engine: Engine = "sqlite",
  settings: Record<string, string> = {},
  options: { logger?: Logger } = {},
): Promise<CodexUnderTest> {
  const home = tempHome("hm-codex-");
  const servicesFile = writeServicesFile(home, { core: { port: 1, visible: false }, codex: { port: 2 } });
  const pg = engine === "postgres" ? await withPostgres("hm_codex") : null;
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: servicesFile,
    ...(pg ? { CODEX_DATABASE_URL: pg.url } : {}),
    ...settings,
  };
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test", alg: "RS256" };
  const auth = createAuth({
    audience: "codex",
    keys: createLocalJWKSet({ keys: [jwk] }),
    sessionCheck: async () => ({ valid: true }),
  });
  const deps = buildDeps(loadSettings(env), {
    logger: options.logger ?? createLogger({ service: "codex", level: "error" }),
    auth,
    csrf: createCsrf("test-secret"),
  });
  await deps.db.whenReady;
  const app = createCodexApp(deps);
  const tokens = new Map<string, string>();
  const token = async (level: PermissionLevel | "service", o: TokenOptions = {}) => {
    const key = `${level}/${o.company === null ? "(none)" : (o.company ?? "")}/${o.user ?? ""}/${o.email ?? ""}/${o.sub ?? ""}`;
    const hit = tokens.get(key);
    if (hit) return hit;
    const now = Math.floor(Date.now() / 1000);
    const claims =
      level === "service"
        ? { type: "service", sub: "service:helm", calling_service: "helm", target_service: "codex", aud: "codex" }
        : {
            type: "user",
            sub: o.sub ?? `sub-${o.user ?? level}`,
            jti: crypto.randomUUID(),
            name: `${o.user ?? level} user`,
            email: o.email ?? `${o.user ?? level}@msp.example`,
            preferred_username: o.user ?? level,
            permission_level: level,
            groups: [],
            ...(level === "client" && o.company !== null ? { company: o.company ?? "ACME-001" } : {}),
          };
    const jwt = await new SignJWT({ ...claims, iss: "hivematrix.core" })
      .setProtectedHeader({ alg: "RS256", kid: "test" })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
    tokens.set(key, jwt);
    return jwt;
  };
  const call = async (
    level: PermissionLevel | "service" | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const h: Record<string, string> = { accept: "application/json", ...headers };
    if (level) h.authorization = `Bearer ${await token(level)}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      h["content-type"] ??= "application/json";
    }
    return app.fetch(new Request(`http://codex.test${path}`, { method, headers: h, body: payload }));
  };
  const csrf = async (level: PermissionLevel) => {
    const jwt = await token(level);
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as { jti: string };
    return deps.csrf.token({ get: () => claims } as never);
  };
  return {
    app,
    deps,
    token,
    csrf,
    call,
    async stop() {
      // The app's scheduler, write-back worker and mail loops end before the database they use.
      await app.integrations.stop();
      await app.mail.stop();
      await deps.db.close();
      await pg?.drop();
    },
  };
}
