import type { CodexDb } from "../deps.ts";
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
export async function psaLinks(db: CodexDb): Promise<PsaLinks | null> {
  const { settings } = await readSettings(db, "freshservice");
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
