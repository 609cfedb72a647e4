import { and, eq, inArray } from "drizzle-orm";
import { conflict } from "@hivematrix/lib/errors";
import { lockKey, transaction } from "@hivematrix/lib/db";
import type { BrainhairDb } from "../deps.ts";
import type { TurnRow } from "../db/schema.ts";

/** Starts a turn, unless one of this chat is still running (one at a time per chat). */
export async function startTurn(db: BrainhairDb, chatId: string): Promise<TurnRow> {
  return transaction(db, async () => {
    // Inside `transaction`, db.db is the transaction on both engines.
    await lockKey(db, `turn:${chatId}`);
    const turns = db.t.turns;
    const [running] = await db.db
      .select({ id: turns.id })
      .from(turns)
      .where(and(eq(turns.chatId, chatId), eq(turns.status, "running")));
    if (running) throw conflict("The assistant is still answering in this chat: wait for it, or press Stop.");
    const [row] = await db.db
      .insert(turns)
      .values({ id: crypto.randomUUID(), chatId, status: "running", startedAt: new Date() })
      .returning();
    return row!;
  });
}

export async function endTurn(db: BrainhairDb, id: string, status: "done" | "stopped" | "failed"): Promise<void> {
  await db.db.update(db.t.turns).set({ status, endedAt: new Date() }).where(eq(db.t.turns.id, id));
}

/** Asks the running turn of a chat to stop; true when there was one. */
export async function requestStop(db: BrainhairDb, chatId: string): Promise<string | null> {
  const turns = db.t.turns;
  const [row] = await db.db
    .update(turns)
    .set({ stopRequested: true })
    .where(and(eq(turns.chatId, chatId), eq(turns.status, "running")))
    .returning({ id: turns.id });
  return row?.id ?? null;
}

export async function stopRequested(db: BrainhairDb, id: string): Promise<boolean> {
  const [row] = await db.db.select({ stop: db.t.turns.stopRequested }).from(db.t.turns).where(eq(db.t.turns.id, id));
  return row?.stop ?? true;
}

export async function runningTurn(db: BrainhairDb, chatId: string): Promise<TurnRow | null> {
  const turns = db.t.turns;
  const [row] = await db.db
    .select()
    .from(turns)
    .where(and(eq(turns.chatId, chatId), eq(turns.status, "running")));
  return row ?? null;
}

/**
 * At start-up, turns left running by a process that ended cannot go on: they failed, and their
 * pending approvals expire (nobody will run them). With one instance every running turn is such
 * a turn; several instances would mark only their own.
 */
export async function abandonTurns(db: BrainhairDb): Promise<number> {
  return transaction(db, async () => {
    const gone = await db.db
      .update(db.t.turns)
      .set({ status: "failed", endedAt: new Date() })
      .where(eq(db.t.turns.status, "running"))
      .returning({ id: db.t.turns.id });
    if (gone.length > 0)
      await db.db
        .update(db.t.toolCalls)
        .set({ decision: "expired", decidedAt: new Date(), completedAt: new Date() })
        .where(
          and(
            eq(db.t.toolCalls.decision, "pending"),
            inArray(
              db.t.toolCalls.turnId,
              gone.map((turn) => turn.id),
            ),
          ),
        );
    return gone.length;
  });
}
