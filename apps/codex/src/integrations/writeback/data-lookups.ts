import { and, eq, or } from "drizzle-orm";
import type { CodexDb } from "../../deps.ts";
import { SOURCE } from "../freshservice/mapping.ts";

/** Freshservice's ids of what a write-back names in Codex's terms: its ticket, agents and people. */

const fsId = (row: { externalSource: string | null; externalId: string | null } | undefined) =>
  row?.externalSource === SOURCE && /^\d+$/.test(row.externalId ?? "") ? Number(row.externalId) : null;

/** The Freshservice ticket a Codex ticket came from; null when it no longer names one. */
export async function freshserviceTicketId(db: CodexDb, ticketId: number): Promise<number | null> {
  const tickets = db.t.tickets;
  const [row] = await db.db
    .select({ externalSource: tickets.externalSource, externalId: tickets.externalId })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  return fsId(row);
}

/** A Codex agent's name and Freshservice agent id (null when the agent was not synced from Freshservice). */
export async function freshserviceAgent(
  db: CodexDb,
  agentId: number,
): Promise<{ name: string; freshserviceId: number | null } | null> {
  const agents = db.t.agents;
  const [row] = await db.db.select().from(agents).where(eq(agents.id, agentId));
  return row ? { name: row.name, freshserviceId: fsId(row) } : null;
}

/**
 * Who wrote an entry, as Freshservice knows them: a technician's agent (by username, then
 * email), or for a client's reply the contact with that email; null when Freshservice has no
 * record of them, and the entry goes out as the API key's agent.
 */
export async function freshserviceAuthorId(
  db: CodexDb,
  author: { username: string; email: string | null; client: boolean },
): Promise<number | null> {
  const email = author.email?.toLowerCase() ?? null;
  if (author.client) {
    if (!email) return null;
    const contacts = db.t.contacts;
    const [row] = await db.db
      .select({ externalSource: contacts.externalSource, externalId: contacts.externalId })
      .from(contacts)
      .where(and(eq(contacts.email, email), eq(contacts.externalSource, SOURCE)));
    return fsId(row);
  }
  const agents = db.t.agents;
  const rows = await db.db
    .select()
    .from(agents)
    .where(
      and(
        eq(agents.externalSource, SOURCE),
        or(eq(agents.username, author.username), email ? eq(agents.email, email) : undefined),
      ),
    );
  return fsId(rows.find((row) => row.username === author.username) ?? rows[0]);
}
