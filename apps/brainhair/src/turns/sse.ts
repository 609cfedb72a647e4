import type { Context } from "hono";
import { eventStream } from "@hivematrix/lib/event-stream";
import type { RunningTurn } from "./running.ts";

/** A comment line now and then keeps proxies and idle timeouts from closing a quiet stream (an approval wait). */
const PING_MS = 15_000;

/**
 * The turn's events as server-sent events, from number `from` on, until it is done. The page
 * leaving only ends this stream: the turn goes on, and a page that comes back reattaches.
 */
export function turnStream(c: Context, turn: RunningTurn, from = 0): Response {
  c.header("Cache-Control", "no-store");
  c.header("X-Accel-Buffering", "no");
  return eventStream(c, async (stream) => {
    const gone = new AbortController();
    stream.onAbort(() => gone.abort());
    const ping = setInterval(() => void stream.write(": ping\n\n").catch(() => gone.abort()), PING_MS);
    try {
      let next = from;
      for (;;) {
        const { events, next: after } = turn.since(next);
        for (const [index, event] of events.entries())
          await stream.writeSSE({ id: String(next + index), event: event.type, data: JSON.stringify(event) });
        next = after;
        if (gone.signal.aborted || (turn.finished && turn.since(next).events.length === 0)) return;
        await turn.changed(next, gone.signal);
      }
    } finally {
      clearInterval(ping);
    }
  });
}
