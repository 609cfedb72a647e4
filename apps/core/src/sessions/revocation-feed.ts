import type { Context } from "hono";
import { eventStream } from "@hivematrix/lib/event-stream";
import type { AppEnv } from "@hivematrix/lib/app";
import type { Revocations } from "./revocations.ts";

/** A comment this often keeps an idle feed open through proxies and the server's idle timeout. */
const PING_EVERY_MS = 15_000;

/**
 * Server-sent events: `ready` once subscribed, then `revoked` with a session id each time a
 * session is revoked here, and a comment every 15 s. A reader that reconnects cannot know what
 * it missed in between, so it treats `ready` as "forget every verdict you hold".
 */
export function revocationFeed(c: Context<AppEnv>, revocations: Revocations) {
  c.header("Cache-Control", "no-store");
  return eventStream(c, async (stream) => {
    let closed = false;
    let wake: (() => void) | null = null;
    const unsubscribe = revocations.subscribe((id) => stream.writeSSE({ event: "revoked", data: id }));
    if (!unsubscribe) {
      await stream.writeSSE({ event: "busy", data: "Too many readers follow the revocation feed." });
      return;
    }
    stream.onAbort(() => {
      closed = true;
      wake?.();
    });
    try {
      await stream.writeSSE({ event: "ready", data: "" });
      while (!closed) {
        const aborted = new Promise<void>((resolve) => (wake = resolve));
        await Promise.race([aborted, Bun.sleep(PING_EVERY_MS)]);
        if (!closed) await stream.write(": ping\n\n");
      }
    } finally {
      unsubscribe();
    }
  });
}
