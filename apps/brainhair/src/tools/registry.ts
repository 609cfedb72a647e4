import type { Tool } from "@anthropic-ai/sdk/resources/messages";
import { z } from "zod";
import { apiOperation, describeOperation, findOperations } from "./named-operation.ts";
import { setChatTitle } from "./curated/chat.ts";
import { codexBillingTools } from "./curated/codex-billing.ts";
import { codexRecordTools } from "./curated/codex-records.ts";
import { codexTicketTools } from "./curated/codex-tickets.ts";
import { platformTools } from "./curated/platform.ts";
import type { ToolDef } from "./types.ts";

/** Every tool the model can call, in the order it is shown them. */
export const TOOLS: readonly ToolDef[] = [
  ...codexTicketTools,
  ...codexRecordTools,
  ...codexBillingTools,
  ...platformTools,
  setChatTitle,
  findOperations,
  describeOperation,
  apiOperation,
] as ToolDef[];

const byName = new Map(TOOLS.map((tool) => [tool.name, tool]));
if (byName.size !== TOOLS.length) throw new Error("two tools share a name");

export const toolNamed = (name: string): ToolDef | undefined => byName.get(name);

/**
 * The tool list as the Messages API takes it: each input as JSON Schema from its zod schema.
 * The list never changes while Brainhair runs, so its end is marked for prompt caching.
 */
export const MODEL_TOOLS: Tool[] = TOOLS.map((tool, index) => {
  const { $schema: _, ...schema } = z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return {
    name: tool.name,
    description: tool.description,
    input_schema: { type: "object", ...schema } as Tool["input_schema"],
    ...(index === TOOLS.length - 1 ? { cache_control: { type: "ephemeral" as const } } : {}),
  };
});
