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
import { forgetAccount, openIdpDatabase, sqliteAdapterFactory } from "./adapter.ts";
import { createAdminApi } from "./admin-api.ts";
import { guardListener } from "./guard.ts";
import { createSignInThrottle, DEFAULT_SIGN_IN_THROTTLE, type SignInThrottleOptions } from "./sign-in-throttle.ts";
import { DEV_USERS, openUserDirectory, UPDATE_PASSWORD, type SeedUser } from "./users.ts";
import { LoginPage } from "./views/login-page.tsx";
import { UpdatePasswordPage } from "./views/update-password-page.tsx";

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
  /**
   * The origins Nexus serves the IdP at (its `/keycloak` proxy). X-Forwarded-Host and -Proto
   * naming one of them are honoured; anything else is ignored, so every absolute URL the IdP
   * emits is on one of these or its own address, never taken from a request header.
   */
  publicOrigins?: string[];
  logger: Logger;
  /** Seeded on the first start (default: the four dev users). */
  users?: readonly SeedUser[];
  /** Brute-force limits on the sign-in form (default: those keycloak:setup gives Keycloak). */
  signInThrottle?: SignInThrottleOptions;
}

export interface DevIdp {
  url: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The master realm's admin for the admin API (password in secrets/keycloak-admin.secret). */
  admin: { username: string; password: string };
  close(): Promise<void>;
}

/** How long a user who signed in with a temporary password has to choose a new one (the interaction's lifetime). */
const PASSWORD_CHANGE_MS = 600_000;

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

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

/** The browser's address: Nexus (the only thing that reaches this loopback server from outside) names it in X-Forwarded-For. */
function clientAddress(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? "";
  const forwarded = req.headers["x-forwarded-for"];
  return LOOPBACK.test(peer) && typeof forwarded === "string" && forwarded ? forwarded.split(",")[0]!.trim() : peer;
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

const newPasswordSchema = z
  .object({
    "password-new": z.string().min(8, "Use at least 8 characters.").max(200, "Use at most 200 characters."),
    "password-confirm": z.string(),
  })
  .refine((f) => f["password-new"] === f["password-confirm"], {
    path: ["password-confirm"],
    message: "The passwords do not match.",
  });

export async function startDevIdp(o: DevIdpOptions): Promise<DevIdp> {
  const realm = o.realm ?? "hivematrix";
  const clientId = o.clientId ?? "core-client";
  const host = o.host ?? "127.0.0.1";
  const realmBase = `/realms/${realm}`;
  const clientSecret = readOrCreateSecret(o.home, clientId);
  const db = openIdpDatabase(join(o.home, "data", "dev-idp.db"));
  const users = await openUserDirectory(db, o.users ?? DEV_USERS);
  const signingKey = await loadSigningKey(o.home);
  const cookieKeys = [readOrCreateSecret(o.home, "dev-idp-cookie")];
  // Keycloak's bootstrap admin has a generated password, never admin/admin; so does the dev IdP's.
  const admin = { username: "admin", password: readOrCreateSecret(o.home, "keycloak-admin") };
  /** Sign-ins waiting for a new password: interaction uid → user. */
  const passwordChanges = new Map<string, { userId: string; until: number }>();
  const throttle = createSignInThrottle(o.signInThrottle ?? DEFAULT_SIGN_IN_THROTTLE);

  let issuer = "";
  let provider: ReturnType<typeof createProvider> | undefined;
  const loginPath = (prefix: string, uid: string) => `${prefix}${realmBase}/login-actions/authenticate/${uid}`;
  // Under the sign-in page's path: the browser sends the interaction cookie only there.
  const updatePasswordPath = (prefix: string, uid: string) => `${loginPath(prefix, uid)}/update-password`;

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
    throw new HttpError(
      400,
      "sign_in_expired",
      "This sign-in attempt has expired. Go back to HiveMatrix and sign in again.",
    );
  };
  const actionOf = (c: Context<{ Bindings: HttpBindings }>) => forwardedPrefix(c.env.incoming) + c.req.path;

  app.get(`${realmBase}/login-actions/authenticate/:uid`, async (c) => {
    await interaction(c);
    return c.html(<LoginPage action={actionOf(c)} clientName="HiveMatrix" />);
  });
  app.post(`${realmBase}/login-actions/authenticate/:uid`, async (c) => {
    const { uid } = await interaction(c);
    const form = await formBody(c, loginSchema);
    if (!form.ok) {
      return c.html(
        <LoginPage
          action={actionOf(c)}
          clientName="HiveMatrix"
          username={form.raw.username}
          error={Object.values(form.errors)[0]}
        />,
        400,
      );
    }
    const address = clientAddress(c.env.incoming);
    const wait = await throttle.waitSeconds(form.data.username, address);
    if (wait > 0) {
      o.logger.warn("sign-in throttled", { username: form.data.username, address, retry_after_s: wait });
      c.header("Retry-After", String(wait));
      return c.html(
        <LoginPage
          action={actionOf(c)}
          clientName="HiveMatrix"
          username={form.data.username}
          error={`Too many failed sign-ins. Wait ${wait} seconds, then try again.`}
        />,
        429,
      );
    }
    const result = await users.authenticate(form.data.username, form.data.password);
    if (!result.ok) {
      await throttle.failed(form.data.username, address);
      o.logger.info("sign-in refused", { username: form.data.username, reason: result.reason });
      const error =
        result.reason === "disabled"
          ? "Account is disabled, contact your administrator."
          : "Invalid username or password.";
      return c.html(
        <LoginPage action={actionOf(c)} clientName="HiveMatrix" username={form.data.username} error={error} />,
        401,
      );
    }
    const { user } = result;
    await throttle.succeeded(form.data.username);
    if (user.requiredActions.includes(UPDATE_PASSWORD)) {
      const now = Date.now();
      for (const [key, pending] of passwordChanges) if (pending.until < now) passwordChanges.delete(key);
      passwordChanges.set(uid, { userId: user.id, until: now + PASSWORD_CHANGE_MS });
      o.logger.info("signed in with a temporary password; asking for a new one", { username: user.username });
      return c.redirect(updatePasswordPath(forwardedPrefix(c.env.incoming), uid), 303);
    }
    o.logger.info("signed in", { username: user.username });
    const returnTo = await provider!.interactionResult(
      c.env.incoming,
      c.env.outgoing,
      { login: { accountId: user.id } },
      { mergeWithLastSubmission: false },
    );
    return c.redirect(returnTo, 303);
  });

  /** The user this sign-in is changing the password of; only the browser holding the interaction gets here. */
  const pendingChange = async (c: Context<{ Bindings: HttpBindings }>) => {
    const { uid } = await interaction(c);
    const pending = passwordChanges.get(uid);
    const user = pending && pending.until > Date.now() ? users.byId(pending.userId) : null;
    if (!pending || !user?.enabled)
      throw new HttpError(
        400,
        "sign_in_expired",
        "This sign-in attempt has expired. Go back to HiveMatrix and sign in again.",
      );
    return { uid, user };
  };

  app.get(`${realmBase}/login-actions/authenticate/:uid/update-password`, async (c) => {
    const { user } = await pendingChange(c);
    return c.html(<UpdatePasswordPage action={actionOf(c)} username={user.username} />);
  });
  app.post(`${realmBase}/login-actions/authenticate/:uid/update-password`, async (c) => {
    const { uid, user } = await pendingChange(c);
    const form = await formBody(c, newPasswordSchema);
    if (!form.ok)
      return c.html(<UpdatePasswordPage action={actionOf(c)} username={user.username} errors={form.errors} />, 400);
    if (await users.verifyPassword(user.id, form.data["password-new"])) {
      return c.html(
        <UpdatePasswordPage
          action={actionOf(c)}
          username={user.username}
          errors={{ "password-new": "Choose a password different from the temporary one." }}
        />,
        400,
      );
    }
    await users.setPassword(user.id, form.data["password-new"], false);
    passwordChanges.delete(uid);
    o.logger.info("password updated at sign-in", { username: user.username });
    const returnTo = await provider!.interactionResult(
      c.env.incoming,
      c.env.outgoing,
      { login: { accountId: user.id } },
      { mergeWithLastSubmission: false },
    );
    return c.redirect(returnTo, 303);
  });

  const pageListener = getRequestListener((req, env) => pages.fetch(req, env), { overrideGlobalObjects: false });
  const adminApi = createAdminApi({
    realm,
    users,
    admin,
    logger: o.logger,
    isRealmToken: async (token) => Boolean(provider && (await provider.AccessToken.find(token).catch(() => undefined))),
    signOut: (userId) => void forgetAccount(db, userId),
  });
  const adminListener = getRequestListener((req) => adminApi.fetch(req), { overrideGlobalObjects: false });

  const publicOrigins = new Set(o.publicOrigins ?? []);
  let ownHost = "";
  /** Host and forwarded origin from configuration only: oidc-provider and Hono build absolute URLs from them. */
  const pinOrigin = (req: IncomingMessage) => {
    const forwarded = `${req.headers["x-forwarded-proto"]}://${req.headers["x-forwarded-host"]}`;
    if (!publicOrigins.has(forwarded)) {
      delete req.headers["x-forwarded-host"];
      delete req.headers["x-forwarded-proto"];
    }
    req.headers.host = ownHost;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    pinOrigin(req);
    const path = (req.url ?? "/").split("?")[0]!;
    if (path.startsWith("/admin/") || path === "/realms/master/protocol/openid-connect/token") {
      // The admin API is for this machine only, whatever address the IdP was told to bind.
      if (!LOOPBACK.test(req.socket.remoteAddress ?? "")) {
        res.writeHead(404, { "content-type": "application/json" });
        return void res.end(JSON.stringify({ error: "HTTP 404 Not Found" }));
      }
      return void adminListener(req, res);
    }
    if (path === "/health" || path.startsWith(`${realmBase}/login-actions/`)) return void pageListener(req, res);
    if (!provider) {
      res.writeHead(503, { "content-type": "application/json" });
      return void res.end(
        JSON.stringify({ error: { code: "starting", message: "The identity provider is starting.", details: null } }),
      );
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

  const server: Server = createServer(guardListener(handle, o.logger));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : o.port;
  ownHost = `${host}:${port}`;
  const url = `http://${ownHost}`;
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
    adapter: sqliteAdapterFactory(db),
    interactionPath: (ctx, uid) => loginPath(forwardedPrefix(ctx.req), uid),
  });
  provider.on("server_error", (_ctx, err) => o.logger.error("oidc-provider error", { error: err }));
  return {
    url,
    issuer,
    clientId,
    clientSecret,
    admin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}
