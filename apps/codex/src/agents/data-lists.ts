import { and, eq } from "drizzle-orm";
import type { Agent } from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";
import { namesById } from "../shared/data-common.ts";
import type { AgentChoice } from "./json.ts";

/** Agents by name: all, the enabled (or disabled) ones, or those synced from one source. */
export function listAgents(db: CodexDb, filter: { enabled?: boolean; source?: string } = {}): Promise<Agent[]> {
  const agents = db.t.agents;
  return db.db
    .select()
    .from(agents)
    .where(
      and(
        filter.enabled === undefined ? undefined : eq(agents.enabled, filter.enabled),
        filter.source === undefined ? undefined : eq(agents.externalSource, filter.source),
      ),
    )
    .orderBy(agents.name);
}

/** Every agent's id and name, by name: what an assignee field offers. */
export function agentChoices(db: CodexDb): Promise<AgentChoice[]> {
  const agents = db.t.agents;
  return db.db.select({ id: agents.id, name: agents.name }).from(agents).orderBy(agents.name);
}

/** id → name, for the agents some rows are assigned to. */
export const agentNames = (db: CodexDb, ids: number[]) => namesById(db, db.t.agents, ids);
