import { and, asc, eq, inArray } from "drizzle-orm";
import { conflict, notFound } from "@hivematrix/lib/errors";
import type { FreshserviceWriteback, Ticket, TicketEntry } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { Actor } from "../../shared/data-audit.ts";
import type { Tx } from "../../shared/data-common.ts";
import { SOURCE } from "../freshservice/mapping.ts";
import { readSettings } from "../settings.ts";

/**
 * The write-back queue as the tickets feature uses it: changes people make in Codex to tickets
 * that came from Freshservice are queued in the transaction that makes them (so a change is
 * queued exactly when it is stored), and a ticket's failures are listed and retried here.
 */

/** What an update sends, in Codex's terms; mapped to Freshservice's ids when it is sent. */
export interface TicketChangesPayload {
  status?: string;
  priority?: string;
  assignee_id?: number | null;
}

/** A reply or note as it is sent, with who wrote it (to name them to Freshservice when it knows them). */
export interface EntryPayload {
  body: string;
  incoming: boolean;
  author_username: string;
  author_email: string | null;
}

/**
 * Whether a change by `actor` to `ticket` goes to Freshservice: the ticket came from there, the
 * change is not the sync's own, and the integration is on with a domain (else nothing is queued).
 */
async function writesBack(db: CodexDb, ticket: Ticket, actor: Actor): Promise<boolean> {
  if (actor.name.startsWith("sync:")) return false;
  if (ticket.externalSource !== SOURCE || !/^\d+$/.test(ticket.externalId ?? "")) return false;
  const { enabled, settings } = await readSettings(db, "freshservice");
  return enabled && settings.domain.trim() !== "";
}

async function enqueue(
  tx: Tx,
  db: CodexDb,
  ticket: Ticket,
  item: Pick<FreshserviceWriteback, "kind" | "entryId" | "payload">,
  actor: Actor,
): Promise<void> {
  const now = new Date();
  await tx.insert(db.t.freshserviceWritebacks).values({
    ticketId: ticket.id,
    ...item,
    state: "pending",
    nextAttemptAt: now,
    actor: actor.name,
    createdAt: now,
    updatedAt: now,
  });
}

/** Queues a reply or note written in Codex; call it inside the transaction that stores the entry. */
export async function enqueueEntryWriteBack(
  tx: Tx,
  db: CodexDb,
  ticket: Ticket,
  entry: TicketEntry,
  actor: Actor,
): Promise<void> {
  if (!(await writesBack(db, ticket, actor))) return;
  const payload: EntryPayload = {
    body: entry.body,
    incoming: entry.incoming,
    author_username: actor.name,
    author_email: entry.authorEmail,
  };
  await enqueue(tx, db, ticket, { kind: entry.kind, entryId: entry.id, payload: { ...payload } }, actor);
}

/**
 * Queues the status, priority and assignee among `changes` (columns as written to `ticket`);
 * other fields stay in Codex. Call it inside the transaction that writes them.
 */
export async function enqueueTicketWriteBack(
  tx: Tx,
  db: CodexDb,
  ticket: Ticket,
  changes: Partial<Ticket>,
  actor: Actor,
): Promise<void> {
  const payload: TicketChangesPayload = {};
  if (changes.status !== undefined) payload.status = changes.status;
  if (changes.priority !== undefined) payload.priority = changes.priority;
  if (changes.assigneeId !== undefined) payload.assignee_id = changes.assigneeId;
  if (Object.keys(payload).length === 0 || !(await writesBack(db, ticket, actor))) return;
  await enqueue(tx, db, ticket, { kind: "update", entryId: null, payload: { ...payload } }, actor);
}

/** A ticket's write-backs not yet sent: those still trying, and those that failed for good. */
export async function ticketWriteBacks(
  db: CodexDb,
  ticketId: number,
): Promise<{ waiting: FreshserviceWriteback[]; failed: FreshserviceWriteback[] }> {
  const queue = db.t.freshserviceWritebacks;
  const rows = await db.db
    .select()
    .from(queue)
    .where(and(eq(queue.ticketId, ticketId), inArray(queue.state, ["pending", "sending", "failed"])))
    .orderBy(asc(queue.id));
  return {
    waiting: rows.filter((row) => row.state !== "failed"),
    failed: rows.filter((row) => row.state === "failed"),
  };
}

/**
 * Puts a failed write-back of this ticket back in the queue, due now, with a fresh count of
 * attempts. 404 when the ticket has no such write-back; 409 when it has not failed.
 */
export async function retryWriteBack(db: CodexDb, ticketId: number, id: number): Promise<FreshserviceWriteback> {
  const queue = db.t.freshserviceWritebacks;
  const now = new Date();
  const [retried] = await db.db
    .update(queue)
    .set({ state: "pending", attempts: 0, nextAttemptAt: now, claimedBy: null, claimedUntil: null, updatedAt: now })
    .where(and(eq(queue.id, id), eq(queue.ticketId, ticketId), eq(queue.state, "failed")))
    .returning();
  if (retried) return retried;
  const [current] = await db.db
    .select({ state: queue.state })
    .from(queue)
    .where(and(eq(queue.id, id), eq(queue.ticketId, ticketId)));
  if (!current) throw notFound(`Ticket ${ticketId} has no Freshservice write-back ${id}.`);
  throw conflict(`Write-back ${id} is ${current.state}; only a failed one can be retried.`);
}
