import { eq, or } from "drizzle-orm";
import { notFound } from "@hivematrix/lib/errors";
import type { z } from "zod";
import type { Agent } from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";
import type { Actor } from "../shared/data-audit.ts";
import { type BulkResult, type BulkSpec, runBulk, runOne, writeOne } from "../shared/data-bulk.ts";
import { existingByExternal, rowsWhereIn } from "../shared/data-common.ts";
import { deleteRecord } from "../shared/data-records.ts";
import { toColumns } from "../shared/fields.ts";
import {
  type AgentCreate,
  type AgentUpdate,
  agentCreate,
  agentFields,
  agentUpdate,
  type Person,
  type Preferences,
} from "./json.ts";

/** An agent by local id (up to nine digits, as every id route takes them) or IdP user id. */
async function findAgent(db: CodexDb, key: string): Promise<Agent | null> {
  const agents = db.t.agents;
  const column = /^\d{1,9}$/.test(key) ? eq(agents.id, Number(key)) : eq(agents.idpUserId, key);
  const [row] = await db.db.select().from(agents).where(column);
  return row ?? null;
}

export async function requireAgent(db: CodexDb, key: string): Promise<Agent> {
  const agent = await findAgent(db, key);
  if (!agent) throw notFound(`No agent ${key}.`);
  return agent;
}

/** The columns that each name one agent, in the order an incoming row is matched by. */
const IDENTITY = [
  { field: "idp_user_id", column: "idpUserId", label: "identity-provider user" },
  { field: "username", column: "username", label: "username" },
  { field: "email", column: "email", label: "email" },
] as const;
type IdentityField = (typeof IDENTITY)[number]["field"];

/**
 * Who an agent row means, and whether writing it would take a name that is someone else's.
 * A row is the agent of its IdP user id, else of its (source, external id), else of its
 * username, else of its email. An agent without an IdP identity adopts the one of the row that
 * matched it (the demo's `admin` becomes the IdP's `admin`); one with a different IdP identity
 * is another person, and so is any other agent (or an earlier row of the batch) holding one of
 * the row's usernames or emails: the row is refused with the reason, for a 409 or a sync's log.
 */
async function agentSpec(
  db: CodexDb,
  options: { target?: Agent; createOnly?: boolean; synced?: boolean } = {},
): Promise<BulkSpec<Agent, AgentCreate>> {
  const known = new Map<string, Agent>();
  const byExternal = new Map<string, Agent>();
  /** Names claimed by rows of this batch, by `<field>\0<value>`, with the claiming agent id or row. */
  const claimed = new Map<string, string>();
  const key = (field: string, value: string) => `${field}\u0000${value}`;
  return {
    entity: "agent",
    table: db.t.agents,
    tableName: "agents",
    schema: (options.target ? agentUpdate : agentCreate) as z.ZodType<AgentCreate>,
    async load(rows) {
      for (const { field, column } of IDENTITY) {
        const values = rows.flatMap((row) => (row[field] ? [row[field] as string] : []));
        for (const agent of await rowsWhereIn<Agent>(db, db.t.agents, db.t.agents[column], values))
          known.set(key(field, agent[column]!), agent);
      }
      for (const [external, agent] of await existingByExternal<Agent>(db, db.t.agents, rows))
        byExternal.set(external, agent);
    },
    resolve(row, index) {
      const holder = (field: IdentityField) => (row[field] ? known.get(key(field, row[field]!)) : undefined);
      const external = row.external_id ? byExternal.get(`${row.external_source}\u0000${row.external_id}`) : undefined;
      const existing = options.target ?? holder("idp_user_id") ?? external ?? holder("username") ?? holder("email");
      if (existing && options.createOnly) {
        const taken = IDENTITY.find((identity) => holder(identity.field));
        return {
          error: taken
            ? {
                field: taken.field,
                message: `The ${taken.label} ${row[taken.field]} is already used by ${existing.name}.`,
              }
            : { field: "external_id", message: `This external id is already used by ${existing.name}.` },
        };
      }
      // An IdP identity is a person: another one's agent is not this row's, whatever else matches.
      if (!options.target && existing?.idpUserId && row.idp_user_id && existing.idpUserId !== row.idp_user_id)
        return {
          error: {
            field: "idp_user_id",
            message:
              `${existing.username ?? existing.email} is already used by ${existing.name}, ` +
              `the agent of another sign-in (identity-provider user ${existing.idpUserId}).`,
          },
        };
      if (external && external.id !== existing?.id)
        return { error: { field: "external_id", message: `This external id is already used by ${external.name}.` } };
      const claimant = existing ? `agent ${existing.id}` : `row ${index}`;
      for (const { field, label } of IDENTITY) {
        const value = row[field];
        if (!value) continue;
        const other = holder(field);
        if (other && other.id !== existing?.id)
          return { error: { field, message: `The ${label} ${value} is already used by ${other.name}.` } };
        const earlier = claimed.get(key(field, value));
        if (earlier && earlier !== claimant)
          return { error: { field, message: `The ${label} ${value} is already used by another row of this batch.` } };
        claimed.set(key(field, value), claimant);
      }
      const columns = toColumns<Agent>(agentFields, row);
      if (options.synced) columns.lastSyncedAt = new Date();
      return { existing, cols: columns };
    },
    companyIdOf: () => null,
  };
}

export async function createAgent(db: CodexDb, input: AgentCreate, actor: Actor): Promise<Agent> {
  return requireAgent(db, String(await writeOne(db, actor, await agentSpec(db, { createOnly: true }), input)));
}

export async function updateAgent(db: CodexDb, agent: Agent, input: AgentUpdate, actor: Actor): Promise<Agent> {
  await writeOne(db, actor, await agentSpec(db, { target: agent }), input as AgentCreate);
  return requireAgent(db, String(agent.id));
}

export function deleteAgent(db: CodexDb, agent: Agent, actor: Actor): Promise<void> {
  return deleteRecord(db, actor, { entity: "agent", table: db.t.agents, current: agent, companyId: null });
}

/**
 * Creates or updates agents (the Keycloak and PSA syncs), matched as agentSpec says; sets
 * last_synced_at. Never deletes: an agent missing from one fetch is left alone (a partial
 * fetch must not wipe data).
 */
export async function upsertAgents(db: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(db, actor, await agentSpec(db, { synced: true }), rows);
}

/** The agent of a signed-in person, matched as agentSpec matches rows: IdP user id, then username, then email. */
export async function agentOf(db: CodexDb, person: Person): Promise<Agent | null> {
  const agents = db.t.agents;
  const email = person.email?.toLowerCase() || null;
  const rows = await db.db
    .select()
    .from(agents)
    .where(
      or(
        eq(agents.idpUserId, person.idp_user_id),
        eq(agents.username, person.username),
        email ? eq(agents.email, email) : undefined,
      ),
    );
  return (
    rows.find((agent) => agent.idpUserId === person.idp_user_id) ??
    rows.find((agent) => agent.username === person.username) ??
    rows.find((agent) => agent.email === email) ??
    null
  );
}

/**
 * Saves a person's own preferences on their agent. Their agent keeps its fields; an agent that
 * matches them without an IdP identity (the demo's `admin`) adopts theirs; with none, one is
 * made from the token. An agent of another sign-in holding their username or email is a 409.
 */
export async function savePreferencesOf(
  db: CodexDb,
  person: Person,
  preferences: Preferences,
  actor: Actor,
): Promise<Agent> {
  const agent = await agentOf(db, person);
  if (agent?.idpUserId === person.idp_user_id) return updateAgent(db, agent, preferences, actor);
  const row = { ...person, email: person.email || `${person.username}@users.invalid`, ...preferences };
  // The token's names are checked here as any row is (a username that makes no email is a 422).
  return requireAgent(db, String(await runOne(db, actor, await agentSpec(db), row)));
}
