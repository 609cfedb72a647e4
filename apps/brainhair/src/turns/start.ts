import type { UserClaims } from "@hivematrix/lib/auth";
import { HttpError } from "@hivematrix/lib/errors";
import { addMessage, setTitle } from "../chat/data.ts";
import type { ChatRow } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { filterModule } from "../filter/lazy.ts";
import { Catalogue } from "../tools/catalogue.ts";
import { CompanyDirectory } from "../tools/company-levels.ts";
import type { TurnContext } from "./context.ts";
import { startTurn as startTurnRow, stopRequested } from "./data.ts";
import { runTurn } from "./run.ts";
import type { RunningTurn } from "./running.ts";

/** How often a running turn looks for a Stop written by another instance. */
const STOP_POLL_MS = 1000;

export const noModel = (deps: Deps) =>
  new HttpError(
    503,
    "model_not_configured",
    "Brainhair has no Anthropic API key: set ANTHROPIC_API_KEY, " +
      `or write the key to ${deps.settings.key.file} (mode 0600), and restart Brainhair.`,
  );

export interface TurnRequest {
  chat: ChatRow;
  user: UserClaims;
  /** The person's token as Nexus forwarded it: kept in this turn's memory only. */
  token: string;
  text: string;
  requestId: string;
  /** Nexus's prefix for Brainhair ("/brainhair"), for the links the page is sent. */
  prefix: string;
}

/**
 * Stores the person's message and starts the assistant's turn, which runs on its own (the page
 * may leave and come back). In a chat about a hipaa or cjis company the message is filtered at
 * that level before it is stored for the model; the person still sees what they wrote.
 */
export async function startChatTurn(deps: Deps, request: TurnRequest): Promise<RunningTurn> {
  if (!deps.model) throw noModel(deps);
  const row = await startTurnRow(deps.db, request.chat.id);
  const turn = deps.turns.start(row.id, request.chat.id, request.user.sub);
  const directory = new CompanyDirectory(
    deps.config.services,
    request.token,
    request.requestId,
    deps.settings.toolTimeoutMs,
  );
  const level = request.chat.contextLevel;
  const strict = level === "hipaa" || level === "cjis";
  const sent = strict
    ? (await filterModule()).filterText(request.text, level, await directory.filterOptions()).text
    : request.text;
  await addMessage(deps.db, {
    chatId: request.chat.id,
    turnId: row.id,
    role: "user",
    content: [{ type: "text", text: sent }],
    shown: request.text,
    wasFiltered: strict,
    filterLevels: strict ? [level] : [],
  });
  const ctx: TurnContext = {
    deps,
    turn,
    chat: request.chat,
    user: request.user,
    decideUrl: (id) => `${request.prefix}/api/approvals/${id}/decision`,
    tools: {
      token: request.token,
      user: request.user,
      chatId: request.chat.id,
      requestId: request.requestId,
      services: deps.config.services,
      timeoutMs: deps.settings.toolTimeoutMs,
      directory,
      catalogue: new Catalogue(deps.config.services, request.token, request.requestId, deps.settings.toolTimeoutMs),
      setTitle: async (title) => {
        await setTitle(deps.db, request.chat.id, title);
        turn.emit({ type: "title", title });
      },
    },
  };
  turn.emit({ type: "turn", turn: row.id, chat: request.chat.id });
  const watcher = setInterval(() => {
    stopRequested(deps.db, row.id)
      .then((stop) => {
        if (stop) turn.abort.abort();
      })
      .catch(() => {});
  }, STOP_POLL_MS);
  void runTurn(ctx).finally(() => clearInterval(watcher));
  return turn;
}
