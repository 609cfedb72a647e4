import type { ContentBlockParam, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import type { MessageRow } from "../db/schema.ts";

type Turn = { role: "user" | "assistant"; content: ContentBlockParam[] };

/** Messages of one role in a row (a stop between two questions) become one: the API expects turns to alternate. */
function merged(turns: Turn[]): Turn[] {
  const out: Turn[] = [];
  for (const turn of turns) {
    if (turn.content.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.role === turn.role) last.content.push(...turn.content);
    else out.push({ role: turn.role, content: [...turn.content] });
  }
  return out;
}

/** Tool calls never answered (the process ended between the two) are left out: the API refuses them. */
function withoutUnansweredToolUses(turns: Turn[]): Turn[] {
  return turns.map((turn, index) => {
    if (turn.role !== "assistant") return turn;
    const next = turns[index + 1];
    const answered = new Set(
      (next?.content ?? []).flatMap((block) => (block.type === "tool_result" ? [block.tool_use_id] : [])),
    );
    return { ...turn, content: turn.content.filter((block) => block.type !== "tool_use" || answered.has(block.id)) };
  });
}

/**
 * The stored messages as the Messages API takes them: the chat's multi-turn state, tool_use and
 * tool_result blocks included. Notices are the person's alone. The last block is marked for
 * prompt caching, so the next request reads the conversation so far from the cache.
 */
export function modelMessages(rows: MessageRow[]): MessageParam[] {
  const stored = rows
    .filter((row) => row.role !== "notice")
    .map((row) => ({ role: row.role as Turn["role"], content: [...(row.content as ContentBlockParam[])] }));
  const out = merged(withoutUnansweredToolUses(merged(stored)));
  while (out.length > 0 && out[out.length - 1]!.role === "assistant") out.pop();
  const last = out[out.length - 1];
  const block = last?.content[last.content.length - 1];
  if (last && block)
    last.content[last.content.length - 1] = { ...block, cache_control: { type: "ephemeral" } } as ContentBlockParam;
  return out;
}
