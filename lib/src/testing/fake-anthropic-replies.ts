/**
 * What the fake Messages API answers, and how it writes it: the event sequence and JSON shapes
 * of Anthropic's API as the official SDK parses them (message_start, content_block_start/delta/
 * stop with text_delta and input_json_delta, message_delta with cumulative usage, message_stop,
 * ping; errors as {type: "error", error: {type, message}, request_id}).
 */

export type FakeBlock = { text: string } | { tool: string; input: Record<string, unknown>; id?: string };

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export type FakeReply =
  | {
      kind: "message";
      blocks: FakeBlock[];
      stopReason?: "end_turn" | "tool_use" | "max_tokens";
      usage?: Partial<FakeUsage>;
      /** Before the response's headers. */
      delayMs?: number;
      /** Between streamed events. */
      eventDelayMs?: number;
      /** Characters of text per text_delta. */
      chunk?: number;
      /** Stop sending (and hold the connection) after this many events. */
      stallAfterEvents?: number;
      /** Send an `error` event (e.g. overloaded_error) after this many events instead of finishing. */
      errorAfterEvents?: { events: number; type: string; message: string };
    }
  | { kind: "error"; status: number; type: string; message: string; retryAfterSeconds?: number }
  /** Accept the request and never send the headers. */
  | { kind: "stall" };

/** Builders for scripts: `reply.text("Hi")`, `reply.tool("list_tickets", {company: "ACME-001"})`. */
export const reply = {
  text: (text: string, fields: Partial<Extract<FakeReply, { kind: "message" }>> = {}): FakeReply => ({
    kind: "message",
    blocks: [{ text }],
    stopReason: "end_turn",
    ...fields,
  }),
  tool: (tool: string, input: Record<string, unknown>, text = ""): FakeReply => ({
    kind: "message",
    blocks: [...(text ? [{ text }] : []), { tool, input }],
    stopReason: "tool_use",
  }),
  error: (status: number, type: string, message: string, retryAfterSeconds?: number): FakeReply => ({
    kind: "error",
    status,
    type,
    message,
    retryAfterSeconds,
  }),
  rateLimited: (retryAfterSeconds = 1) =>
    reply.error(429, "rate_limit_error", "Number of request tokens has exceeded your rate limit.", retryAfterSeconds),
  overloaded: () => reply.error(529, "overloaded_error", "Overloaded"),
  serverError: () => reply.error(500, "api_error", "Internal server error"),
  stall: (): FakeReply => ({ kind: "stall" }),
};

let counter = 0;
export const fakeId = (prefix: string) => `${prefix}_fake${(++counter).toString(36).padStart(6, "0")}`;

export function usageOf(usage: Partial<FakeUsage> | undefined, output: number): FakeUsage {
  return {
    input_tokens: usage?.input_tokens ?? 100,
    output_tokens: usage?.output_tokens ?? output,
    cache_creation_input_tokens: usage?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage?.cache_read_input_tokens ?? 0,
  };
}

const messageShell = (id: string, model: string) => ({
  id,
  type: "message",
  role: "assistant",
  model,
  content: [] as unknown[],
  container: null,
  stop_reason: null as string | null,
  stop_sequence: null,
  stop_details: null,
});

/** Content blocks as the API returns them (ids filled in). */
export function contentOf(blocks: FakeBlock[]) {
  return blocks.map((block) =>
    "text" in block
      ? { type: "text", text: block.text, citations: null }
      : {
          type: "tool_use",
          id: block.id ?? fakeId("toolu"),
          name: block.tool,
          input: block.input,
          caller: { type: "direct" },
        },
  );
}

/** The whole answer as one JSON message (a request without `stream: true`). */
export function messageJson(scripted: Extract<FakeReply, { kind: "message" }>, model: string) {
  const content = contentOf(scripted.blocks);
  return {
    ...messageShell(fakeId("msg"), model),
    content,
    stop_reason: scripted.stopReason ?? (content.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn"),
    usage: { ...usageOf(scripted.usage, 10), service_tier: "standard", inference_geo: "global", cache_creation: null },
  };
}

/** The answer as the API streams it: [event name, data] in order. */
export function streamEvents(scripted: Extract<FakeReply, { kind: "message" }>, model: string): [string, unknown][] {
  const content = contentOf(scripted.blocks);
  const chunk = scripted.chunk ?? 8;
  const usage = usageOf(scripted.usage, 0);
  const out: [string, unknown][] = [
    ["message_start", { type: "message_start", message: { ...messageShell(fakeId("msg"), model), usage } }],
    ["ping", { type: "ping" }],
  ];
  let outputTokens = 0;
  content.forEach((block, index) => {
    if (block.type === "text") {
      const text = block.text as string;
      out.push(["content_block_start", { type: "content_block_start", index, content_block: { ...block, text: "" } }]);
      for (let offset = 0; offset < text.length; offset += chunk) {
        const delta = { type: "text_delta", text: text.slice(offset, offset + chunk) };
        out.push(["content_block_delta", { type: "content_block_delta", index, delta }]);
      }
      outputTokens += Math.ceil(text.length / 4);
    } else {
      out.push(["content_block_start", { type: "content_block_start", index, content_block: { ...block, input: {} } }]);
      const json = JSON.stringify(block.input);
      const parts = [
        "",
        ...Array.from({ length: Math.ceil(json.length / chunk) }, (_, part) =>
          json.slice(part * chunk, (part + 1) * chunk),
        ),
      ];
      for (const partial_json of parts)
        out.push([
          "content_block_delta",
          { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } },
        ]);
      outputTokens += Math.ceil(json.length / 4);
    }
    out.push(["content_block_stop", { type: "content_block_stop", index }]);
  });
  const stopReason =
    scripted.stopReason ?? (content.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn");
  out.push([
    "message_delta",
    {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null, stop_details: null, container: null },
      usage: { ...usage, output_tokens: scripted.usage?.output_tokens ?? outputTokens },
    },
  ]);
  out.push(["message_stop", { type: "message_stop" }]);
  return out;
}

export const errorBody = (type: string, message: string) => ({
  type: "error",
  error: { type, message },
  request_id: fakeId("req"),
});
