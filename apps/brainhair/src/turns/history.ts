import type { ContentBlockParam, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import type { MessageRow } from "../db/schema.ts";

type Turn = { role: "user" | "assistant"; content: ContentBlockParam[] };

/** Messages of one role in a row (a stop between two questions) become one: the API expects turns to alternate. */
function merged(turns: Turn[]): Turn[] {
  const out: Turn[] = [];
  for (const t of turns) {
    if (t.content.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.role === t.role) last.content.push(...t.content);
    else out.push({ role: t.role, content: [...t.content] });
  }
  return out;
}

/** Tool calls never answered (the process ended between the two) are left out: the API refuses them. */
function withoutUnansweredToolUses(turns: Turn[]): Turn[] {
  return turns.map((t, i) => {
    if (t.role !== "assistant") return t;
    const next = turns[i + 1];
    const answered = new Set((next?.content ?? []).flatMap((b) => (b.type === "tool_result" ? [b.tool_use_id] : [])));
    return { ...t, content: t.content.filter((b) => b.type !== "tool_use" || answered.has(b.id)) };
  });
}

/**
 * The stored messages as the Messages API takes them: the chat's multi-turn state, tool_use and
 * tool_result blocks included. Notices are the person's alone. The last block is marked for
 * prompt caching, so the next request reads the conversation so far from the cache.
 */
export function modelMessages(rows: MessageRow[]): MessageParam[] {
  const stored = rows
    .filter((r) => r.role !== "notice")
    .map((r) => ({ role: r.role as Turn["role"], content: [...(r.content as ContentBlockParam[])] }));
  const out = merged(withoutUnansweredToolUses(merged(stored)));
  while (out.length > 0 && out[out.length - 1]!.role === "assistant") out.pop();
  const last = out[out.length - 1];
  const block = last?.content[last.content.length - 1];
  if (last && block)
    last.content[last.content.length - 1] = { ...block, cache_control: { type: "ephemeral" } } as ContentBlockParam;
  return out;
}
