import type { RunningTurn } from "./running.ts";

/**
 * For pages without JavaScript: waits until the turn is done or waits for the person (an
 * approval), at most `ms` (Nexus gives an app 30 s to answer), so the page it redirects to shows
 * the answer or the card. A page of a turn still running refreshes itself until it is done.
 */
export async function settled(turn: RunningTurn, options: { from?: number; ms?: number } = {}): Promise<void> {
  const deadline = AbortSignal.timeout(options.ms ?? 20_000);
  const from = options.from ?? 0;
  let seen = from;
  for (;;) {
    seen = turn.since(seen).next;
    // Only what happened since `from` counts: a card decided just before is not "waiting".
    const events = turn.since(from).events;
    const waiting =
      events.findLast((event) => event.type === "approval" || event.type === "approval_closed")?.type === "approval";
    if (turn.finished || waiting || deadline.aborted) return;
    await turn.changed(seen, deadline);
  }
}
