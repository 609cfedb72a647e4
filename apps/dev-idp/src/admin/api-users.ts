import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { DEV_IDP_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { forgetAccount } from "../provider/data.ts";
import { KeycloakError } from "../users/keycloak-error.ts";
import {
  countUsers,
  createUser,
  deleteUser,
  requireUser,
  searchUsers,
  setPassword,
  updateUser,
} from "../users/data.ts";
import {
  credentialInput,
  newUserInput,
  realmParams,
  userInput,
  userParams,
  userQuery,
  userRep,
  userRepresentation,
} from "./json.ts";
import { adminRefusals, keycloakError } from "./keycloak.ts";

const json = <S extends z.ZodType>(schema: S) => ({ required: true, content: { "application/json": { schema } } });
const noContent = (description: string) => ({ 204: { description } });
const common = { access: DEV_IDP_ACCESS.masterAdmin, ownErrors: true, tags: ["Users"] as [string] };

const listRoute = apiRoute({
  ...common,
  method: "get",
  path: "/admin/realms/{realm}/users",
  summary: "Users matching Keycloak's filters, in username order, a page at a time (first, max)",
  request: { params: realmParams, query: userQuery },
  responses: {
    200: { description: "The users", content: { "application/json": { schema: z.array(userRepresentation) } } },
    400: keycloakError("A filter Keycloak cannot read"),
    ...adminRefusals,
  },
});

const countRoute = apiRoute({
  ...common,
  method: "get",
  path: "/admin/realms/{realm}/users/count",
  summary: "How many users match the filters (paging is ignored)",
  request: { params: realmParams, query: userQuery },
  responses: {
    200: { description: "The count", content: { "application/json": { schema: z.number().int() } } },
    400: keycloakError("A filter Keycloak cannot read"),
    ...adminRefusals,
  },
});

const createRoute = apiRoute({
  ...common,
  method: "post",
  path: "/admin/realms/{realm}/users",
  summary: "Create a user, with its first password and groups; disabled unless `enabled` is true",
  request: { params: realmParams, body: json(newUserInput) },
  responses: {
    201: {
      description: "Created",
      headers: z.object({ location: z.string().meta({ description: "The new user's absolute URL" }) }),
    },
    400: keycloakError("No username, a bad email, or an unknown group"),
    409: keycloakError("A user with this username or email exists"),
    415: keycloakError("The body is not JSON"),
    ...adminRefusals,
  },
});

const getRoute = apiRoute({
  ...common,
  method: "get",
  path: "/admin/realms/{realm}/users/{id}",
  summary: "One user",
  request: { params: userParams },
  responses: {
    200: { description: "The user", content: { "application/json": { schema: userRepresentation } } },
    ...adminRefusals,
  },
});

const updateRoute = apiRoute({
  ...common,
  method: "put",
  path: "/admin/realms/{realm}/users/{id}",
  summary: "Change a user: with `attributes` the body is the whole profile (Keycloak 24+), else only what it names",
  request: { params: userParams, body: json(userInput) },
  responses: {
    ...noContent("Changed; disabling a user also ends their sessions"),
    400: keycloakError("A bad email, or an attempt to rename the user"),
    409: keycloakError("Another user has this email"),
    415: keycloakError("The body is not JSON"),
    ...adminRefusals,
  },
});

const deleteRoute = apiRoute({
  ...common,
  method: "delete",
  path: "/admin/realms/{realm}/users/{id}",
  summary: "Delete a user and end their sessions",
  request: { params: userParams },
  responses: { ...noContent("Deleted"), ...adminRefusals },
});

const logoutRoute = apiRoute({
  ...common,
  method: "post",
  path: "/admin/realms/{realm}/users/{id}/logout",
  summary: "End every session the user has: their next visit asks for the password",
  request: { params: userParams },
  responses: { ...noContent("Ended (also when there were none)"), ...adminRefusals },
});

const resetPasswordRoute = apiRoute({
  ...common,
  method: "put",
  path: "/admin/realms/{realm}/users/{id}/reset-password",
  summary: "Set a user's password; a temporary one must be changed at the next sign-in",
  request: { params: userParams, body: json(credentialInput) },
  responses: {
    ...noContent("Set"),
    400: keycloakError("No password given"),
    415: keycloakError("The body is not JSON"),
    ...adminRefusals,
  },
});

/** The users part of Keycloak's admin API, at its paths and with its JSON. */
export function usersApi(routes: RouteTable, deps: Pick<Deps, "db" | "logger" | "admin">) {
  const { db } = deps;
  const log = (message: string, fields: Record<string, unknown>) =>
    deps.logger.info(`admin API: ${message}`, { by: deps.admin.username, ...fields });

  routes.api(listRoute, async (c) => {
    const { first, max, briefRepresentation, ...filter } = c.req.valid("query");
    const users = await searchUsers(db, filter, first ?? 0, max ?? 100);
    return c.json(
      users.map((u) => userRep(u, briefRepresentation ?? false)),
      200,
    );
  });

  routes.api(countRoute, async (c) => {
    const { first: _f, max: _m, briefRepresentation: _b, ...filter } = c.req.valid("query");
    return c.json(await countUsers(db, filter), 200);
  });

  routes.api(createRoute, async (c) => {
    const { realm } = c.req.valid("param");
    const body = c.req.valid("json");
    const password = body.credentials?.find((cr) => (cr.type ?? "password") === "password");
    const id = await createUser(db, {
      ...body,
      username: body.username ?? "",
      password: password ? { value: password.value, temporary: password.temporary ?? false } : undefined,
    });
    log("created user", { user: body.username?.toLowerCase(), groups: body.groups ?? [] });
    return c.body(null, 201, { location: `${new URL(c.req.url).origin}/admin/realms/${realm}/users/${id}` });
  });

  routes.api(getRoute, async (c) => c.json(userRep(await requireUser(db, c.req.valid("param").id), false), 200));

  routes.api(updateRoute, async (c) => {
    const user = await requireUser(db, c.req.valid("param").id);
    await updateUser(db, user.id, c.req.valid("json"));
    if (user.enabled && !(await requireUser(db, user.id)).enabled) await forgetAccount(db, user.id);
    log("updated user", { user: user.username });
    return c.body(null, 204);
  });

  routes.api(deleteRoute, async (c) => {
    const user = await requireUser(db, c.req.valid("param").id);
    await deleteUser(db, user.id);
    await forgetAccount(db, user.id);
    log("deleted user", { user: user.username });
    return c.body(null, 204);
  });

  routes.api(logoutRoute, async (c) => {
    const user = await requireUser(db, c.req.valid("param").id);
    await forgetAccount(db, user.id);
    log("ended the user's sessions", { user: user.username });
    return c.body(null, 204);
  });

  routes.api(resetPasswordRoute, async (c) => {
    const user = await requireUser(db, c.req.valid("param").id);
    const credential = c.req.valid("json");
    if (!credential.value)
      throw new KeycloakError(400, { error: "missing_password", error_description: "No password provided" });
    await setPassword(db, user.id, credential.value, credential.temporary ?? false);
    log("reset password", { user: user.username, temporary: credential.temporary ?? false });
    return c.body(null, 204);
  });
}
