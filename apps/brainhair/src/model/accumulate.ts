import type { ContentBlock, RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";

/** The blocks Brainhair keeps of an answer: text, and the tools it asked for. */
export type AnswerBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown };

export interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

const NO_USAGE: Usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

interface Building {
  block: ContentBlock | { type: string };
  text: string;
  json: string;
}

/** Builds the answer from the stream's events, as the SDK's MessageStream does, keeping only what Brainhair uses. */
export class AnswerBuilder {
  private readonly blocks = new Map<number, Building>();
  usage: Usage = { ...NO_USAGE };
  stopReason: string | null = null;
  model: string | null = null;

  /** Applies one event; returns the text it added, if any. */
  apply(event: RawMessageStreamEvent): string {
    switch (event.type) {
      case "message_start": {
        const usage = event.message.usage;
        this.model = event.message.model;
        this.usage = {
          input: usage.input_tokens ?? 0,
          output: usage.output_tokens ?? 0,
          cacheRead: usage.cache_read_input_tokens ?? 0,
          cacheWrite: usage.cache_creation_input_tokens ?? 0,
        };
        return "";
      }
      case "content_block_start":
        this.blocks.set(event.index, { block: event.content_block, text: "", json: "" });
        return event.content_block.type === "text" ? event.content_block.text : "";
      case "content_block_delta": {
        const open = this.blocks.get(event.index);
        if (!open) return "";
        if (event.delta.type === "text_delta") {
          open.text += event.delta.text;
          return event.delta.text;
        }
        if (event.delta.type === "input_json_delta") open.json += event.delta.partial_json;
        return "";
      }
      case "message_delta": {
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        const usage = event.usage;
        // message_delta's counts are cumulative for the whole message.
        this.usage = {
          input: usage.input_tokens ?? this.usage.input,
          output: usage.output_tokens ?? this.usage.output,
          cacheRead: usage.cache_read_input_tokens ?? this.usage.cacheRead,
          cacheWrite: usage.cache_creation_input_tokens ?? this.usage.cacheWrite,
        };
        return "";
      }
      default:
        return "";
    }
  }

  /** The finished blocks in order; a tool's input whose JSON does not parse becomes `{}` with a note. */
  blocksDone(): AnswerBlock[] {
    const out: AnswerBlock[] = [];
    for (const [, open] of [...this.blocks.entries()].sort(([earlier], [later]) => earlier - later)) {
      const block = open.block as { type: string; text?: string; id?: string; name?: string };
      if (block.type === "text") {
        const text = (block.text ?? "") + open.text;
        if (text) out.push({ type: "text", text });
      } else if (block.type === "tool_use") {
        let input: unknown = {};
        try {
          input = open.json.trim() ? JSON.parse(open.json) : {};
        } catch {
          input = { _unparsable_input: open.json.slice(0, 200) };
        }
        out.push({ type: "tool_use", id: block.id!, name: block.name!, input });
      }
    }
    return out;
  }
}
