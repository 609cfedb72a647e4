import { closePendingOfTurn } from "../approvals/data.ts";
import type { Deps } from "../deps.ts";
import { requestStop } from "./data.ts";

/**
 * Stops a chat's running turn here at once, and (through the database) on whichever instance runs
 * it. Its waiting approvals close before the answer: Stop wins over an Approve clicked after it.
 */
export async function stopChat(deps: Deps, chat: string): Promise<boolean> {
  const turnId = await requestStop(deps.db, chat);
  if (turnId) await closePendingOfTurn(deps.db, turnId);
  deps.turns.of(chat)?.abort.abort();
  if (turnId) deps.signals.notify(`stop:${turnId}`);
  return turnId !== null;
}
