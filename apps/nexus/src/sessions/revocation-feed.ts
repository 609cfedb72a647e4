import type { Logger } from "@hivematrix/lib/log";
import type { ServiceClient } from "@hivematrix/lib/service-client";

const FEED_PATH = "/api/sessions/revocations";
/** Core sends a comment every 15 s: this long without a byte means the feed is gone. */
const SILENCE_LIMIT_MS = 45_000;
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

export interface RevocationListener {
  /** Subscribed (again): revocations made while not following may have been missed. */
  ready(): void;
  revoked(sessionId: string): void;
}

/** Splits a server-sent event stream into (event, data) pairs; comments are skipped. */
export function sseEvents(onEvent: (event: string, data: string) => void) {
  let buffered = "";
  return (text: string) => {
    buffered += text;
    let end = buffered.indexOf("\n\n");
    while (end >= 0) {
      let event = "message";
      const data: string[] = [];
      for (const line of buffered.slice(0, end).split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0 || event !== "message") onEvent(event, data.join("\n"));
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf("\n\n");
    }
  };
}

/**
 * Follows Core's revocation feed for as long as Nexus runs, so a session revoked anywhere
 * (a sign-out handled by another Nexus process, an admin, Helm) is dropped from this process's
 * cache at once. While the feed is down Nexus still asks Core about each session every two
 * seconds, so a revocation then takes effect within those seconds, as before; it reconnects
 * with backoff and says once that it lost the feed.
 */
export function followRevocations(core: ServiceClient, logger: Logger, listener: RevocationListener) {
  let stopped = false;
  let current: AbortController | null = null;
  let lost = false;

  async function followOnce(): Promise<void> {
    const abort = new AbortController();
    current = abort;
    let silence = setTimeout(() => abort.abort(), SILENCE_LIMIT_MS);
    try {
      const res = await core.callService("core", FEED_PATH, {
        headers: { accept: "text/event-stream" },
        signal: abort.signal,
      });
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new Error(`Core answered ${res.status}`);
      }
      const decoder = new TextDecoder();
      const feed = sseEvents((event, data) => {
        if (event === "ready") {
          if (lost) logger.info("following Core's session revocations again");
          lost = false;
          listener.ready();
        } else if (event === "revoked") listener.revoked(data);
        else if (event === "busy") abort.abort();
      });
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        clearTimeout(silence);
        silence = setTimeout(() => abort.abort(), SILENCE_LIMIT_MS);
        feed(decoder.decode(value, { stream: true }));
      }
    } finally {
      clearTimeout(silence);
      current = null;
    }
  }

  void (async () => {
    let backoff = MIN_BACKOFF_MS;
    while (!stopped) {
      const started = Date.now();
      let why = "Core ended the feed";
      try {
        await followOnce();
      } catch (e) {
        why = (e as Error).message;
      }
      if (!stopped && !lost)
        logger.warn("not following Core's session revocations; sessions are checked every 2 s meanwhile", {
          error: why,
        });
      if (stopped) break;
      lost = true;
      // A feed that stayed up a while starts its backoff afresh.
      backoff = Date.now() - started > MAX_BACKOFF_MS ? MIN_BACKOFF_MS : Math.min(backoff * 2, MAX_BACKOFF_MS);
      await Bun.sleep(backoff);
    }
  })();

  return {
    stop(): void {
      stopped = true;
      current?.abort();
    },
  };
}
