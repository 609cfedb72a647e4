import type { ContentBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { addMessage, listMessages } from "../chat/data.ts";
import { renderMarkdown } from "../chat/markdown.ts";
import type { Level } from "../filter/levels.ts";
import type { AnswerBlock } from "../model/accumulate.ts";
import { ModelError, Stopped } from "../model/errors.ts";
import { systemPrompt } from "../model/prompt.ts";
import { MODEL_TOOLS } from "../tools/registry.ts";
import type { TurnContext } from "./context.ts";
import { endTurn } from "./data.ts";
import { modelMessages } from "./history.ts";
import { runToolUse, type ToolResult } from "./tool-run.ts";

const textOf = (blocks: AnswerBlock[]) =>
  blocks.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("\n\n");

async function notice(ctx: TurnContext, variant: "info" | "error", text: string) {
  await addMessage(ctx.deps.db, {
    chatId: ctx.chat.id,
    turnId: ctx.turn.id,
    role: "notice",
    content: [],
    shown: text,
    wasFiltered: false,
    filterLevels: [],
  });
  ctx.turn.emit({ type: "notice", variant, text });
}

/** Stores a round's tool results as the user message the API expects after tool calls. */
async function storeResults(ctx: TurnContext, results: ToolResult[]) {
  const levels = new Set<Level>(results.flatMap((result) => [...result.levels]));
  await addMessage(ctx.deps.db, {
    chatId: ctx.chat.id,
    turnId: ctx.turn.id,
    role: "user",
    content: results.map((result) => result.block),
    shown: "",
    wasFiltered: levels.size > 0,
    filterLevels: [...levels],
  });
}

/** One round: the model's answer, streamed to the page and stored; its tool calls, if any. */
async function round(ctx: TurnContext): Promise<"again" | "done"> {
  const { deps, turn } = ctx;
  let partial = "";
  const request = {
    system: systemPrompt(ctx.user, ctx.chat, new Date()),
    tools: MODEL_TOOLS,
    messages: modelMessages(await listMessages(deps.db, ctx.chat.id)),
  };
  let answer: Awaited<ReturnType<NonNullable<typeof deps.model>["answer"]>>;
  try {
    answer = await deps.model!.answer(
      request,
      {
        text: (delta) => {
          partial += delta;
          turn.emit({ type: "text", delta });
        },
        retry: (reason, attempt) => {
          partial = "";
          turn.emit({ type: "retry", reason, attempt });
        },
      },
      turn.abort.signal,
    );
  } catch (error) {
    // What the person already saw of a stopped answer stays in the chat (and in the model's history).
    if (error instanceof Stopped && partial.trim())
      await addMessage(deps.db, {
        chatId: ctx.chat.id,
        turnId: turn.id,
        role: "assistant",
        content: [{ type: "text", text: partial }],
        shown: partial,
        wasFiltered: false,
        filterLevels: [],
      });
    throw error;
  }
  const text = textOf(answer.blocks);
  await addMessage(deps.db, {
    chatId: ctx.chat.id,
    turnId: turn.id,
    role: "assistant",
    content: answer.blocks as ContentBlockParam[],
    shown: text,
    wasFiltered: false,
    filterLevels: [],
    model: answer.model,
    inputTokens: answer.usage.input,
    outputTokens: answer.usage.output,
    cacheReadTokens: answer.usage.cacheRead,
    cacheWriteTokens: answer.usage.cacheWrite,
  });
  if (text) turn.emit({ type: "answer", html: renderMarkdown(text) });
  const uses = answer.blocks.flatMap((block) => (block.type === "tool_use" ? [block] : []));
  if (uses.length === 0) return "done";
  const results: ToolResult[] = [];
  for (const use of uses) {
    // Once stopped, the remaining calls are answered without running, so the history stays whole.
    if (turn.abort.signal.aborted) {
      results.push({
        block: { type: "tool_result", tool_use_id: use.id, content: "Stopped by the person; not run.", is_error: true },
        levels: new Set(),
      });
      continue;
    }
    results.push(await runToolUse(use, ctx));
  }
  await storeResults(ctx, results);
  if (turn.abort.signal.aborted) throw new Stopped();
  return answer.stopReason === "tool_use" ? "again" : "done";
}

/**
 * A turn: the model answers the person's message, calling tools (and waiting for approvals)
 * until it is done, up to BRAINHAIR_MAX_TOOL_ROUNDS requests. A model that fails after its
 * retries, a Stop, or a bug ends it with a notice in the chat, never with a broken history.
 */
export async function runTurn(ctx: TurnContext): Promise<void> {
  const { deps, turn } = ctx;
  let status: "done" | "stopped" | "failed" = "done";
  try {
    let rounds = 0;
    while ((await round(ctx)) === "again") {
      if (++rounds >= deps.settings.maxToolRounds) {
        await notice(ctx, "info", `Stopped after ${rounds} rounds of tool calls; ask again to go on.`);
        break;
      }
    }
  } catch (error) {
    if (error instanceof Stopped) {
      status = "stopped";
      await notice(ctx, "info", "Stopped.");
    } else if (error instanceof ModelError) {
      status = "failed";
      deps.safeLog.warn("the model request failed", { chat: ctx.chat.id, turn: turn.id, error: error });
      await notice(ctx, "error", error.message);
    } else {
      status = "failed";
      deps.safeLog.error("a turn failed", { chat: ctx.chat.id, turn: turn.id, error: error });
      await notice(ctx, "error", "Something went wrong on our side; it has been logged. Try again.").catch(() => {});
    }
  } finally {
    await endTurn(deps.db, turn.id, status).catch((error) =>
      deps.logger.error("could not record a turn's end", { turn: turn.id, error: error }),
    );
    turn.emit({ type: "done", status });
    deps.turns.finish(turn);
  }
}
