import { z } from "zod";
import { eq, inArray, or } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import { notFound } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import { HOME_PAGES, THEMES, type Agent } from "../db/schema.ts";
import { runBulk, runOne, type BulkSpec } from "../shared/data-bulk.ts";
import { dropUndefined, selectIn, existingByExternal } from "../shared/data-common.ts";
import { externalCheck, externalFields, optText } from "../shared/input.ts";
import { writeAudit, type Actor } from "../shared/data-audit.ts";
import type { BulkResult } from "../shared/data-bulk.ts";

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

/** The columns that each name one agent, in the order an incoming row is matched by. */
const IDENTITY = [
  { field: "idp_user_id", column: "idpUserId", label: "identity-provider user" },
  { field: "username", column: "username", label: "username" },
  { field: "email", column: "email", label: "email" },
] as const;

/**
 * Who an agent row means, and whether writing it would take a name that is someone else's.
 * A row is the agent of its IdP user id, else of its (source, external id), else of its
 * username, else of its email. An agent without an IdP identity adopts the one of the row that
 * matched it (the demo's `admin` becomes the IdP's `admin`); one with a different IdP identity
 * is another person, and so is any other agent (or an earlier row of the batch) holding one of
 * the row's usernames or emails: the row is refused with the reason, for a 409 or a sync's log.
 */
async function agentSpec(
  h: CodexDb,
  o: { target?: Agent; createOnly?: boolean; synced?: boolean } = {},
): Promise<BulkSpec<Agent, AgentRow>> {
  const known = new Map<string, Agent>();
  const byExternal = new Map<string, Agent>();
  /** Names claimed by rows of this batch, by `<field>\0<value>`, with the claiming agent id or row. */
  const claimed = new Map<string, string>();
  const key = (field: string, value: string) => `${field}\u0000${value}`;
  return {
    entity: "agent",
    table: h.t.agents,
    tableName: "agents",
    schema: (o.target ? agentUpdateSchema : agentCreateSchema) as z.ZodType<AgentRow>,
    async load(rows) {
      for (const { field, column } of IDENTITY) {
        const values = rows.flatMap((r) => (r[field] ? [r[field] as string] : []));
        for (const a of await selectIn(values, (part) =>
          h.db
            .select()
            .from(h.t.agents)
            .where(inArray(h.t.agents[column], part as string[])),
        ))
          known.set(key(field, a[column]!), a);
      }
      for (const [k, v] of await existingByExternal<Agent>(h, h.t.agents, rows)) byExternal.set(k, v);
    },
    resolve(p, index) {
      const holder = (field: (typeof IDENTITY)[number]["field"]) =>
        p[field] ? known.get(key(field, p[field]!)) : undefined;
      const external = p.external_id ? byExternal.get(`${p.external_source}\u0000${p.external_id}`) : undefined;
      const existing = o.target ?? holder("idp_user_id") ?? external ?? holder("username") ?? holder("email");
      if (existing && o.createOnly) {
        const taken = IDENTITY.find((id) => holder(id.field));
        return {
          error: taken
            ? {
                field: taken.field,
                message: `The ${taken.label} ${p[taken.field]} is already used by ${existing.name}.`,
              }
            : { field: "external_id", message: `This external id is already used by ${existing.name}.` },
        };
      }
      // An IdP identity is a person: another one's agent is not this row's, whatever else matches.
      if (!o.target && existing?.idpUserId && p.idp_user_id && existing.idpUserId !== p.idp_user_id)
        return {
          error: {
            field: "idp_user_id",
            message: `${existing.username ?? existing.email} is already used by ${existing.name}, the agent of another sign-in (identity-provider user ${existing.idpUserId}).`,
          },
        };
      if (external && external.id !== existing?.id)
        return {
          error: { field: "external_id", message: `This external id is already used by ${external.name}.` },
        };
      const claimant = existing ? `agent ${existing.id}` : `row ${index}`;
      for (const { field, label } of IDENTITY) {
        const value = p[field];
        if (!value) continue;
        const other = holder(field);
        if (other && other.id !== existing?.id)
          return { error: { field, message: `The ${label} ${value} is already used by ${other.name}.` } };
        const earlier = claimed.get(key(field, value));
        if (earlier && earlier !== claimant)
          return { error: { field, message: `The ${label} ${value} is already used by another row of this batch.` } };
        claimed.set(key(field, value), claimant);
      }
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
 * Creates or updates agents (the Keycloak and PSA syncs), matched as agentSpec says; sets
 * last_synced_at. Never deletes: an agent missing from one fetch is left alone (a partial
 * fetch must not wipe data).
 */
export async function upsertAgents(h: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(h, actor, await agentSpec(h, { synced: true }), rows);
}

/** A signed-in person as the identity provider names them (from their token). */
export interface Person {
  idp_user_id: string;
  username: string;
  email: string | null;
  name: string;
}

/** The agent of a signed-in person, matched as agentSpec matches rows: IdP user id, then username, then email. */
export async function agentOf(h: CodexDb, person: Person): Promise<Agent | null> {
  const t = h.t.agents;
  const email = person.email?.toLowerCase() || null;
  const rows = await h.db
    .select()
    .from(t)
    .where(
      or(eq(t.idpUserId, person.idp_user_id), eq(t.username, person.username), email ? eq(t.email, email) : undefined),
    );
  return (
    rows.find((a) => a.idpUserId === person.idp_user_id) ??
    rows.find((a) => a.username === person.username) ??
    rows.find((a) => a.email === email) ??
    null
  );
}

/**
 * Saves a person's own preferences on their agent. Their agent keeps its fields; an agent that
 * matches them without an IdP identity (the demo's `admin`) adopts theirs; with none, one is
 * made from the token. An agent of another sign-in holding their username or email is a 409.
 */
export async function savePreferencesOf(
  h: CodexDb,
  person: Person,
  prefs: z.infer<typeof preferencesSchema>,
  actor: Actor,
): Promise<Agent> {
  const agent = await agentOf(h, person);
  if (agent?.idpUserId === person.idp_user_id) return updateAgent(h, agent, prefs, actor);
  const row = { ...person, email: person.email || `${person.username}@users.invalid`, ...prefs };
  return requireAgent(h, String(await runOne(h, actor, await agentSpec(h), row)));
}
