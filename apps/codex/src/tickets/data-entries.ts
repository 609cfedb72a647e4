import { and, eq, sql } from "drizzle-orm";
import { forUpdate, transaction } from "@hivematrix/lib/db";
import { notFound } from "@hivematrix/lib/errors";
import type { Ticket, TicketEntry, TicketTimeEntry } from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";
import { type AuditRecord, type Actor, writeAudit } from "../shared/data-audit.ts";
import type { Tx } from "../shared/data-common.ts";
import { insertAttachments, linkToEntry } from "./attachments/data.ts";
import type { StoredFile } from "./attachments/keep.ts";
import { enqueueEntryWriteBack } from "../integrations/writeback/data.ts";
import type { TicketEvents } from "./events.ts";
import { isClosedStatus, type TicketRow, type TimeEntryCreate } from "./json.ts";

/** A ticket's conversation in order; `publicOnly` leaves the private notes out (what a client sees). */
export async function ticketEntries(db: CodexDb, ticketId: number, options: { publicOnly?: boolean } = {}) {
  const entries = db.t.ticketEntries;
  const where = options.publicOnly
    ? and(eq(entries.ticketId, ticketId), eq(entries.kind, "reply"))
    : eq(entries.ticketId, ticketId);
  return db.db.select().from(entries).where(where).orderBy(entries.createdAt, entries.id);
}

/** The time logged on a ticket, oldest first. */
export function ticketTimeEntries(db: CodexDb, ticketId: number): Promise<TicketTimeEntry[]> {
  const time = db.t.ticketTimeEntries;
  return db.db.select().from(time).where(eq(time.ticketId, ticketId)).orderBy(time.loggedAt);
}

/**
 * Adds logged minutes to the ticket's total in one statement: the database adds to the value it
 * holds when it writes, so concurrent time entries all count (a sum read first, then written,
 * lost the ones committed in between).
 */
async function addMinutes(tx: Tx, db: CodexDb, ticketId: number, minutes: number): Promise<void> {
  await tx
    .update(db.t.tickets)
    .set({ totalMinutes: sql`${db.t.tickets.totalMinutes} + ${minutes}`, updatedAt: new Date() })
    .where(eq(db.t.tickets.id, ticketId));
}

/** The external ids of the rows of `table` (entries, time entries) already on a ticket. */
async function knownExternalIds(
  tx: Tx,
  table: CodexDb["t"]["ticketEntries"] | CodexDb["t"]["ticketTimeEntries"],
  ticketId: number,
): Promise<Set<string>> {
  const rows = await tx.select({ externalId: table.externalId }).from(table).where(eq(table.ticketId, ticketId));
  return new Set(rows.map((row) => row.externalId ?? ""));
}

/**
 * A synced ticket's conversation and time entries: those whose external ids are new are added
 * (with the minutes on the ticket's total). Returns whether anything was.
 */
export async function writeSyncedEntries(
  tx: Tx,
  db: CodexDb,
  ticket: { id: number; companyId: number; created: boolean },
  row: TicketRow,
): Promise<boolean> {
  const fresh = async <E extends { external_id?: string | null }>(
    table: CodexDb["t"]["ticketEntries"] | CodexDb["t"]["ticketTimeEntries"],
    list: E[] | undefined,
  ) => {
    if (!list?.length) return [];
    const known = ticket.created ? new Set<string>() : await knownExternalIds(tx, table, ticket.id);
    return list.filter((entry) => !entry.external_id || !known.has(entry.external_id));
  };
  const entries = await fresh(db.t.ticketEntries, row.entries);
  if (entries.length)
    await tx.insert(db.t.ticketEntries).values(
      entries.map((entry) => ({
        ticketId: ticket.id,
        kind: entry.kind,
        body: entry.body,
        authorName: entry.author_name,
        authorEmail: entry.author_email ?? null,
        incoming: entry.incoming ?? false,
        externalId: entry.external_id ?? null,
        externalSource: entry.external_source ?? null,
        createdAt: entry.created_at ?? new Date(),
      })),
    );
  const times = await fresh(db.t.ticketTimeEntries, row.time_entries);
  if (times.length) {
    await tx.insert(db.t.ticketTimeEntries).values(times.map((time) => timeEntryColumns(ticket, time)));
    await addMinutes(
      tx,
      db,
      ticket.id,
      times.reduce((total, time) => total + time.minutes, 0),
    );
  }
  return entries.length + times.length > 0;
}

function timeEntryColumns(ticket: { id: number; companyId: number }, input: TimeEntryCreate) {
  return {
    ticketId: ticket.id,
    companyId: ticket.companyId,
    minutes: input.minutes,
    loggedAt: input.logged_at ?? new Date(),
    agentName: input.agent_name ?? null,
    note: input.note ?? null,
    billable: input.billable ?? true,
    externalId: input.external_id ?? null,
    externalSource: input.external_source ?? null,
  };
}

/** Who writes a reply or note. */
interface EntryAuthor {
  authorName: string;
  authorEmail: string | null;
}

/** Files a reply brings: kept with it now (a page's form), or uploaded to its ticket before (the API's ids). */
export interface EntryFiles {
  stored?: StoredFile[];
  /** Attachments the uploader put on the ticket, not yet on any reply. */
  ids?: number[];
  uploaderId: string;
}

/**
 * Adds a public reply or private note. A reply from the requester's side (a client user)
 * moves an open ticket to customer_replied; a technician's reply sets agent_responded_at (the
 * ticket board's "last update") and, the first time, first_responded_at. A reply's files are
 * written with it, or not at all.
 */
export async function addEntry(
  db: CodexDb,
  ticket: Ticket,
  input: EntryAuthor & { kind: "reply" | "note"; body: string; incoming: boolean },
  actor: Actor,
  options: { files?: EntryFiles; events?: TicketEvents | null } = {},
): Promise<TicketEntry> {
  const { files, events } = options;
  return transaction(db, async (tx) => {
    // The ticket as it is now, locked: its status and first response decide what this reply changes.
    const [current] = await forUpdate(db, tx.select().from(db.t.tickets).where(eq(db.t.tickets.id, ticket.id)));
    if (!current) throw notFound(`No ticket ${ticket.id}.`);
    const now = new Date();
    const [entry] = await tx
      .insert(db.t.ticketEntries)
      .values({ ticketId: ticket.id, ...input, createdAt: now })
      .returning();
    const changes: Partial<Ticket> = { updatedAt: now };
    if (input.incoming && !isClosedStatus(current.status)) changes.status = "customer_replied";
    if (!input.incoming && input.kind === "reply") {
      changes.agentRespondedAt = now;
      if (!current.firstRespondedAt) changes.firstRespondedAt = now;
    }
    const [after] = await tx.update(db.t.tickets).set(changes).where(eq(db.t.tickets.id, ticket.id)).returning();
    const audits: AuditRecord[] = [
      { action: "create", entity: "ticket_entry", entityId: entry!.id, companyId: ticket.companyId, after: entry },
    ];
    if (changes.status || changes.firstRespondedAt)
      audits.push({
        action: "update",
        entity: "ticket",
        entityId: ticket.id,
        companyId: ticket.companyId,
        before: current,
        after,
      });
    await writeAudit(tx, db, actor, audits);
    if (files?.ids) await linkToEntry(tx, db, { ticketId: ticket.id, entryId: entry!.id, ...files, ids: files.ids });
    if (files?.stored) {
      const rows = files.stored.map((file) => ({ ...file, ticketId: ticket.id, entryId: entry!.id }));
      await insertAttachments(tx, db, rows, ticket.companyId, actor);
    }
    await enqueueEntryWriteBack(tx, db, current, entry!, actor);
    await events?.onChange(tx, { kind: "entry", ticket: after!, entry: entry! }, actor);
    return entry!;
  });
}

export async function addTimeEntry(
  db: CodexDb,
  ticket: Ticket,
  input: TimeEntryCreate,
  actor: Actor,
): Promise<TicketTimeEntry> {
  return transaction(db, async (tx) => {
    const [entry] = await tx.insert(db.t.ticketTimeEntries).values(timeEntryColumns(ticket, input)).returning();
    await addMinutes(tx, db, ticket.id, input.minutes);
    await writeAudit(tx, db, actor, [
      { action: "create", entity: "ticket_time_entry", entityId: entry!.id, companyId: ticket.companyId, after: entry },
    ]);
    return entry!;
  });
}
