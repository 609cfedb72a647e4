import type { Context } from "hono";
import { eventStream } from "@hivematrix/lib/event-stream";
import type { AppEnv } from "@hivematrix/lib/app";
import type { Deps } from "../deps.ts";
import { missedLines } from "./data.ts";
import { type LogLineJson, lineJson } from "./json.ts";
import { filterOf, lineIdSchema, type StreamQuery } from "./query.ts";

/** Lines a slow live-tail reader may fall behind by before older ones are skipped. */
const MAX_QUEUED = 1_000;

/**
 * Server-sent events: every newly stored line that matches the filter, as JSON, each with its
 * id. A reconnecting EventSource sends the last id it got (Last-Event-ID) and first receives
 * what it missed, so a dropped connection loses no lines; a page starts after the newest line
 * it shows (`after_id`).
 */
export function liveTail(
  c: Context<AppEnv>,
  deps: Pick<Deps, "db" | "live">,
  query: StreamQuery,
  lastEventId: string | undefined,
) {
  const { from: _from, to: _to, ...filter } = filterOf(query);
  // An unreadable Last-Event-ID is a client's bookkeeping gone wrong, not worth refusing: the page's own start holds.
  const resumeFrom = lineIdSchema.safeParse(lastEventId);
  const resumeAfter = resumeFrom.success ? resumeFrom.data : query.after_id;
  c.header("Cache-Control", "no-store");
  c.header("X-Accel-Buffering", "no");
  return eventStream(c, async (stream) => {
    let queue: LogLineJson[] = [];
    let skipped = 0;
    let closed = false;
    let wake: (() => void) | null = null;
    const poke = () => {
      wake?.();
      wake = null;
    };
    const unsubscribe = deps.live.subscribe(
      filter,
      (lines) => {
        queue.push(...lines);
        if (queue.length > MAX_QUEUED) {
          skipped += queue.length - MAX_QUEUED;
          queue = queue.slice(-MAX_QUEUED);
        }
        poke();
      },
      () => {
        closed = true;
        poke();
      },
    );
    if (!unsubscribe) {
      await stream.writeSSE({ event: "busy", data: "Too many live tails are open; close one and reload." });
      return;
    }
    stream.onAbort(() => {
      closed = true;
      poke();
    });
    try {
      await stream.writeSSE({ event: "ready", data: "", retry: 3_000 });
      // Subscribed before reading the missed lines, so a line stored meanwhile is in one or
      // both; `sent` drops the second copy.
      let sent = resumeAfter ?? 0;
      if (resumeAfter !== undefined) {
        const missed = await missedLines(deps.db, resumeAfter, filter, MAX_QUEUED);
        if (missed.skipped > 0) await stream.writeSSE({ event: "skipped", data: String(missed.skipped) });
        for (const row of missed.rows)
          await stream.writeSSE({ event: "log", id: String(row.id), data: JSON.stringify(lineJson(row)) });
        sent = missed.rows.at(-1)?.id ?? sent;
      }
      while (!closed) {
        if (queue.length === 0) {
          const idle = new Promise<void>((resolve) => (wake = resolve));
          // A comment every 15 s keeps proxies from closing an idle stream.
          const ping = await Promise.race([idle.then(() => false), Bun.sleep(15_000).then(() => true)]);
          if (ping && !closed) await stream.write(": ping\n\n");
          continue;
        }
        const batch = queue;
        queue = [];
        if (skipped > 0) {
          await stream.writeSSE({ event: "skipped", data: String(skipped) });
          skipped = 0;
        }
        for (const line of batch) {
          if (line.id <= sent) continue;
          await stream.writeSSE({ event: "log", id: String(line.id), data: JSON.stringify(line) });
          sent = line.id;
        }
      }
    } finally {
      unsubscribe();
    }
  });
}
