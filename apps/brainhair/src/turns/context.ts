import type { UserClaims } from "@hivematrix/lib/auth";
import type { ChatRow } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import type { ToolContext } from "../tools/types.ts";
import type { RunningTurn } from "./running.ts";

/** Everything one turn runs with: the person's token lives here, in memory, for this turn only. */
export interface TurnContext {
  deps: Deps;
  turn: RunningTurn;
  chat: ChatRow;
  user: UserClaims;
  tools: ToolContext;
  /** Where the person's page posts a decision (behind Nexus's prefix). */
  decideUrl(id: string): string;
}
