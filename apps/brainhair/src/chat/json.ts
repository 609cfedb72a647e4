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
  .refine((v) => !(v.ticket && v.company), {
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

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function chatJson(c: ChatRow): ChatJson {
  return {
    id: c.id,
    title: c.title,
    context: c.contextKind
      ? { kind: c.contextKind, ref: c.contextRef ?? "", company: c.contextCompany, level: c.contextLevel }
      : null,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

export function messageJson(m: MessageRow): MessageJson {
  const role = m.role === "user" && m.shown === "" ? "tool_results" : m.role;
  return {
    id: m.id,
    role,
    text: m.shown,
    html: m.role === "assistant" && m.shown ? renderMarkdown(m.shown) : null,
    was_filtered: m.wasFiltered,
    filter_levels: m.filterLevels,
    usage: {
      input: m.inputTokens,
      output: m.outputTokens,
      cache_read: m.cacheReadTokens,
      cache_write: m.cacheWriteTokens,
    },
    created_at: m.createdAt.toISOString(),
  };
}

export function toolCallJson(t: ToolCallRow): ToolCallJson {
  return {
    id: t.id,
    chat_id: t.chatId,
    user: t.username,
    tool: t.tool,
    operation: t.operation,
    input: t.input,
    kind: t.kind,
    decision: t.decision,
    decided_by: t.decidedBy,
    decided_at: iso(t.decidedAt),
    expires_at: iso(t.expiresAt),
    input_hash: t.inputHash,
    summary: t.summary,
    result_status: t.resultStatus,
    result_note: t.resultNote,
    created_at: t.createdAt.toISOString(),
    completed_at: iso(t.completedAt),
  };
}
