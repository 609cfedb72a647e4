import { eq } from "drizzle-orm";
import { z } from "zod";
import { queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import type { CodexDb } from "../deps.ts";
import { agentJson } from "../data/agents.ts";
import type { RouteTable } from "../routes/registry.ts";
import { freshserviceBaseUrl } from "./freshservice/client.ts";
import { SOURCE, workspaceOfCompany } from "./freshservice/mapping.ts";
import { readSettings, type FreshserviceSettings } from "./settings.ts";

/** Where people open Freshservice records: URL templates with `{id}` for the provider's id. */
export interface PsaLinks {
  provider: typeof SOURCE;
  name: string;
  origin: string;
  ticket: string;
  company: string;
  contact: string;
}

/** The agent portal's address: the web domain when set (a custom domain), else the API domain. */
export function freshserviceWebOrigin(settings: Pick<FreshserviceSettings, "domain" | "webDomain">): string | null {
  const host = settings.webDomain || settings.domain;
  if (!host) return null;
  try {
    return freshserviceBaseUrl(host).replace(/\/api\/v2$/, "");
  } catch {
    return null;
  }
}

/** The Freshservice link templates, or null while no domain is configured. */
export async function psaLinks(h: CodexDb): Promise<PsaLinks | null> {
  const { settings } = await readSettings(h, "freshservice");
  const origin = freshserviceWebOrigin(settings);
  if (!origin) return null;
  return {
    provider: SOURCE,
    name: "Freshservice",
    origin,
    ticket: `${origin}/a/tickets/{id}`,
    company: `${origin}/a/admin/departments/{id}`,
    contact: `${origin}/a/requesters/{id}`,
  };
}

/** A record's page in the PSA it came from; null for records made in Codex or from another source. */
export function psaUrl(
  links: PsaLinks | null | undefined,
  kind: "ticket" | "company" | "contact",
  record: { external_source: string | null; external_id: string | null },
): string | null {
  if (!links || record.external_source !== links.provider || !record.external_id) return null;
  // A company made from a client workspace has no department page to open.
  if (kind === "company" && workspaceOfCompany(record.external_id) !== null) return null;
  return links[kind].replace("{id}", encodeURIComponent(record.external_id));
}

const agentsQuery = z.object({ provider: z.literal(SOURCE).default(SOURCE) }).strict();

/** The PSA's configuration for deep links (as the old /api/psa/config answered) and its agents. */
export function psaApi(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "PSA";
  r.add(
    {
      method: "get",
      path: "/api/psa/config",
      access: "staff",
      tag,
      summary: "The PSA's link templates for tickets, companies and contacts",
    },
    async (c) => {
      const links = await psaLinks(h);
      const { enabled } = await readSettings(h, "freshservice");
      if (!links) return c.json({ default_provider: null, providers: {} });
      return c.json({
        default_provider: links.provider,
        providers: {
          [links.provider]: {
            name: links.name,
            enabled,
            web_url: links.origin,
            ticket_url_template: links.ticket.replace("{id}", "{ticket_id}"),
            company_url_template: links.company.replace("{id}", "{company_id}"),
            contact_url_template: links.contact.replace("{id}", "{contact_id}"),
          },
        },
      });
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/psa/agents",
      access: "staff",
      tag,
      summary: "Agents synced from the PSA",
      query: agentsQuery,
    },
    async (c) => {
      const q = queryParams(c, agentsQuery);
      const rows = await h.db
        .select()
        .from(h.t.agents)
        .where(eq(h.t.agents.externalSource, q.provider))
        .orderBy(h.t.agents.name);
      return c.json({ provider: q.provider, items: rows.map(agentJson), total: rows.length });
    },
  );
}
