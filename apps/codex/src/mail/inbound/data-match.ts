import { type AnyColumn, and, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Company, Contact, Ticket } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { Tx } from "../../shared/data-common.ts";
import { domainOf } from "../addresses.ts";

/** Whether a JSON list column (of strings) holds `value`, compared in lower case, on either engine. */
function listHas(db: CodexDb, column: AnyColumn, value: string): SQL {
  return db.engine === "postgres"
    ? sql`exists (select 1 from jsonb_array_elements_text(${column}) as item(value) where lower(item.value) = ${value})`
    : sql`exists (select 1 from json_each(${column}) where lower(json_each.value) = ${value})`;
}

/** Companies whose email domain (`domain`, or one of `domains`) is this one. */
function companiesOfDomain(tx: Tx, db: CodexDb, domain: string): Promise<Company[]> {
  const companies = db.t.companies;
  return tx
    .select()
    .from(companies)
    .where(or(eq(sql`lower(${companies.domain})`, domain), listHas(db, companies.domains, domain)))
    .limit(5);
}

/** The contact who owns this address (their email or a secondary one). */
async function contactOf(tx: Tx, db: CodexDb, address: string): Promise<Contact | null> {
  const contacts = db.t.contacts;
  const [byEmail] = await tx.select().from(contacts).where(eq(contacts.email, address)).limit(1);
  if (byEmail) return byEmail;
  const [bySecondary] = await tx
    .select()
    .from(contacts)
    .where(listHas(db, contacts.secondaryEmails, address))
    .limit(1);
  return bySecondary ?? null;
}

/** Who sent a message, as far as Codex knows them. */
export type SenderMatch =
  | { company: Company; contact: Contact | null }
  | { company: null; contact: Contact | null; reason: string };

/**
 * The company a new message is for: its sender's, when the sender is a contact of exactly one
 * company (of several, the one whose domain the address has), else the one company that owns the
 * address's domain. Anything else goes to triage, with the reason.
 */
export async function companyOfSender(tx: Tx, db: CodexDb, address: string): Promise<SenderMatch> {
  const domain = domainOf(address);
  const contact = await contactOf(tx, db, address);
  const byDomain = await companiesOfDomain(tx, db, domain);
  if (contact) {
    const links = await tx
      .select({ company: db.t.companies })
      .from(db.t.contactCompanies)
      .innerJoin(db.t.companies, eq(db.t.companies.id, db.t.contactCompanies.companyId))
      .where(eq(db.t.contactCompanies.contactId, contact.id));
    const theirs = links.map((link) => link.company);
    if (theirs.length === 1) return { company: theirs[0]!, contact };
    const mine = theirs.filter((company) => byDomain.some((owner) => owner.id === company.id));
    if (mine.length === 1) return { company: mine[0]!, contact };
    if (theirs.length > 1)
      return { company: null, contact, reason: `the sender is a contact of ${theirs.length} companies` };
  }
  if (byDomain.length === 1) return { company: byDomain[0]!, contact };
  if (byDomain.length > 1) return { company: null, contact, reason: `several companies have the domain ${domain}` };
  return { company: null, contact, reason: "no company has this sender's address or domain" };
}

/** How the sender of a reply stands to its ticket, or null when they have nothing to do with it. */
export type ReplyAuthor = { kind: "agent"; name: string } | { kind: "customer"; name: string | null };

/**
 * Whether this address may add to this ticket: one of our agents, the requester, a contact of
 * the ticket's company, or an address at its domain. A ticket number in a subject is easy to
 * copy, so a stranger's "[#12]" never reaches ticket 12.
 */
export async function replyAuthor(tx: Tx, db: CodexDb, ticket: Ticket, address: string): Promise<ReplyAuthor | null> {
  const agents = db.t.agents;
  const [agent] = await tx
    .select({ name: agents.name })
    .from(agents)
    .where(and(eq(agents.email, address), eq(agents.enabled, true)))
    .limit(1);
  if (agent) return { kind: "agent", name: agent.name };
  const contact = await contactOf(tx, db, address);
  if (ticket.requesterEmail?.toLowerCase() === address) return { kind: "customer", name: ticket.requesterName };
  if (contact) {
    if (contact.id === ticket.requesterId) return { kind: "customer", name: contact.name };
    const [member] = await tx
      .select({ id: db.t.contactCompanies.contactId })
      .from(db.t.contactCompanies)
      .where(
        and(eq(db.t.contactCompanies.contactId, contact.id), eq(db.t.contactCompanies.companyId, ticket.companyId)),
      );
    if (member) return { kind: "customer", name: contact.name };
  }
  const owners = await companiesOfDomain(tx, db, domainOf(address));
  if (owners.some((company) => company.id === ticket.companyId))
    return { kind: "customer", name: contact?.name ?? null };
  return null;
}

/** The tickets with these ids that exist. */
export async function existingTickets(tx: Tx, db: CodexDb, ids: number[]): Promise<Ticket[]> {
  if (ids.length === 0) return [];
  return tx.select().from(db.t.tickets).where(inArray(db.t.tickets.id, ids));
}
