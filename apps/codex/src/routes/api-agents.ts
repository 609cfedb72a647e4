import { z } from "zod";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import {
  agentCreateSchema,
  agentJson,
  agentOf,
  agentUpdateSchema,
  createAgent,
  deleteAgent,
  preferencesSchema,
  requireAgent,
  savePreferencesOf,
  updateAgent,
  type Person,
} from "../data/agents.ts";
import type { Agent } from "../db/schema.ts";
import type { RouteTable } from "./registry.ts";
import { actorOf } from "../shared/request.ts";

const listQuery = z.object({ enabled: z.enum(["true", "false"]).optional() }).strict();

/** The signed-in person as their token names them. */
function personOf(c: Context<AppEnv>): Person {
  const user = c.get("user")!;
  return {
    idp_user_id: user.sub,
    username: user.preferred_username,
    email: user.email || null,
    name: user.name || user.preferred_username,
  };
}

/** The agent row of the signed-in person, if any. */
export function agentOfUser(deps: Deps, c: Context<AppEnv>): Promise<Agent | null> {
  return agentOf(deps.db, personOf(c));
}

export const DEFAULT_PREFERENCES = { theme: "system", home_page: "nexus" } as const;

/** Saves the signed-in person's preferences (see savePreferencesOf). */
export function savePreferences(
  deps: Deps,
  c: Context<AppEnv>,
  prefs: z.infer<typeof preferencesSchema>,
): Promise<Agent> {
  return savePreferencesOf(deps.db, personOf(c), prefs, actorOf(c));
}

export function agentApi(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Agents";
  r.add(
    {
      method: "get",
      path: "/api/agents",
      access: "staff",
      tag,
      summary: "List agents (HiveMatrix staff and PSA agents)",
      query: listQuery,
    },
    async (c) => {
      const q = queryParams(c, listQuery);
      const rows = await h.db
        .select()
        .from(h.t.agents)
        .where(q.enabled ? eq(h.t.agents.enabled, q.enabled === "true") : undefined)
        .orderBy(h.t.agents.name);
      return c.json({ items: rows.map(agentJson), total: rows.length });
    },
  );
  r.add(
    { method: "post", path: "/api/agents", access: "admin", tag, summary: "Create an agent", body: agentCreateSchema },
    async (c) => c.json(agentJson(await createAgent(h, await jsonBody(c, z.unknown()), actorOf(c))), 201),
  );
  r.add(
    { method: "get", path: "/api/agents/:id", access: "staff", tag, summary: "An agent, by id or IdP user id" },
    async (c) => c.json(agentJson(await requireAgent(h, c.req.param("id") ?? ""))),
  );
  r.add(
    {
      method: "put",
      path: "/api/agents/:id",
      access: "admin",
      tag,
      summary: "Update an agent",
      body: agentUpdateSchema,
    },
    async (c) => {
      const agent = await requireAgent(h, c.req.param("id") ?? "");
      return c.json(agentJson(await updateAgent(h, agent, await jsonBody(c, z.unknown()), actorOf(c))));
    },
  );
  r.add(
    {
      method: "put",
      path: "/api/agents/:id/settings",
      access: "admin",
      tag,
      summary: "Set an agent's preferences",
      body: preferencesSchema,
    },
    async (c) => {
      const agent = await requireAgent(h, c.req.param("id") ?? "");
      return c.json(agentJson(await updateAgent(h, agent, await jsonBody(c, preferencesSchema), actorOf(c))));
    },
  );
  r.add({ method: "delete", path: "/api/agents/:id", access: "admin", tag, summary: "Delete an agent" }, async (c) => {
    const agent = await requireAgent(h, c.req.param("id") ?? "");
    await deleteAgent(h, agent, actorOf(c));
    return c.json({ message: `Deleted ${agent.name}.` });
  });
  r.add(
    {
      method: "get",
      path: "/api/my/settings",
      access: "self",
      tag: "Preferences",
      summary: "My preferences (theme, home page)",
    },
    async (c) => {
      const agent = await agentOfUser(deps, c);
      return c.json(agent ? { theme: agent.theme, home_page: agent.homePage } : DEFAULT_PREFERENCES);
    },
  );
  r.add(
    {
      method: "put",
      path: "/api/my/settings",
      access: "self",
      tag: "Preferences",
      summary: "Set my preferences",
      body: preferencesSchema,
    },
    async (c) => {
      const agent = await savePreferences(deps, c, await jsonBody(c, preferencesSchema));
      return c.json({ theme: agent.theme, home_page: agent.homePage });
    },
  );
}
