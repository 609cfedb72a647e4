import { timingSafeEqual, createHash, randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Logger } from "@hivematrix/lib/log";
import { KeycloakError, userNotFound, type DevUser, type UserDirectory } from "./users.ts";

/** Keycloak's master-realm access tokens last a minute; clients sign in again when one lapses. */
const ADMIN_TOKEN_SECONDS = 60;

export interface AdminApiOptions {
  realm: string;
  users: UserDirectory;
  /** The master realm's bootstrap admin (secrets/keycloak-admin.secret). */
  admin: { username: string; password: string };
  /** True for a live access token of the realm's own users: they may not use the admin API (403). */
  isRealmToken(token: string): Promise<boolean>;
  /** Ends a user's SSO sessions and tokens (when disabled or deleted, or asked to). */
  signOut(userId: string): void;
  logger: Logger;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(sha256(a), sha256(b));

const bool = z.enum(["true", "false"]).transform((v) => v === "true");
const count = z.coerce.number().int().min(0);
const userQuery = z.looseObject({
  search: z.string().optional(),
  username: z.string().optional(),
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  exact: bool.optional(),
  enabled: bool.optional(),
  briefRepresentation: bool.optional(),
  first: count.optional(),
  max: count.optional(),
});
const pageQuery = z.looseObject({
  first: count.optional(),
  max: count.optional(),
  briefRepresentation: bool.optional(),
  search: z.string().optional(),
  exact: bool.optional(),
});
const attributes = z.record(z.string(), z.array(z.string()));
const userBody = z.looseObject({
  username: z.string().optional(),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  enabled: z.boolean().optional(),
  emailVerified: z.boolean().optional(),
  attributes: attributes.optional(),
  requiredActions: z.array(z.string()).optional(),
});
const newUserBody = userBody.extend({
  credentials: z
    .array(z.looseObject({ type: z.string().optional(), value: z.string(), temporary: z.boolean().optional() }))
    .optional(),
  groups: z.array(z.string()).optional(),
});
const credentialBody = z.looseObject({
  type: z.string().optional(),
  value: z.string().optional(),
  temporary: z.boolean().optional(),
});
const tokenForm = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
});

const ACCESS = { manageGroupMembership: true, view: true, mapRoles: true, impersonate: false, manage: true };

/** A user as Keycloak 26 answers it (absent values left out, as Keycloak's JSON does). */
function userRep(u: DevUser, brief: boolean) {
  const rep = {
    id: u.id,
    username: u.username,
    ...(u.firstName ? { firstName: u.firstName } : {}),
    ...(u.lastName ? { lastName: u.lastName } : {}),
    ...(u.email ? { email: u.email } : {}),
    emailVerified: u.emailVerified,
    createdTimestamp: u.createdTimestamp,
    enabled: u.enabled,
    access: ACCESS,
  };
  if (brief) return rep;
  return {
    ...rep,
    ...(Object.keys(u.attributes).length ? { attributes: u.attributes } : {}),
    totp: false,
    disableableCredentialTypes: [],
    requiredActions: u.requiredActions,
    notBefore: 0,
  };
}

async function parse<S extends z.ZodType>(schema: S, value: unknown): Promise<z.infer<S>> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new KeycloakError(400, {
      error: "invalid_request",
      error_description: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    });
  return parsed.data;
}

async function jsonOf(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new KeycloakError(400, { error: "invalid_request", error_description: "The body is not JSON." });
  }
}

/**
 * The subset of Keycloak's admin REST API that HiveMatrix uses (users, their passwords and
 * groups, groups and their members), at Keycloak's paths, with its JSON shapes, status codes
 * and error bodies, plus the master realm's `admin-cli` password grant that issues the admin's
 * bearer token. Served only on the IdP's loopback port: Nexus never forwards /admin.
 */
export function createAdminApi(o: AdminApiOptions) {
  const tokens = new Map<string, number>();
  const app = new Hono();
  const realmBase = `/admin/realms/:realm`;

  app.onError((e, c) => {
    if (e instanceof KeycloakError) return c.json(e.body, e.status as 400);
    o.logger.error("admin API error", { error: e });
    return c.json({ error: "unknown_error", error_description: "For more on this error consult the server log." }, 500);
  });
  app.notFound((c) => c.json({ error: "HTTP 404 Not Found" }, 404));

  app.post("/realms/master/protocol/openid-connect/token", async (c) => {
    const form = await parse(
      tokenForm,
      Object.fromEntries(Object.entries(await c.req.parseBody()).filter(([, v]) => typeof v === "string")),
    );
    if (form.grant_type !== "password")
      return c.json({ error: "unsupported_grant_type", error_description: "Unsupported grant_type" }, 400);
    if (form.client_id !== "admin-cli")
      return c.json(
        { error: "invalid_client", error_description: "Invalid client or Invalid client credentials" },
        401,
      );
    if (form.username !== o.admin.username || !sameSecret(form.password ?? "", o.admin.password)) {
      o.logger.warn("admin sign-in refused", { username: form.username ?? null });
      return c.json({ error: "invalid_grant", error_description: "Invalid user credentials" }, 401);
    }
    const now = Date.now();
    for (const [t, until] of tokens) if (until < now) tokens.delete(t);
    const token = randomBytes(32).toString("base64url");
    tokens.set(token, now + ADMIN_TOKEN_SECONDS * 1000);
    return c.json({
      access_token: token,
      expires_in: ADMIN_TOKEN_SECONDS,
      refresh_expires_in: 0,
      token_type: "Bearer",
      "not-before-policy": 0,
      scope: "profile email",
    });
  });

  app.use("/admin/*", async (c, next) => {
    const bearer = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const until = bearer ? tokens.get(bearer) : undefined;
    if (bearer && until !== undefined && until > Date.now()) return next();
    if (bearer && (await o.isRealmToken(bearer))) return c.json({ error: "HTTP 403 Forbidden" }, 403);
    return c.json({ error: "HTTP 401 Unauthorized" }, 401);
  });
  app.use(`${realmBase}/*`, async (c, next) => {
    if (c.req.param("realm") !== o.realm) return c.json({ error: "Realm not found." }, 404);
    return next();
  });

  const users = o.users;
  const userOf = (c: Context) =>
    users.byId(c.req.param("id")!) ??
    (() => {
      throw userNotFound();
    })();
  const groupOf = (c: Context, message: string) =>
    users.groupById(c.req.param("groupId")!) ??
    (() => {
      throw new KeycloakError(404, { error: message });
    })();
  const log = (message: string, fields: Record<string, unknown>) =>
    o.logger.info(`admin API: ${message}`, { by: o.admin.username, ...fields });

  app.get(`${realmBase}/users`, async (c) => {
    const { first, max, briefRepresentation, ...filter } = await parse(userQuery, c.req.query());
    return c.json(users.search(filter, first ?? 0, max ?? 100).map((u) => userRep(u, briefRepresentation ?? false)));
  });

  app.get(`${realmBase}/users/count`, async (c) => {
    const { first: _f, max: _m, briefRepresentation: _b, ...filter } = await parse(userQuery, c.req.query());
    return c.json(users.count(filter));
  });

  app.post(`${realmBase}/users`, async (c) => {
    const body = await parse(newUserBody, await jsonOf(c));
    const password = body.credentials?.find((cr) => (cr.type ?? "password") === "password");
    const id = await users.create({
      ...body,
      username: body.username ?? "",
      password: password ? { value: password.value, temporary: password.temporary ?? false } : undefined,
    });
    log("created user", { user: body.username?.toLowerCase(), groups: body.groups ?? [] });
    return c.body(null, 201, { location: `${new URL(c.req.url).origin}/admin/realms/${o.realm}/users/${id}` });
  });

  app.get(`${realmBase}/users/:id`, (c) => c.json(userRep(userOf(c), false)));

  app.put(`${realmBase}/users/:id`, async (c) => {
    const user = userOf(c);
    users.update(user.id, await parse(userBody, await jsonOf(c)));
    if (user.enabled && !users.byId(user.id)!.enabled) o.signOut(user.id);
    log("updated user", { user: user.username });
    return c.body(null, 204);
  });

  app.delete(`${realmBase}/users/:id`, (c) => {
    const user = userOf(c);
    users.delete(user.id);
    o.signOut(user.id);
    log("deleted user", { user: user.username });
    return c.body(null, 204);
  });

  app.post(`${realmBase}/users/:id/logout`, (c) => {
    const user = userOf(c);
    o.signOut(user.id);
    log("ended the user's sessions", { user: user.username });
    return c.body(null, 204);
  });

  app.put(`${realmBase}/users/:id/reset-password`, async (c) => {
    const user = userOf(c);
    const cred = await parse(credentialBody, await jsonOf(c));
    if (!cred.value)
      throw new KeycloakError(400, { error: "missing_password", error_description: "No password provided" });
    await users.setPassword(user.id, cred.value, cred.temporary ?? false);
    log("reset password", { user: user.username, temporary: cred.temporary ?? false });
    return c.body(null, 204);
  });

  app.get(`${realmBase}/users/:id/groups`, (c) =>
    c.json(users.userGroups(userOf(c).id).map((g) => ({ id: g.id, name: g.name, path: `/${g.name}` }))),
  );

  app.put(`${realmBase}/users/:id/groups/:groupId`, (c) => {
    const user = userOf(c);
    const group = groupOf(c, "Group not found");
    users.join(user.id, group.id);
    log("added user to group", { user: user.username, group: group.name });
    return c.body(null, 204);
  });

  app.delete(`${realmBase}/users/:id/groups/:groupId`, (c) => {
    const user = userOf(c);
    const group = groupOf(c, "Group not found");
    users.leave(user.id, group.id);
    log("removed user from group", { user: user.username, group: group.name });
    return c.body(null, 204);
  });

  app.get(`${realmBase}/groups`, async (c) => {
    const q = await parse(pageQuery, c.req.query());
    const first = q.first ?? 0;
    const groups = users.groups(q.search, q.exact ?? false).slice(first, first + (q.max ?? 100));
    return c.json(groups.map((g) => ({ id: g.id, name: g.name, path: `/${g.name}`, subGroupCount: 0, subGroups: [] })));
  });

  app.get(`${realmBase}/groups/:groupId/members`, async (c) => {
    const group = groupOf(c, "Could not find group by id");
    const q = await parse(pageQuery, c.req.query());
    return c.json(
      users.members(group.id, q.first ?? 0, q.max ?? 100).map((u) => userRep(u, q.briefRepresentation ?? false)),
    );
  });

  return app;
}
