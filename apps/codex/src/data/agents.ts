import { z } from "zod";
import { eq, inArray } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import { notFound } from "@hivematrix/lib/errors";
import type { CodexDb } from "../db/open.ts";
import { HOME_PAGES, THEMES, type Agent } from "../db/schema.ts";
import { runBulk, runOne, type BulkSpec } from "./bulk.ts";
import {
  dropUndefined,
  externalCheck,
  externalFields,
  optText,
  selectIn,
  writeAudit,
  type Actor,
  type BulkResult,
  existingByExternal,
} from "./common.ts";

const fields = {
  idp_user_id: optText(100),
  username: optText(100),
  email: z
    .email("Not a valid email address.")
    .max(254)
    .transform((s) => s.toLowerCase()),
  name: z.string().trim().min(1, "Required.").max(200),
  enabled: z.boolean().optional(),
  theme: z.enum(THEMES).optional(),
  home_page: z.enum(HOME_PAGES).optional(),
  ...externalFields,
};

export const agentCreateSchema = z.object(fields).strict().superRefine(externalCheck);
export const agentUpdateSchema = z.object(fields).partial().strict().superRefine(externalCheck);
/** What a person may change about themselves. */
export const preferencesSchema = z
  .object({ theme: z.enum(THEMES).optional(), home_page: z.enum(HOME_PAGES).optional() })
  .strict();
type AgentRow = z.infer<typeof agentCreateSchema>;

export function agentJson(a: Agent) {
  return {
    id: a.id,
    idp_user_id: a.idpUserId,
    username: a.username,
    email: a.email,
    name: a.name,
    enabled: a.enabled,
    theme: a.theme,
    home_page: a.homePage,
    external_id: a.externalId,
    external_source: a.externalSource,
    last_synced_at: a.lastSyncedAt?.toISOString() ?? null,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}

/** An agent by local id (up to nine digits, as every id route takes them) or IdP user id. */
export async function findAgent(h: CodexDb, key: string): Promise<Agent | null> {
  const col = /^\d{1,9}$/.test(key) ? eq(h.t.agents.id, Number(key)) : eq(h.t.agents.idpUserId, key);
  const [row] = await h.db.select().from(h.t.agents).where(col);
  return row ?? null;
}

export async function requireAgent(h: CodexDb, key: string): Promise<Agent> {
  const a = await findAgent(h, key);
  if (!a) throw notFound(`No agent ${key}.`);
  return a;
}

function toColumns(i: Partial<AgentRow>): Partial<Agent> {
  return dropUndefined({
    idpUserId: i.idp_user_id,
    username: i.username,
    email: i.email,
    name: i.name,
    enabled: i.enabled,
    theme: i.theme,
    homePage: i.home_page,
    externalId: i.external_id,
    externalSource: i.external_source,
  }) as Partial<Agent>;
}

async function agentSpec(
  h: CodexDb,
  o: { target?: Agent; createOnly?: boolean; synced?: boolean } = {},
): Promise<BulkSpec<Agent, AgentRow>> {
  const byIdp = new Map<string, Agent>();
  const byEmail = new Map<string, Agent>();
  const byExternal = new Map<string, Agent>();
  return {
    entity: "agent",
    table: h.t.agents,
    tableName: "agents",
    schema: (o.target ? agentUpdateSchema : agentCreateSchema) as z.ZodType<AgentRow>,
    async load(rows) {
      const idps = rows.flatMap((r) => (r.idp_user_id ? [r.idp_user_id] : []));
      for (const a of await selectIn(idps, (part) =>
        h.db
          .select()
          .from(h.t.agents)
          .where(inArray(h.t.agents.idpUserId, part as string[])),
      ))
        byIdp.set(a.idpUserId!, a);
      const emails = rows.flatMap((r) => (r.email ? [r.email] : []));
      for (const a of await selectIn(emails, (part) =>
        h.db
          .select()
          .from(h.t.agents)
          .where(inArray(h.t.agents.email, part as string[])),
      ))
        byEmail.set(a.email, a);
      for (const [k, v] of await existingByExternal<Agent>(h, h.t.agents, rows)) byExternal.set(k, v);
    },
    resolve(p) {
      const existing =
        o.target ??
        (p.idp_user_id ? byIdp.get(p.idp_user_id) : undefined) ??
        (p.external_id ? byExternal.get(`${p.external_source}\u0000${p.external_id}`) : undefined) ??
        (p.email ? byEmail.get(p.email) : undefined);
      if (existing && o.createOnly)
        return {
          error: {
            field: p.idp_user_id && byIdp.has(p.idp_user_id) ? "idp_user_id" : "email",
            message: `This agent is already used by ${existing.name}.`,
          },
        };
      const other = p.email ? byEmail.get(p.email) : undefined;
      if (other && existing && other.id !== existing.id)
        return { error: { field: "email", message: `${p.email} is already used by ${other.name}.` } };
      const cols = toColumns(p);
      if (o.synced) cols.lastSyncedAt = new Date();
      return { existing, cols };
    },
    companyIdOf: () => null,
  };
}

export async function createAgent(h: CodexDb, input: unknown, actor: Actor): Promise<Agent> {
  return requireAgent(h, String(await runOne(h, actor, await agentSpec(h, { createOnly: true }), input)));
}

export async function updateAgent(h: CodexDb, agent: Agent, input: unknown, actor: Actor): Promise<Agent> {
  await runOne(h, actor, await agentSpec(h, { target: agent }), input);
  return requireAgent(h, String(agent.id));
}

export async function deleteAgent(h: CodexDb, agent: Agent, actor: Actor): Promise<void> {
  await transaction(h, async (tx) => {
    await tx.delete(h.t.agents).where(eq(h.t.agents.id, agent.id));
    await writeAudit(tx, h, actor, [{ action: "delete", entity: "agent", entityId: agent.id, before: agent }]);
  });
}

/**
 * Creates or updates agents (the Keycloak and PSA syncs): matched by IdP user id, then
 * (external_source, external_id), then email; sets last_synced_at. Never deletes: an agent
 * missing from one fetch is left alone (a partial fetch must not wipe data).
 */
export async function upsertAgents(h: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(h, actor, await agentSpec(h, { synced: true }), rows);
}
