import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { listAgents } from "../agents/data-lists.ts";
import { agentJson, agentListSchema } from "../agents/json.ts";
import type { Deps } from "../deps.ts";
import { jsonAnswer } from "../shared/route-schemas.ts";
import { SOURCE } from "./freshservice/mapping.ts";
import { psaConfigSchema } from "./json.ts";
import { psaLinks } from "./psa-links.ts";
import { readSettings } from "./settings.ts";

const tags: [string] = ["PSA"];

const configRoute = apiRoute({
  method: "get",
  path: "/api/psa/config",
  access: ACCESS.staff,
  tags,
  summary: "The PSA's link templates for tickets, companies and contacts",
  responses: { 200: jsonAnswer(psaConfigSchema, "The templates (no provider while none is configured)") },
});

const agentsRoute = apiRoute({
  method: "get",
  path: "/api/psa/agents",
  access: ACCESS.staff,
  tags,
  summary: "Agents synced from the PSA",
  request: { query: z.object({ provider: z.literal(SOURCE).default(SOURCE) }).strict() },
  responses: {
    200: jsonAnswer(agentListSchema.extend({ provider: z.literal(SOURCE) }), "The PSA's agents, by name"),
  },
});

/** The PSA's configuration for deep links (as the old /api/psa/config answered) and its agents. */
export function psaApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;

  routes.api(configRoute, async (c) => {
    const links = await psaLinks(db);
    const { enabled } = await readSettings(db, "freshservice");
    if (!links) return c.json({ default_provider: null, providers: {} }, 200);
    const provider = {
      name: links.name,
      enabled,
      web_url: links.origin,
      ticket_url_template: links.ticket.replace("{id}", "{ticket_id}"),
      company_url_template: links.company.replace("{id}", "{company_id}"),
      contact_url_template: links.contact.replace("{id}", "{contact_id}"),
    };
    return c.json({ default_provider: links.provider, providers: { [links.provider]: provider } }, 200);
  });

  routes.api(agentsRoute, async (c) => {
    const { provider } = c.req.valid("query");
    const agents = await listAgents(db, { source: provider });
    return c.json({ provider, items: agents.map(agentJson), total: agents.length }, 200);
  });
}
