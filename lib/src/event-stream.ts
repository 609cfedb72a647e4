import type { Context } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";

type Closer = () => void;
const open = new Set<Closer>();

/**
 * Hono's `streamSSE`, but the stream ends when the process stops. A server's graceful stop waits
 * for every open response, and an event stream never ends on its own: without this, stopping a
 * service that has readers (Nexus following Core's revocations, a live tail) waits until the
 * supervisor kills it.
 */
export function eventStream(c: Context, run: (stream: SSEStreamingApi) => Promise<void>): Response {
  return streamSSE(c, async (stream) => {
    const close = () => stream.abort();
    open.add(close);
    try {
      await run(stream);
    } finally {
      open.delete(close);
    }
  });
}

/** Ends every open event stream (their onAbort handlers run); called once the process is stopping. */
export function endEventStreams(): void {
  for (const close of [...open]) close();
}
