import { and, asc, desc, eq, sql } from "drizzle-orm";
import { notFound } from "@hivematrix/lib/errors";
import type { BrainhairDb } from "../deps.ts";
import type { ChatRow, MessageRow, messages } from "../db/schema.ts";
import type { Level } from "../filter/levels.ts";

export interface NewChat {
  userSub: string;
  username: string;
  title: string;
  context: { kind: "ticket" | "company"; ref: string; company: string | null; level: Level | null } | null;
}

export async function createChat(db: BrainhairDb, chat: NewChat): Promise<ChatRow> {
  const now = new Date();
  const [row] = await db.db
    .insert(db.t.chats)
    .values({
      id: crypto.randomUUID(),
      userSub: chat.userSub,
      username: chat.username,
      title: chat.title,
      contextKind: chat.context?.kind ?? null,
      contextRef: chat.context?.ref ?? null,
      contextCompany: chat.context?.company ?? null,
      contextLevel: chat.context?.level ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

/** The chat if it is this person's: anybody else's is "not found", so its existence is not told either. */
export async function ownChat(db: BrainhairDb, id: string, userSub: string): Promise<ChatRow> {
  const [row] = await db.db
    .select()
    .from(db.t.chats)
    .where(and(eq(db.t.chats.id, id), eq(db.t.chats.userSub, userSub)));
  if (!row) throw notFound("There is no such chat of yours.");
  return row;
}

export function listChats(db: BrainhairDb, userSub: string, limit: number): Promise<ChatRow[]> {
  return db.db
    .select()
    .from(db.t.chats)
    .where(eq(db.t.chats.userSub, userSub))
    .orderBy(desc(db.t.chats.updatedAt))
    .limit(limit);
}

export async function setTitle(db: BrainhairDb, id: string, title: string): Promise<void> {
  await db.db.update(db.t.chats).set({ title, updatedAt: new Date() }).where(eq(db.t.chats.id, id));
}

export type NewMessage = Omit<typeof messages.$inferInsert, "id" | "createdAt">;

export async function addMessage(db: BrainhairDb, message: NewMessage): Promise<MessageRow> {
  const now = new Date();
  const [row] = await db.db
    .insert(db.t.messages)
    .values({ ...message, createdAt: now })
    .returning();
  await db.db.update(db.t.chats).set({ updatedAt: now }).where(eq(db.t.chats.id, message.chatId));
  return row!;
}

export function listMessages(db: BrainhairDb, chatId: string): Promise<MessageRow[]> {
  return db.db.select().from(db.t.messages).where(eq(db.t.messages.chatId, chatId)).orderBy(asc(db.t.messages.id));
}

/** Token use of one chat, added up. */
export async function chatUsage(db: BrainhairDb, chatId: string) {
  const messages = db.t.messages;
  const [row] = await db.db
    .select({
      input: sql<number>`coalesce(sum(${messages.inputTokens}), 0)`,
      output: sql<number>`coalesce(sum(${messages.outputTokens}), 0)`,
      cacheRead: sql<number>`coalesce(sum(${messages.cacheReadTokens}), 0)`,
      cacheWrite: sql<number>`coalesce(sum(${messages.cacheWriteTokens}), 0)`,
    })
    .from(messages)
    .where(eq(messages.chatId, chatId));
  return {
    input: Number(row?.input ?? 0),
    output: Number(row?.output ?? 0),
    cacheRead: Number(row?.cacheRead ?? 0),
    cacheWrite: Number(row?.cacheWrite ?? 0),
  };
}
