import { and, eq, ne } from "drizzle-orm";
import type { Ticket } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { Tx } from "../../shared/data-common.ts";
import { undeliverable } from "../addresses.ts";

/** Someone a ticket email goes to. */
export interface Recipient {
  address: string;
  name: string | null;
  /** Their HiveMatrix username (agents), to leave out the person who made the change. */
  username: string | null;
}

/** Whether anyone who owns this address (a contact or an agent; both keep emails in lower case) opted out. */
async function optedOut(tx: Tx, db: CodexDb, address: string): Promise<boolean> {
  const contacts = db.t.contacts;
  const agents = db.t.agents;
  const [contact] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.email, address), eq(contacts.emailNotifications, false)))
    .limit(1);
  if (contact) return true;
  const [agent] = await tx
    .select({ id: agents.id })
    .from(agents)
    .where(and(eq(agents.email, address), eq(agents.emailNotifications, false)))
    .limit(1);
  return Boolean(agent);
}

/**
 * The ticket's requester, if they can and want to get email: the ticket's requester email, else
 * their contact's; nobody when they opted out (as a contact or an agent) or the address is ours.
 */
export async function requesterOf(tx: Tx, db: CodexDb, ticket: Ticket, ownAddress: string): Promise<Recipient | null> {
  let address = ticket.requesterEmail?.toLowerCase() ?? null;
  let name = ticket.requesterName;
  if (ticket.requesterId) {
    const [contact] = await tx.select().from(db.t.contacts).where(eq(db.t.contacts.id, ticket.requesterId));
    if (contact && !contact.emailNotifications) return null;
    address ??= contact?.email?.toLowerCase() ?? null;
    name ??= contact?.name ?? null;
  }
  if (!address || address === ownAddress || undeliverable(address)) return null;
  if (await optedOut(tx, db, address)) return null;
  return { address, name, username: null };
}

/** The ticket's assignee, if enabled, with a deliverable address and ticket emails on. */
export async function assigneeOf(
  tx: Tx,
  db: CodexDb,
  assigneeId: number | null,
  ownAddress: string,
): Promise<Recipient | null> {
  if (!assigneeId) return null;
  const [agent] = await tx.select().from(db.t.agents).where(eq(db.t.agents.id, assigneeId));
  if (!agent?.enabled || !agent.emailNotifications) return null;
  const address = agent.email.toLowerCase();
  if (address === ownAddress || undeliverable(address)) return null;
  return { address, name: agent.name, username: agent.username };
}

/** The Message-ID of the email a ticket was opened from, so our emails join the sender's own thread. */
export async function openingMessageId(tx: Tx, db: CodexDb, ticketId: number): Promise<string | null> {
  const inbound = db.t.mailInbound;
  const [row] = await tx
    .select({ messageId: inbound.messageId })
    .from(inbound)
    // Its row is linked before the outcome is recorded; the replies read later are the only others.
    .where(and(eq(inbound.ticketId, ticketId), ne(inbound.outcome, "reply")))
    .orderBy(inbound.id)
    .limit(1);
  return row?.messageId ?? null;
}
