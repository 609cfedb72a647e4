import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getRequestListener, type HttpBindings } from "@hono/node-server";
import type { Context, Hono } from "hono";
import { errors } from "oidc-provider";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { z } from "zod";
import { createBaseApp, healthPayload } from "@hivematrix/lib/app";
import { readOrCreateSecret, writePrivateFile } from "@hivematrix/lib/secrets";
import { formBody } from "@hivematrix/lib/validate";
import { HttpError } from "@hivematrix/lib/errors";
import type { Logger } from "@hivematrix/lib/log";
import { createProvider } from "./provider.ts";
import { sqliteAdapterFactory } from "./adapter.ts";
import { createUserStore, DEV_USERS, type DevUser } from "./users.ts";
import { LoginPage } from "./views/login-page.tsx";

export const VERSION = "1.0.0";

export interface DevIdpOptions {
  home: string;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  realm?: string;
  clientId?: string;
  /** Exact redirect URIs of the confidential client (no wildcards). */
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  logger: Logger;
  users?: readonly DevUser[];
}

export interface DevIdp {
  url: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/** The signing key survives restarts, so ID tokens and sessions stay verifiable. */
async function loadSigningKey(home: string): Promise<JWK> {
  const path = join(home, "keys", "dev-idp-signing.jwk.json");
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as JWK;
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: crypto.randomUUID() };
  try {
    writePrivateFile(path, JSON.stringify(jwk));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return JSON.parse(readFileSync(path, "utf8")) as JWK;
    throw e;
  }
  return jwk;
}

/** Nexus serves the IdP under a prefix (/keycloak); generated links must keep it. */
function forwardedPrefix(req: IncomingMessage): string {
  const p = req.headers["x-forwarded-prefix"];
  return typeof p === "string" && /^(\/[A-Za-z0-9_-]+)+$/.test(p) ? p : "";
}

const loginSchema = z.object({
  username: z.string().trim().min(1, "Enter your username."),
  password: z.string().min(1, "Enter your password."),
});

export async function startDevIdp(o: DevIdpOptions): Promise<DevIdp> {
  const realm = o.realm ?? "hivematrix";
  const clientId = o.clientId ?? "core-client";
  const host = o.host ?? "127.0.0.1";
  const realmBase = `/realms/${realm}`;
  const clientSecret = readOrCreateSecret(o.home, clientId);
  const users = await createUserStore(o.users ?? DEV_USERS);
  const signingKey = await loadSigningKey(o.home);
  const cookieKeys = [readOrCreateSecret(o.home, "dev-idp-cookie")];

  let issuer = "";
  let provider: ReturnType<typeof createProvider> | undefined;
  const loginPath = (prefix: string, uid: string) => `${prefix}${realmBase}/login-actions/authenticate/${uid}`;

  const pages = createBaseApp({ logger: o.logger, service: "dev-idp" });
  const app = pages as unknown as Hono<{ Bindings: HttpBindings }>;
  app.get("/health", (c) => c.json(healthPayload("dev-idp", VERSION, { realm, issuer })));
  /** The interaction this browser is in; a missing or stale one is a clear 400, not a 500. */
  const interaction = async (c: Context<{ Bindings: HttpBindings }>) => {
    try {
      const details = await provider!.interactionDetails(c.env.incoming, c.env.outgoing);
      if (details.uid === c.req.param("uid")) return details;
    } catch (e) {
      if (!(e instanceof errors.SessionNotFound)) throw e;
    }
    throw new HttpError(400, "sign_in_expired", "This sign-in attempt has expired. Go back to HiveMatrix and sign in again.");
  };
  const actionOf = (c: Context<{ Bindings: HttpBindings }>) => forwardedPrefix(c.env.incoming) + c.req.path;

  app.get(`${realmBase}/login-actions/authenticate/:uid`, async (c) => {
    await interaction(c);
    return c.html(<LoginPage action={actionOf(c)} clientName="HiveMatrix" />);
  });
  app.post(`${realmBase}/login-actions/authenticate/:uid`, async (c) => {
    await interaction(c);
    const form = await formBody(c, loginSchema);
    if (!form.ok) {
      return c.html(<LoginPage action={actionOf(c)} clientName="HiveMatrix" username={form.raw.username} error={Object.values(form.errors)[0]} />, 400);
    }
    const user = await users.authenticate(form.data.username, form.data.password);
    if (!user) {
      o.logger.info("sign-in refused", { username: form.data.username });
      return c.html(<LoginPage action={actionOf(c)} clientName="HiveMatrix" username={form.data.username} error="Invalid username or password." />, 401);
    }
    o.logger.info("signed in", { username: user.username });
    const returnTo = await provider!.interactionResult(c.env.incoming, c.env.outgoing, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
    return c.redirect(returnTo, 303);
  });

  const pageListener = getRequestListener((req, env) => pages.fetch(req, env), { overrideGlobalObjects: false });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path === "/health" || path.startsWith(`${realmBase}/login-actions/`)) return void pageListener(req, res);
    if (!provider) {
      res.writeHead(503, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ error: { code: "starting", message: "The identity provider is starting.", details: null } }));
    }
    if (path === realmBase || path.startsWith(`${realmBase}/`)) {
      const prefix = forwardedPrefix(req);
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = prefix + req.url;
      req.url = req.url!.slice(realmBase.length) || "/";
      return void provider.callback()(req, res);
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "not_found", message: `Nothing at ${path}.`, details: null } }));
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : o.port;
  const url = `http://${host}:${port}`;
  issuer = `${url}${realmBase}`;
  provider = createProvider({
    issuer,
    clientId,
    clientSecret,
    redirectUris: o.redirectUris,
    postLogoutRedirectUris: o.postLogoutRedirectUris,
    signingKey,
    cookieKeys,
    users,
    adapter: sqliteAdapterFactory(join(o.home, "data", "dev-idp.db")),
    interactionPath: (ctx, uid) => loginPath(forwardedPrefix(ctx.req), uid),
  });
  provider.on("server_error", (_ctx, err) => o.logger.error("oidc-provider error", { error: err }));
  return {
    url,
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
