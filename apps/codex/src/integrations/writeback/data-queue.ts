import { and, eq, inArray, isNotNull, lt, lte, ne, or, sql } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import type { FreshserviceWriteback } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { SOURCE } from "../freshservice/mapping.ts";

/**
 * The worker's side of the write-back queue. A row is taken by one UPDATE that picks it and
 * marks it `sending` (on Postgres the pick skips rows another worker has locked), so two workers
 * never take the same row; only a ticket's oldest row still pending or sending can be taken, so
 * its changes reach Freshservice in the order they were made (one that failed for good waits for
 * a person's retry and holds up nothing). Every later write checks the row is still this worker's.
 */

/**
 * Takes the next row due by `dueBy` (default now) for `worker` for `leaseMs`; null when none is.
 * A worker passes the time its pass began, so a row it put back during the pass waits for the next.
 */
export function claimNext(
  db: CodexDb,
  worker: string,
  leaseMs: number,
  dueBy = new Date(),
): Promise<FreshserviceWriteback | null> {
  const queue = db.t.freshserviceWritebacks;
  const now = new Date();
  return transaction(db, async (tx) => {
    const due = or(
      and(eq(queue.state, "pending"), lte(queue.nextAttemptAt, dueBy)),
      // A worker that stopped while sending left its row behind; its lease says when to take it over.
      and(eq(queue.state, "sending"), lt(queue.claimedUntil, dueBy)),
    );
    const firstOfTicket = sql`NOT EXISTS (SELECT 1 FROM freshservice_writebacks AS earlier
      WHERE earlier.ticket_id = ${queue.ticketId} AND earlier.id < ${queue.id}
      AND earlier.state IN ('pending', 'sending'))`;
    const pick = tx.select({ id: queue.id }).from(queue).where(and(due, firstOfTicket)).orderBy(queue.id).limit(1);
    const [row] = await tx
      .update(queue)
      .set({
        state: "sending",
        claimedBy: worker,
        claimedUntil: new Date(now.getTime() + leaseMs),
        attempts: sql`${queue.attempts} + 1`,
        // Taken over from a stopped worker: its request may have reached Freshservice.
        uncertain: sql`(${queue.uncertain} OR ${queue.state} = 'sending')`,
        updatedAt: now,
      })
      .where(inArray(queue.id, db.engine === "postgres" ? pick.for("update", { skipLocked: true }) : pick))
      .returning();
    return row ?? null;
  });
}

const mine = (db: CodexDb, row: FreshserviceWriteback, worker: string) =>
  and(
    eq(db.t.freshserviceWritebacks.id, row.id),
    eq(db.t.freshserviceWritebacks.state, "sending"),
    eq(db.t.freshserviceWritebacks.claimedBy, worker),
  );

/**
 * Records a sent row. A reply or note takes the id of the conversation Freshservice made, so the
 * next sync recognises it; a copy a sync brought in before this was recorded is removed.
 */
export async function markSent(
  db: CodexDb,
  row: FreshserviceWriteback,
  worker: string,
  conversationId: string | null,
): Promise<void> {
  const entries = db.t.ticketEntries;
  const now = new Date();
  await transaction(db, async (tx) => {
    const [sent] = await tx
      .update(db.t.freshserviceWritebacks)
      .set({
        state: "sent",
        externalId: conversationId,
        sentAt: now,
        claimedUntil: null,
        lastError: null,
        updatedAt: now,
      })
      .where(mine(db, row, worker))
      .returning({ id: db.t.freshserviceWritebacks.id });
    if (!sent || conversationId === null || row.entryId === null) return;
    await tx
      .delete(entries)
      .where(
        and(eq(entries.externalSource, SOURCE), eq(entries.externalId, conversationId), ne(entries.id, row.entryId)),
      );
    await tx
      .update(entries)
      .set({ externalSource: SOURCE, externalId: conversationId })
      .where(eq(entries.id, row.entryId));
  });
}

export interface Outcome {
  error: string;
  status: number | null;
  /** Freshservice may have acted on the request although no answer said so. */
  uncertain: boolean;
}

/** Puts the row back in the queue, due at `at`; a rate-limited try does not count as an attempt. */
export async function reschedule(
  db: CodexDb,
  row: FreshserviceWriteback,
  worker: string,
  at: Date,
  outcome: Outcome & { countsAsAttempt: boolean },
): Promise<void> {
  const queue = db.t.freshserviceWritebacks;
  await db.db
    .update(queue)
    .set({
      state: "pending",
      nextAttemptAt: at,
      claimedUntil: null,
      lastError: outcome.error,
      lastStatus: outcome.status,
      uncertain: row.uncertain || outcome.uncertain,
      ...(outcome.countsAsAttempt ? {} : { attempts: sql`${queue.attempts} - 1` }),
      updatedAt: new Date(),
    })
    .where(mine(db, row, worker));
}

/** Gives the row up: it stays on its ticket with the reason until someone retries it. */
export async function markFailed(
  db: CodexDb,
  row: FreshserviceWriteback,
  worker: string,
  outcome: Outcome,
): Promise<void> {
  await db.db
    .update(db.t.freshserviceWritebacks)
    .set({
      state: "failed",
      claimedUntil: null,
      lastError: outcome.error,
      lastStatus: outcome.status,
      uncertain: row.uncertain || outcome.uncertain,
      updatedAt: new Date(),
    })
    .where(mine(db, row, worker));
}

/** The Freshservice conversations other write-backs of this ticket created (not to be taken for this one's). */
export async function conversationsSentFor(db: CodexDb, ticketId: number): Promise<Set<string>> {
  const queue = db.t.freshserviceWritebacks;
  const rows = await db.db
    .select({ externalId: queue.externalId })
    .from(queue)
    .where(and(eq(queue.ticketId, ticketId), isNotNull(queue.externalId)));
  return new Set(rows.map((row) => row.externalId!));
}

/** Deletes sent rows older than `before`. */
export async function forgetSent(db: CodexDb, before: Date): Promise<void> {
  const queue = db.t.freshserviceWritebacks;
  await db.db.delete(queue).where(and(eq(queue.state, "sent"), lt(queue.sentAt, before)));
}

/** Whether any row is due now or will be (the worker's cheap check before it takes the write lock). */
export async function anyDue(db: CodexDb, now = new Date()): Promise<boolean> {
  const queue = db.t.freshserviceWritebacks;
  const [row] = await db.db
    .select({ id: queue.id })
    .from(queue)
    .where(
      or(
        and(eq(queue.state, "pending"), lte(queue.nextAttemptAt, now)),
        and(eq(queue.state, "sending"), lt(queue.claimedUntil, now)),
      ),
    )
    .limit(1);
  return row !== undefined;
}
