import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { notFound, validationFailed } from "@hivematrix/lib/errors";
import type { TicketAttachment } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { type Actor, writeAudit } from "../../shared/data-audit.ts";
import { selectIn, type Tx } from "../../shared/data-common.ts";

/** A file kept in the store, for its row. */
export interface NewAttachment {
  ticketId: number;
  entryId: number | null;
  storageKey: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedById: string;
  uploadedByName: string;
}

/** Writes attachments' rows (and their audit rows) inside the caller's transaction. */
export async function insertAttachments(
  tx: Tx,
  db: CodexDb,
  rows: NewAttachment[],
  companyId: number,
  actor: Actor,
): Promise<TicketAttachment[]> {
  if (rows.length === 0) return [];
  const now = new Date();
  const inserted = await tx
    .insert(db.t.ticketAttachments)
    .values(rows.map((row) => ({ ...row, createdAt: now })))
    .returning();
  await writeAudit(
    tx,
    db,
    actor,
    inserted.map((row) => ({ action: "create", entity: "ticket_attachment", entityId: row.id, companyId, after: row })),
  );
  return inserted;
}

/** A ticket's attachments, oldest first. */
export function ticketAttachments(db: CodexDb, ticketId: number): Promise<TicketAttachment[]> {
  const files = db.t.ticketAttachments;
  return db.db.select().from(files).where(eq(files.ticketId, ticketId)).orderBy(asc(files.id));
}

/** The attachments of many tickets (an export's page), by ticket. */
export async function attachmentsByTicket(db: CodexDb, ticketIds: number[]): Promise<Map<number, TicketAttachment[]>> {
  const files = db.t.ticketAttachments;
  const rows = await selectIn(ticketIds, (part) =>
    db.db
      .select()
      .from(files)
      .where(inArray(files.ticketId, part as number[]))
      .orderBy(asc(files.id)),
  );
  const out = new Map<number, TicketAttachment[]>();
  for (const row of rows) (out.get(row.ticketId) ?? out.set(row.ticketId, []).get(row.ticketId)!).push(row);
  return out;
}

/** An attachment of this ticket (404 for any other id, so ids of other tickets' files tell nothing). */
export async function requireAttachment(
  db: CodexDb,
  ticketId: number,
  attachmentId: number,
): Promise<TicketAttachment> {
  const files = db.t.ticketAttachments;
  const [row] = await db.db
    .select()
    .from(files)
    .where(and(eq(files.id, attachmentId), eq(files.ticketId, ticketId)));
  if (!row) throw notFound("No such attachment.");
  return row;
}

/**
 * Puts attachments the caller uploaded to this ticket, and that are on no reply yet, on reply
 * `entryId`: one statement, so two replies cannot both take one. Any id that is not such an
 * attachment refuses the reply (422) and the caller's transaction is rolled back.
 */
export async function linkToEntry(
  tx: Tx,
  db: CodexDb,
  link: { ticketId: number; entryId: number; ids: number[]; uploaderId: string },
): Promise<void> {
  const ids = [...new Set(link.ids)];
  if (ids.length === 0) return;
  const files = db.t.ticketAttachments;
  const linked = await tx
    .update(files)
    .set({ entryId: link.entryId })
    .where(
      and(
        inArray(files.id, ids),
        eq(files.ticketId, link.ticketId),
        isNull(files.entryId),
        eq(files.uploadedById, link.uploaderId),
      ),
    )
    .returning({ id: files.id });
  if (linked.length !== ids.length) {
    const taken = new Set(linked.map((row) => row.id));
    const message = "Not an attachment you uploaded to this ticket that is on no reply yet.";
    throw validationFailed(
      ids.filter((id) => !taken.has(id)).map((id) => ({ field: "attachment_ids", message: `${id}: ${message}` })),
    );
  }
}

/** The storage keys of every attachment there is (inside a transaction that is about to delete some). */
export async function allStorageKeys(query: Tx, db: CodexDb): Promise<Set<string>> {
  const files = db.t.ticketAttachments;
  return new Set((await query.select({ key: files.storageKey }).from(files)).map((row) => row.key));
}

/** The storage keys of one ticket's attachments, or of every ticket of a company. */
export async function storageKeysOf(db: CodexDb, owner: { ticketId: number } | { companyId: number }) {
  const files = db.t.ticketAttachments;
  const tickets = db.t.tickets;
  const rows =
    "ticketId" in owner
      ? await db.db.select({ key: files.storageKey }).from(files).where(eq(files.ticketId, owner.ticketId))
      : await db.db
          .select({ key: files.storageKey })
          .from(files)
          .innerJoin(tickets, eq(tickets.id, files.ticketId))
          .where(eq(tickets.companyId, owner.companyId));
  return rows.map((row) => row.key);
}

/** Which of these storage keys a row names (the store's sweep removes the others). */
export async function knownStorageKeys(db: CodexDb, keys: string[]): Promise<Set<string>> {
  const files = db.t.ticketAttachments;
  const rows = await selectIn(keys, (part) =>
    db.db
      .select({ key: files.storageKey })
      .from(files)
      .where(inArray(files.storageKey, part as string[])),
  );
  return new Set(rows.map((row) => row.key));
}
