import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { DEV_IDP_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { findGroup, groupsOfUser, joinGroup, leaveGroup, listGroups } from "../users/data-groups.ts";
import { groupMembers, requireUser } from "../users/data.ts";
import { KeycloakError } from "../users/keycloak-error.ts";
import {
  groupRep,
  groupRepresentation,
  pageQuery,
  realmParams,
  userParams,
  userRep,
  userRepresentation,
} from "./json.ts";
import { adminRefusals, keycloakError } from "./keycloak.ts";

const membershipParams = userParams.extend({ groupId: z.string().meta({ description: "The group's id" }) });
const groupParams = realmParams.extend({ groupId: z.string().meta({ description: "The group's id" }) });
const groups = { content: { "application/json": { schema: z.array(groupRepresentation) } } };
const common = { access: DEV_IDP_ACCESS.masterAdmin, ownErrors: true, tags: ["Groups"] as [string] };

const userGroupsRoute = apiRoute({
  ...common,
  method: "get",
  path: "/admin/realms/{realm}/users/{id}/groups",
  summary: "The groups a user is in, by name",
  request: { params: userParams },
  responses: { 200: { description: "The groups", ...groups }, ...adminRefusals },
});

const joinRoute = apiRoute({
  ...common,
  method: "put",
  path: "/admin/realms/{realm}/users/{id}/groups/{groupId}",
  summary: "Add a user to a group (joining twice changes nothing)",
  request: { params: membershipParams },
  responses: { 204: { description: "A member" }, ...adminRefusals },
});

const leaveRoute = apiRoute({
  ...common,
  method: "delete",
  path: "/admin/realms/{realm}/users/{id}/groups/{groupId}",
  summary: "Take a user out of a group (leaving twice changes nothing)",
  request: { params: membershipParams },
  responses: { 204: { description: "Not a member" }, ...adminRefusals },
});

const listRoute = apiRoute({
  ...common,
  method: "get",
  path: "/admin/realms/{realm}/groups",
  summary: "The realm's groups by name; `search` keeps those whose name contains it (equals it, with exact)",
  request: { params: realmParams, query: pageQuery },
  responses: {
    200: { description: "The groups", ...groups },
    400: keycloakError("A parameter Keycloak cannot read"),
    ...adminRefusals,
  },
});

const membersRoute = apiRoute({
  ...common,
  method: "get",
  path: "/admin/realms/{realm}/groups/{groupId}/members",
  summary: "A group's members in username order, a page at a time (first, max)",
  request: { params: groupParams, query: pageQuery },
  responses: {
    200: { description: "The members", content: { "application/json": { schema: z.array(userRepresentation) } } },
    400: keycloakError("A parameter Keycloak cannot read"),
    ...adminRefusals,
  },
});

/** The groups part of Keycloak's admin API: the realm's groups, their members, a user's memberships. */
export function groupsApi(routes: RouteTable, deps: Pick<Deps, "db" | "logger" | "admin">) {
  const { db } = deps;
  const log = (message: string, fields: Record<string, unknown>) =>
    deps.logger.info(`admin API: ${message}`, { by: deps.admin.username, ...fields });
  const requireGroup = async (id: string, message: string) => {
    const group = await findGroup(db, id);
    if (!group) throw new KeycloakError(404, { error: message });
    return group;
  };

  routes.api(userGroupsRoute, async (c) => {
    const user = await requireUser(db, c.req.valid("param").id);
    return c.json((await groupsOfUser(db, user.id)).map(groupRep), 200);
  });

  routes.api(joinRoute, async (c) => {
    const { id, groupId } = c.req.valid("param");
    const user = await requireUser(db, id);
    const group = await requireGroup(groupId, "Group not found");
    await joinGroup(db, user.id, group.id);
    log("added user to group", { user: user.username, group: group.name });
    return c.body(null, 204);
  });

  routes.api(leaveRoute, async (c) => {
    const { id, groupId } = c.req.valid("param");
    const user = await requireUser(db, id);
    const group = await requireGroup(groupId, "Group not found");
    await leaveGroup(db, user.id, group.id);
    log("removed user from group", { user: user.username, group: group.name });
    return c.body(null, 204);
  });

  routes.api(listRoute, async (c) => {
    const query = c.req.valid("query");
    const first = query.first ?? 0;
    const page = (await listGroups(db, query.search, query.exact ?? false)).slice(first, first + (query.max ?? 100));
    return c.json(
      page.map((g) => ({ ...groupRep(g), subGroupCount: 0, subGroups: [] as { id: string; name: string }[] })),
      200,
    );
  });

  routes.api(membersRoute, async (c) => {
    const group = await requireGroup(c.req.valid("param").groupId, "Could not find group by id");
    const query = c.req.valid("query");
    const members = await groupMembers(db, group.id, query.first ?? 0, query.max ?? 100);
    return c.json(
      members.map((u) => userRep(u, query.briefRepresentation ?? false)),
      200,
    );
  });
}
