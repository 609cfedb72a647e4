import { z } from "zod";
import type { ChatRow, MessageRow, ToolCallRow } from "../db/schema.ts";
import { renderMarkdown } from "./markdown.ts";

export const chatId = z.uuid();
const level = z.enum(["standard", "hipaa", "cjis"]);

/** What a person sends: their message, and for a new chat what it is about. */
export const messageInput = z
  .object({ text: z.string().trim().min(1, "Write a message.").max(20_000, "At most 20,000 characters.") })
  .strict();
export const newChatInput = z
  .object({
    text: z.string().trim().max(20_000).optional(),
    ticket: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "a ticket id")
      .optional(),
    company: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/, "an account number")
      .optional(),
  })
  .strict()
  .refine((input) => !(input.ticket && input.company), {
    message: "A chat is about a ticket or a company, not both.",
    path: ["company"],
  });

export const chatSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    context: z
      .object({
        kind: z.enum(["ticket", "company"]),
        ref: z.string(),
        company: z.string().nullable(),
        level: level.nullable(),
      })
      .nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: "Chat" });

export const usageSchema = z
  .object({
    input: z.number().int(),
    output: z.number().int(),
    cache_read: z.number().int(),
    cache_write: z.number().int(),
  })
  .meta({ id: "Usage" });

export const messageSchema = z
  .object({
    id: z.number().int(),
    role: z.enum(["user", "assistant", "notice", "tool_results"]),
    text: z.string(),
    html: z.string().nullable().meta({ description: "The assistant's text as HTML (Markdown, raw HTML off)" }),
    was_filtered: z.boolean(),
    filter_levels: z.array(z.string()),
    usage: usageSchema,
    created_at: z.iso.datetime(),
  })
  .meta({ id: "Message" });

export const toolCallSchema = z
  .object({
    id: z.string(),
    chat_id: z.string(),
    user: z.string(),
    tool: z.string(),
    operation: z.string().nullable(),
    input: z.unknown(),
    kind: z.enum(["read", "write"]),
    decision: z.string(),
    decided_by: z.string().nullable(),
    decided_at: z.iso.datetime().nullable(),
    expires_at: z.iso.datetime().nullable(),
    input_hash: z.string().nullable(),
    summary: z.unknown(),
    result_status: z.number().int().nullable(),
    result_note: z.string().nullable(),
    created_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "ToolCall" });

export type ChatJson = z.infer<typeof chatSchema>;
export type MessageJson = z.infer<typeof messageSchema>;
export type ToolCallJson = z.infer<typeof toolCallSchema>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function chatJson(row: ChatRow): ChatJson {
  return {
    id: row.id,
    title: row.title,
    context: row.contextKind
      ? { kind: row.contextKind, ref: row.contextRef ?? "", company: row.contextCompany, level: row.contextLevel }
      : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function messageJson(row: MessageRow): MessageJson {
  const role = row.role === "user" && row.shown === "" ? "tool_results" : row.role;
  return {
    id: row.id,
    role,
    text: row.shown,
    html: row.role === "assistant" && row.shown ? renderMarkdown(row.shown) : null,
    was_filtered: row.wasFiltered,
    filter_levels: row.filterLevels,
    usage: {
      input: row.inputTokens,
      output: row.outputTokens,
      cache_read: row.cacheReadTokens,
      cache_write: row.cacheWriteTokens,
    },
    created_at: row.createdAt.toISOString(),
  };
}

export function toolCallJson(row: ToolCallRow): ToolCallJson {
  return {
    id: row.id,
    chat_id: row.chatId,
    user: row.username,
    tool: row.tool,
    operation: row.operation,
    input: row.input,
    kind: row.kind,
    decision: row.decision,
    decided_by: row.decidedBy,
    decided_at: iso(row.decidedAt),
    expires_at: iso(row.expiresAt),
    input_hash: row.inputHash,
    summary: row.summary,
    result_status: row.resultStatus,
    result_note: row.resultNote,
    created_at: row.createdAt.toISOString(),
    completed_at: iso(row.completedAt),
  };
}
