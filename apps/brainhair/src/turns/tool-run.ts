import type { ToolResultBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { closePending, completeToolCall, recordToolCall, requestIntact, toolCall } from "../approvals/data.ts";
import type { Json } from "../filter/data.ts";
import type { Level } from "../filter/levels.ts";
import { ToolInputError } from "../tools/named-operation.ts";
import { callHash } from "../tools/hash.ts";
import { runCall } from "../tools/http.ts";
import { toolNamed } from "../tools/registry.ts";
import { filterResult } from "../tools/result-filter.ts";
import { summarize } from "../tools/summary.ts";
import type { Call, ToolDef, ToolOutcome } from "../tools/types.ts";
import type { TurnContext } from "./context.ts";
import { stopRequested } from "./data.ts";

/** The most of one tool answer the model is sent; the rest is cut, and it is told so. */
const MAX_RESULT_CHARS = 100_000;

export interface ToolUse {
  id: string;
  name: string;
  input: unknown;
}

export interface ToolResult {
  block: ToolResultBlockParam;
  /** The levels the answer was filtered at (none for Brainhair's own answers). */
  levels: Set<Level>;
}

const errorResult = (use: ToolUse, text: string): ToolResult => ({
  block: { type: "tool_result", tool_use_id: use.id, content: text, is_error: true },
  levels: new Set(),
});

async function toModel(use: ToolUse, outcome: ToolOutcome, ctx: TurnContext): Promise<ToolResult> {
  let data = outcome.body as Json;
  let levels = new Set<Level>();
  if (!outcome.local) {
    const at: Level[] = [await ctx.tools.directory.level(outcome.company)];
    const filtered = await filterResult(data ?? null, at, ctx.tools.directory);
    data = filtered.data;
    levels = filtered.levels;
  }
  let text = JSON.stringify({ status: outcome.status, data });
  if (text.length > MAX_RESULT_CHARS)
    text =
      `${text.slice(0, MAX_RESULT_CHARS)}… (cut at ${MAX_RESULT_CHARS} characters: ` +
      "ask for less, e.g. a smaller limit)";
  return {
    block: { type: "tool_result", tool_use_id: use.id, content: text, is_error: outcome.status >= 400 },
    levels,
  };
}

/** Runs a call and tells the page; `reveal` keeps a new password from the model and the database. */
async function execute(def: ToolDef, call: Call, recordId: string, ctx: TurnContext): Promise<ToolOutcome> {
  const kind = call.method === "GET" ? "read" : "write";
  ctx.turn.emit({ type: "tool", id: recordId, tool: def.name, kind, status: "running" });
  const outcome = await runCall(call, ctx.tools);
  const shown = outcome.status < 400 && def.reveal ? def.reveal(outcome.body) : { body: outcome.body };
  for (const [label, value] of Object.entries(shown.personOnly ?? {}))
    ctx.turn.emit({ type: "secret", id: recordId, label, value });
  await completeToolCall(ctx.deps.db, recordId, outcome.status, null);
  ctx.turn.emit({
    type: "tool",
    id: recordId,
    tool: def.name,
    kind,
    status: outcome.status < 400 ? "done" : "failed",
    http: outcome.status,
  });
  if (outcome.status >= 400)
    ctx.deps.safeLog.warn("a tool's call was refused", {
      tool: def.name,
      status: outcome.status,
      answer: outcome.body,
    });
  return { ...outcome, body: shown.body };
}

type Waited = "approved" | "denied" | "expired" | "stopped";

/** Waits for the person's decision: in the database, woken by a notify here or found by polling. */
async function awaitDecision(id: string, expiresAt: Date, ctx: TurnContext): Promise<Waited> {
  const { db, signals } = ctx.deps;
  const outcome = await signals.waitFor<Waited>(
    [id, `stop:${ctx.turn.id}`],
    async () => {
      const row = await toolCall(db, id);
      if (row?.decision === "approved" || row?.decision === "denied") return row.decision;
      if (ctx.turn.abort.signal.aborted || (await stopRequested(db, ctx.turn.id))) return "stopped";
      return undefined;
    },
    expiresAt.getTime(),
    ctx.turn.abort.signal,
  );
  const closing = outcome ?? (ctx.turn.abort.signal.aborted ? "stopped" : "expired");
  if (closing === "approved" || closing === "denied") return closing;
  if (await closePending(db, id, closing)) return closing;
  // Decided at the last moment: the decision stands.
  const row = await toolCall(db, id);
  return row?.decision === "approved" ? "approved" : row?.decision === "denied" ? "denied" : closing;
}

const OUTCOME_TEXT: Record<Exclude<Waited, "approved">, string> = {
  denied: "The person denied this change. Nothing was changed.",
  expired: "Nobody approved this change in time, so it counts as denied. Nothing was changed.",
  stopped: "The person stopped the assistant before deciding. Nothing was changed.",
};

/**
 * One tool call of the model: checked against its tool's schema, run at once when it reads,
 * and when it writes only after the person approved exactly this request. Every call is
 * audited; the answer goes to the model filtered at its company's level.
 */
export async function runToolUse(use: ToolUse, ctx: TurnContext): Promise<ToolResult> {
  const { db } = ctx.deps;
  const base = {
    id: crypto.randomUUID(),
    chatId: ctx.chat.id,
    turnId: ctx.turn.id,
    userSub: ctx.user.sub,
    username: ctx.user.preferred_username,
    toolUseId: use.id,
    tool: use.name,
    input: use.input ?? null,
  };
  const def = toolNamed(use.name);
  const parsed = def?.input.safeParse(use.input);
  if (!def || !parsed?.success) {
    const why = def
      ? parsed!.error!.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ")
      : "no such tool";
    await recordToolCall(db, { ...base, kind: "read", decision: "invalid", resultNote: why });
    return errorResult(use, `Not run: ${why}.`);
  }
  if (def.local) {
    const row = await recordToolCall(db, { ...base, kind: "read", decision: "not_needed" });
    try {
      const outcome = await def.local(parsed.data, ctx.tools);
      await completeToolCall(db, row.id, outcome.status, null);
      return toModel(use, outcome, ctx);
    } catch (error) {
      if (!(error instanceof ToolInputError)) throw error;
      await completeToolCall(db, row.id, null, error.message);
      return errorResult(use, error.message);
    }
  }
  let call: Call;
  try {
    call = await def.plan!(parsed.data, ctx.tools);
  } catch (error) {
    if (!(error instanceof ToolInputError)) throw error;
    await recordToolCall(db, { ...base, kind: "read", decision: "invalid", resultNote: error.message });
    return errorResult(use, error.message);
  }
  const operation = `${call.app} ${call.method} ${call.path}`;
  const inputHash = callHash(call);
  if (call.method === "GET") {
    const row = await recordToolCall(db, {
      ...base,
      kind: "read",
      decision: "not_needed",
      operation,
      request: call,
      inputHash,
    });
    return toModel(use, await execute(def, call, row.id, ctx), ctx);
  }
  const summary = await summarize(def.name, def.description, call, ctx.tools);
  const expiresAt = new Date(Date.now() + ctx.deps.settings.approvalTimeoutMs);
  const row = await recordToolCall(db, {
    ...base,
    kind: "write",
    decision: "pending",
    operation,
    request: call,
    inputHash,
    summary,
    expiresAt,
  });
  ctx.turn.emit({
    type: "approval",
    id: row.id,
    tool: def.name,
    summary,
    input_hash: inputHash,
    expires_at: expiresAt.toISOString(),
    decide_url: ctx.decideUrl(row.id),
  });
  const decision = await awaitDecision(row.id, expiresAt, ctx);
  ctx.turn.emit({ type: "approval_closed", id: row.id, decision });
  if (decision !== "approved") {
    await completeToolCall(db, row.id, null, OUTCOME_TEXT[decision]);
    return errorResult(use, OUTCOME_TEXT[decision]);
  }
  const stored = await toolCall(db, row.id);
  if (!stored || !requestIntact(stored) || stored.inputHash !== inputHash) {
    await completeToolCall(db, row.id, null, "refused: the stored request changed after it was shown");
    return errorResult(use, "Not run: the approved request was altered. Nothing was changed.");
  }
  return toModel(use, await execute(def, call, row.id, ctx), ctx);
}
