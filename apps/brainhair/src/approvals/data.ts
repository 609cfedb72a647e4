import { and, desc, eq, lt } from "drizzle-orm";
import { conflict, HttpError, notFound } from "@hivematrix/lib/errors";
import type { BrainhairDb } from "../deps.ts";
import type { ToolCallRow, toolCalls } from "../db/schema.ts";
import { callHash } from "../tools/hash.ts";
import type { Call } from "../tools/types.ts";

export type NewToolCall = Omit<typeof toolCalls.$inferInsert, "createdAt">;

export async function recordToolCall(db: BrainhairDb, call: NewToolCall): Promise<ToolCallRow> {
  const [row] = await db.db
    .insert(db.t.toolCalls)
    .values({ ...call, createdAt: new Date() })
    .returning();
  return row!;
}

export async function toolCall(db: BrainhairDb, id: string): Promise<ToolCallRow | null> {
  const [row] = await db.db.select().from(db.t.toolCalls).where(eq(db.t.toolCalls.id, id));
  return row ?? null;
}

/** Ends a pending approval without a person's decision (expired, stopped); false when it was decided already. */
export async function closePending(db: BrainhairDb, id: string, decision: "expired" | "stopped"): Promise<boolean> {
  const calls = db.t.toolCalls;
  const done = await db.db
    .update(calls)
    .set({ decision, decidedAt: new Date() })
    .where(and(eq(calls.id, id), eq(calls.decision, "pending")))
    .returning({ id: calls.id });
  return done.length === 1;
}

/** Closes every approval still waiting in a turn the person stopped, so an approval a moment later is refused. */
export async function closePendingOfTurn(db: BrainhairDb, turnId: string): Promise<void> {
  const calls = db.t.toolCalls;
  await db.db
    .update(calls)
    .set({ decision: "stopped", decidedAt: new Date() })
    .where(and(eq(calls.turnId, turnId), eq(calls.decision, "pending")));
}

export async function completeToolCall(db: BrainhairDb, id: string, status: number | null, note: string | null) {
  await db.db
    .update(db.t.toolCalls)
    .set({ resultStatus: status, resultNote: note, completedAt: new Date() })
    .where(eq(db.t.toolCalls.id, id));
}

/** Whether the request stored with an approval still hashes to what was approved. */
export const requestIntact = (row: ToolCallRow) =>
  row.request !== null && row.inputHash !== null && callHash(row.request as Call) === row.inputHash;

/**
 * A person's decision on an approval. Refused, changing nothing: anyone but the person it
 * belongs to (404, so its existence is not told), an approval already decided (a replay, or a
 * second click), one past its time, and one whose request is not what the card showed
 * (`inputHash` differs, or the stored request no longer hashes to it).
 */
export async function decide(
  db: BrainhairDb,
  decision: { id: string; userSub: string; username: string; approve: boolean; inputHash: string },
): Promise<ToolCallRow> {
  const row = await toolCall(db, decision.id);
  if (!row || row.userSub !== decision.userSub) throw notFound("There is no such approval of yours.");
  if (row.decision !== "pending")
    throw conflict(
      `This approval was already ${row.decision === "approved" ? "approved" : "closed"} (${row.decision}).`,
    );
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now())
    throw new HttpError(409, "approval_expired", "This approval expired: the assistant was told it was denied.");
  if (decision.inputHash !== row.inputHash || !requestIntact(row))
    throw new HttpError(
      409,
      "input_changed",
      "This approval's request is not the one you were shown; nothing was decided. Reload the chat.",
    );
  const calls = db.t.toolCalls;
  const [decided] = await db.db
    .update(calls)
    .set({ decision: decision.approve ? "approved" : "denied", decidedBy: decision.username, decidedAt: new Date() })
    .where(and(eq(calls.id, decision.id), eq(calls.decision, "pending"), eq(calls.inputHash, decision.inputHash)))
    .returning();
  // Another request decided it between the read and the write.
  if (!decided) throw conflict("This approval was decided a moment ago.");
  return decided;
}

export function chatToolCalls(db: BrainhairDb, chatId: string): Promise<ToolCallRow[]> {
  return db.db.select().from(db.t.toolCalls).where(eq(db.t.toolCalls.chatId, chatId)).orderBy(db.t.toolCalls.createdAt);
}

/** Every tool call, newest first, a page at a time (`before` is the last page's oldest createdAt). */
export function auditPage(db: BrainhairDb, limit: number, before: Date | null): Promise<ToolCallRow[]> {
  const calls = db.t.toolCalls;
  return db.db
    .select()
    .from(calls)
    .where(before ? lt(calls.createdAt, before) : undefined)
    .orderBy(desc(calls.createdAt))
    .limit(limit);
}
