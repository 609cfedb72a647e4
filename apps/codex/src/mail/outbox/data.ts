import { and, asc, count, desc, eq, inArray, lte, or, sql } from "drizzle-orm";
import { conflict, notFound } from "@hivematrix/lib/errors";
import type { OUTBOX_EVENTS, OUTBOX_STATUSES, OutboxMessage } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { Tx } from "../../shared/data-common.ts";

/** One rendered email, ready to queue. */
export interface OutgoingMail {
  ticketId: number;
  event: (typeof OUTBOX_EVENTS)[number];
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
}

/** Queues emails inside the caller's transaction: they exist only if the change that caused them commits. */
export async function enqueueMail(tx: Tx, db: CodexDb, mails: OutgoingMail[]): Promise<void> {
  if (mails.length === 0) return;
  const now = new Date();
  await tx.insert(db.t.mailOutbox).values(
    mails.map((mail) => ({
      ticketId: mail.ticketId,
      event: mail.event,
      toAddress: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html,
      messageId: mail.messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references.join(" ") || null,
      status: "pending" as const,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    })),
  );
}

/**
 * Claims up to `limit` messages that are due (or whose sender's lease ran out) for this sender,
 * in one statement: it marks them `sending` with `token` and a lease, and counts the attempt.
 * On Postgres the rows are picked with FOR UPDATE SKIP LOCKED, so concurrent senders each get
 * different rows; SQLite runs one writer at a time.
 */
export async function claimDue(db: CodexDb, token: string, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
  const outbox = db.t.mailOutbox;
  const now = new Date();
  const due = or(
    and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now)),
    and(eq(outbox.status, "sending"), lte(outbox.lockedUntil, now)),
  );
  const pick = db.db.select({ id: outbox.id }).from(outbox).where(due).orderBy(asc(outbox.id)).limit(limit);
  const picked = db.engine === "postgres" ? pick.for("update", { skipLocked: true }) : pick;
  return db.db
    .update(outbox)
    .set({
      status: "sending",
      claimToken: token,
      lockedUntil: new Date(now.getTime() + leaseMs),
      attempts: sql`${outbox.attempts} + 1`,
      updatedAt: now,
    })
    .where(inArray(outbox.id, picked))
    .returning();
}

/** The claim's owner finishing: only while it still holds the claim (a lease taken over is not touched). */
const stillMine = (db: CodexDb, message: OutboxMessage) =>
  and(eq(db.t.mailOutbox.id, message.id), eq(db.t.mailOutbox.claimToken, message.claimToken ?? ""));

export async function markSent(db: CodexDb, message: OutboxMessage): Promise<void> {
  const now = new Date();
  await db.db
    .update(db.t.mailOutbox)
    .set({ status: "sent", sentAt: now, lockedUntil: null, claimToken: null, lastError: null, updatedAt: now })
    .where(stillMine(db, message));
}

/** A failed attempt: tried again at `retryAt`, or marked failed for good when that is null. */
export async function markAttemptFailed(
  db: CodexDb,
  message: OutboxMessage,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  const now = new Date();
  await db.db
    .update(db.t.mailOutbox)
    .set({
      status: retryAt ? "pending" : "failed",
      nextAttemptAt: retryAt ?? message.nextAttemptAt,
      lastError: error.slice(0, 2000),
      lockedUntil: null,
      claimToken: null,
      updatedAt: now,
    })
    .where(stillMine(db, message));
}

/** A failed message queued again by an admin, with a fresh count of attempts. */
export async function retryFailed(db: CodexDb, id: number): Promise<void> {
  const outbox = db.t.mailOutbox;
  const now = new Date();
  const [row] = await db.db
    .update(outbox)
    .set({ status: "pending", attempts: 0, nextAttemptAt: now, updatedAt: now })
    .where(and(eq(outbox.id, id), eq(outbox.status, "failed")))
    .returning({ id: outbox.id });
  if (row) return;
  const [exists] = await db.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.id, id));
  if (!exists) throw notFound(`No outbox message ${id}.`);
  throw conflict(`Outbox message ${id} has not failed; only failed messages are queued again.`);
}

export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** How many messages are in each state. */
export async function outboxCounts(db: CodexDb): Promise<Record<OutboxStatus, number>> {
  const outbox = db.t.mailOutbox;
  const rows = await db.db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
  const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** The newest messages, optionally of one state. */
export function listOutbox(
  db: CodexDb,
  options: { status?: OutboxStatus; ticketId?: number; limit: number },
): Promise<OutboxMessage[]> {
  const outbox = db.t.mailOutbox;
  const where = and(
    options.status ? eq(outbox.status, options.status) : undefined,
    options.ticketId ? eq(outbox.ticketId, options.ticketId) : undefined,
  );
  return db.db.select().from(outbox).where(where).orderBy(desc(outbox.id)).limit(options.limit);
}
