import type { RunningTurn } from "./running.ts";

/**
 * For pages without JavaScript: waits until the turn is done or waits for the person (an
 * approval), at most `ms` (Nexus gives an app 30 s to answer), so the page it redirects to shows
 * the answer or the card. A page of a turn still running refreshes itself until it is done.
 */
export async function settled(turn: RunningTurn, ms = 20_000): Promise<void> {
  const deadline = AbortSignal.timeout(ms);
  let seen = 0;
  for (;;) {
    const { events, next } = turn.since(seen);
    seen = next;
    const waiting = events.findLast((e) => e.type === "approval" || e.type === "approval_closed")?.type === "approval";
    if (turn.finished || waiting || deadline.aborted) return;
    await turn.changed(seen, deadline);
  }
}
