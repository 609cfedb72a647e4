import type { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { jsonAnswer, jsonRequest, messageSchema } from "../shared/route-schemas.ts";
import { actorOf, personOf } from "../shared/request.ts";
import { agentOf, createAgent, deleteAgent, requireAgent, savePreferencesOf, updateAgent } from "./data.ts";
import { listAgents } from "./data-lists.ts";
import {
  agentCreate,
  agentJson,
  agentListQuery,
  agentListSchema,
  agentParams,
  agentSchema,
  agentUpdate,
  DEFAULT_PREFERENCES,
  preferencesJson,
  preferencesOf,
  preferencesSchema,
} from "./json.ts";

const tags: [string] = ["Agents"];

const listRoute = apiRoute({
  method: "get",
  path: "/api/agents",
  access: ACCESS.staff,
  tags,
  summary: "List agents (HiveMatrix staff and PSA agents)",
  request: { query: agentListQuery },
  responses: { 200: jsonAnswer(agentListSchema, "The agents, by name") },
});

const createRoute = apiRoute({
  method: "post",
  path: "/api/agents",
  access: ACCESS.admin,
  tags,
  summary: "Create an agent",
  request: { body: jsonRequest(agentCreate) },
  responses: { 201: jsonAnswer(agentSchema, "The agent as stored") },
});

const getRoute = apiRoute({
  method: "get",
  path: "/api/agents/{id}",
  access: ACCESS.staff,
  tags,
  summary: "An agent, by id or IdP user id",
  request: { params: agentParams },
  responses: { 200: jsonAnswer(agentSchema, "The agent") },
});

/** A change an admin makes to an agent, by id or IdP user id. */
const changeRoute = <B extends z.ZodType>(path: string, summary: string, body: B) =>
  apiRoute({
    method: "put",
    path,
    access: ACCESS.admin,
    tags,
    summary,
    request: { params: agentParams, body: jsonRequest(body) },
    responses: { 200: jsonAnswer(agentSchema, "The agent as stored") },
  });
const updateRoute = changeRoute("/api/agents/{id}", "Update an agent", agentUpdate);
const preferencesRoute = changeRoute("/api/agents/{id}/settings", "Set an agent's preferences", preferencesSchema);

const deleteRoute = apiRoute({
  method: "delete",
  path: "/api/agents/{id}",
  access: ACCESS.admin,
  tags,
  summary: "Delete an agent",
  request: { params: agentParams },
  responses: { 200: jsonAnswer(messageSchema, "Deleted") },
});

const myRoute = {
  path: "/api/my/settings",
  access: ACCESS.self,
  tags: ["Preferences"] as [string],
  responses: { 200: jsonAnswer(preferencesJson, "The preferences") },
};
const mySettingsRoute = apiRoute({
  ...myRoute,
  method: "get",
  summary: "My preferences (theme, home page, ticket emails)",
});
const saveMySettingsRoute = apiRoute({
  ...myRoute,
  method: "put",
  summary: "Set my preferences",
  request: { body: jsonRequest(preferencesSchema) },
});

export function agentsApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;

  routes.api(listRoute, async (c) => {
    const { enabled } = c.req.valid("query");
    const agents = await listAgents(db, { enabled: enabled === undefined ? undefined : enabled === "true" });
    return c.json({ items: agents.map(agentJson), total: agents.length }, 200);
  });

  routes.api(createRoute, async (c) => c.json(agentJson(await createAgent(db, c.req.valid("json"), actorOf(c))), 201));

  routes.api(getRoute, async (c) => c.json(agentJson(await requireAgent(db, c.req.valid("param").id)), 200));

  for (const route of [updateRoute, preferencesRoute])
    routes.api(route, async (c) => {
      const agent = await requireAgent(db, c.req.valid("param").id);
      return c.json(agentJson(await updateAgent(db, agent, c.req.valid("json"), actorOf(c))), 200);
    });

  routes.api(deleteRoute, async (c) => {
    const agent = await requireAgent(db, c.req.valid("param").id);
    await deleteAgent(db, agent, actorOf(c));
    return c.json({ message: `Deleted ${agent.name}.` }, 200);
  });

  routes.api(mySettingsRoute, async (c) => {
    const agent = await agentOf(db, personOf(c));
    return c.json(agent ? preferencesOf(agent) : DEFAULT_PREFERENCES, 200);
  });

  routes.api(saveMySettingsRoute, async (c) => {
    const agent = await savePreferencesOf(db, personOf(c), c.req.valid("json"), actorOf(c));
    return c.json(preferencesOf(agent), 200);
  });
}
