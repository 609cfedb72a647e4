import { and, desc, eq, max } from "drizzle-orm";
import { conflict, notFound } from "@hivematrix/lib/errors";
import type { INBOUND_OUTCOMES, InboundMessageRow } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { Tx } from "../../shared/data-common.ts";
import type { InboundMail } from "./parse.ts";

/** Where a message sits in the polled mailbox: unique with its UIDVALIDITY. */
export interface MailboxKey {
  mailbox: string;
  uidValidity: number;
  uid: number;
}

export type InboundOutcome = (typeof INBOUND_OUTCOMES)[number];

/** The highest UID read from this mailbox in this UIDVALIDITY (0: none): the next poll starts after it. */
export async function lastUid(db: CodexDb, mailbox: string, uidValidity: number): Promise<number> {
  const inbound = db.t.mailInbound;
  const [row] = await db.db
    .select({ uid: max(inbound.uid) })
    .from(inbound)
    .where(and(eq(inbound.mailbox, mailbox), eq(inbound.uidValidity, uidValidity)));
  return Number(row?.uid ?? 0);
}

/**
 * Takes a message for this transaction: inserts its row, or finds it already taken (the same
 * UID, or the same Message-ID under another UID) and answers null. A poller still working on it
 * in another transaction makes this wait until that one ends (Postgres; SQLite has one writer).
 * A copy under a new UID is recorded as a duplicate, so the next poll starts after it.
 */
export async function claimInbound(
  tx: Tx,
  db: CodexDb,
  key: MailboxKey,
  mail: InboundMail,
): Promise<InboundMessageRow | null> {
  const inbound = db.t.mailInbound;
  const row = {
    ...key,
    messageId: mail.messageId,
    fromAddress: mail.from?.address ?? null,
    fromName: mail.from?.name ?? null,
    subject: mail.subject,
    receivedAt: mail.date,
    outcome: "triage" as const,
    createdAt: new Date(),
  };
  const [claimed] = await tx.insert(inbound).values(row).onConflictDoNothing().returning();
  if (claimed) return claimed;
  await tx
    .insert(inbound)
    .values({ ...row, messageId: null, outcome: "duplicate", reason: `a copy of ${mail.messageId ?? "a message"}` })
    .onConflictDoNothing();
  return null;
}

/** What became of a claimed message. */
export async function recordOutcome(
  tx: Tx,
  db: CodexDb,
  id: number,
  outcome: { outcome: InboundOutcome; reason?: string | null; ticketId?: number | null; body?: string | null },
): Promise<void> {
  await tx
    .update(db.t.mailInbound)
    .set({
      outcome: outcome.outcome,
      reason: outcome.reason ?? null,
      ticketId: outcome.ticketId ?? null,
      body: outcome.body ?? null,
    })
    .where(eq(db.t.mailInbound.id, id));
}

/** Messages waiting in triage (newest first), or the latest messages read whatever became of them. */
export function listInbound(
  db: CodexDb,
  options: { outcome?: InboundOutcome; limit: number },
): Promise<InboundMessageRow[]> {
  const inbound = db.t.mailInbound;
  return db.db
    .select()
    .from(inbound)
    .where(options.outcome ? eq(inbound.outcome, options.outcome) : undefined)
    .orderBy(desc(inbound.id))
    .limit(options.limit);
}

/**
 * Takes a triage message out of triage for good (assigned or discarded), in one statement:
 * of two people acting on it at once, one wins and the other is told it is already handled.
 */
export async function takeFromTriage(
  tx: Tx,
  db: CodexDb,
  id: number,
  outcome: "assigned" | "discarded",
  by: string,
): Promise<InboundMessageRow> {
  const inbound = db.t.mailInbound;
  const [taken] = await tx
    .update(inbound)
    .set({ outcome, handledBy: by, handledAt: new Date() })
    .where(and(eq(inbound.id, id), eq(inbound.outcome, "triage")))
    .returning();
  if (taken) return taken;
  const [exists] = await tx.select({ outcome: inbound.outcome }).from(inbound).where(eq(inbound.id, id));
  if (!exists) throw notFound(`No message ${id} in triage.`);
  throw conflict(`Message ${id} is no longer in triage (${exists.outcome}).`);
}

/** The ticket an assigned triage message became. */
export async function linkTicket(tx: Tx, db: CodexDb, id: number, ticketId: number): Promise<void> {
  await tx.update(db.t.mailInbound).set({ ticketId }).where(eq(db.t.mailInbound.id, id));
}

/** A message of ours (outbox) or one read (inbound) by Message-ID: the ticket it belongs to. */
export async function ticketOfKnownMessage(tx: Tx, db: CodexDb, messageId: string): Promise<number | null> {
  const [sent] = await tx
    .select({ ticketId: db.t.mailOutbox.ticketId })
    .from(db.t.mailOutbox)
    .where(eq(db.t.mailOutbox.messageId, messageId));
  if (sent?.ticketId) return sent.ticketId;
  const [read] = await tx
    .select({ ticketId: db.t.mailInbound.ticketId })
    .from(db.t.mailInbound)
    .where(eq(db.t.mailInbound.messageId, messageId));
  return read?.ticketId ?? null;
}
