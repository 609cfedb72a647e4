import { boolean, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const LEVELS = ["standard", "hipaa", "cjis"] as const;

/** A conversation of one person with the assistant; nobody else may read or continue it. */
export const chats = pgTable(
  "chats",
  {
    id: text("id").primaryKey(),
    userSub: text("user_sub").notNull(),
    username: text("username").notNull(),
    title: text("title").notNull(),
    /** What the chat is about when it was opened from Codex ("Ask Brainhair"). */
    contextKind: text("context_kind", { enum: ["ticket", "company"] }),
    contextRef: text("context_ref"),
    /** The account number of the company the context belongs to, and its compliance level then. */
    contextCompany: text("context_company"),
    contextLevel: text("context_level", { enum: LEVELS }),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [index("chats_user_updated_idx").on(table.userSub, table.updatedAt)],
);

/**
 * The stored message list is the model's multi-turn state: `content` holds the Messages API's
 * blocks exactly as sent (text, tool_use, tool_result), after the filter. `shown` is what the
 * person sees of their own or the model's text; notices (errors, stops) never go to the model.
 */
export const messages = pgTable(
  "messages",
  {
    id: serial("id").primaryKey(),
    chatId: text("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    turnId: text("turn_id").notNull(),
    role: text("role", { enum: ["user", "assistant", "notice"] }).notNull(),
    content: jsonb("content").$type<unknown[]>().notNull(),
    shown: text("shown").notNull(),
    wasFiltered: boolean("was_filtered").notNull(),
    filterLevels: jsonb("filter_levels").$type<string[]>().notNull(),
    model: text("model"),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cacheReadTokens: integer("cache_read_tokens").notNull().default(0),
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    createdAt: ts("created_at").notNull(),
  },
  (table) => [index("messages_chat_idx").on(table.chatId, table.id), index("messages_created_idx").on(table.createdAt)],
);

/**
 * One run of the assistant after a person's message. Its state is here, not in a process, so
 * that a Stop or an approval decided on another instance reaches the one running it.
 */
export const turns = pgTable(
  "turns",
  {
    id: text("id").primaryKey(),
    chatId: text("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["running", "done", "stopped", "failed"] }).notNull(),
    stopRequested: boolean("stop_requested").notNull().default(false),
    startedAt: ts("started_at").notNull(),
    endedAt: ts("ended_at"),
  },
  (table) => [index("turns_chat_idx").on(table.chatId, table.startedAt)],
);

/**
 * Every tool call, read or write: the audit trail, and for writes the approval. A write waits
 * in `pending` until its person decides it, it expires, or the turn is stopped.
 */
export const toolCalls = pgTable(
  "tool_calls",
  {
    id: text("id").primaryKey(),
    chatId: text("chat_id")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    turnId: text("turn_id").notNull(),
    userSub: text("user_sub").notNull(),
    username: text("username").notNull(),
    toolUseId: text("tool_use_id").notNull(),
    tool: text("tool").notNull(),
    /** The HTTP operation it resolved to ("codex PUT /api/tickets/{id}"), or null when none was reached. */
    operation: text("operation"),
    input: jsonb("input").$type<unknown>().notNull(),
    /** The resolved request (app, method, path, params, query, body): what runs once approved. */
    request: jsonb("request").$type<unknown>(),
    /** SHA-256 of the resolved request (app, method, path, query, body): what an approval binds to. */
    inputHash: text("input_hash"),
    kind: text("kind", { enum: ["read", "write"] }).notNull(),
    summary: jsonb("summary").$type<unknown>(),
    decision: text("decision", {
      enum: ["not_needed", "pending", "approved", "denied", "expired", "stopped", "invalid"],
    }).notNull(),
    decidedBy: text("decided_by"),
    decidedAt: ts("decided_at"),
    expiresAt: ts("expires_at"),
    resultStatus: integer("result_status"),
    resultNote: text("result_note"),
    createdAt: ts("created_at").notNull(),
    completedAt: ts("completed_at"),
  },
  (table) => [
    index("tool_calls_chat_idx").on(table.chatId, table.createdAt),
    index("tool_calls_created_idx").on(table.createdAt),
    uniqueIndex("tool_calls_use_idx").on(table.turnId, table.toolUseId),
  ],
);

export type ChatRow = typeof chats.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type TurnRow = typeof turns.$inferSelect;
export type ToolCallRow = typeof toolCalls.$inferSelect;
