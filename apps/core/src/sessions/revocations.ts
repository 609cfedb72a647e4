import type { Channel } from "@hivematrix/lib/pg-channel";

/** Hands one revoked session's id to a reader of the feed; settles once it is on its way. */
type Listener = (sessionId: string) => Promise<void>;

/** Listeners at most: each is one gateway process (NEXUS_WORKERS) following the feed. */
const MAX_LISTENERS = 256;
/** A reader that cannot take an event this fast is not waited for: revoking must not hang on it. */
const ANNOUNCE_WAIT_MS = 1_000;

/**
 * Who wants to hear, the moment it happens, that a session was revoked here (sign-out, an
 * admin, Helm): Nexus drops that session from its cache instead of trusting its last answer for
 * another two seconds, so a revocation takes effect at once in every Nexus process.
 */
export function createRevocations() {
  const listeners = new Set<Listener>();
  const tell = async (sessionId: string) => {
    const sent = Promise.all([...listeners].map((listener) => listener(sessionId).catch(() => {})));
    await Promise.race([sent, Bun.sleep(ANNOUNCE_WAIT_MS)]);
  };
  /** Set when Core runs several instances: a revocation reaches every instance's feed readers through it. */
  let shared: Channel<{ session: string }> | null = null;
  /** Revocations this instance announced, settled once its own readers were told (back through the channel). */
  const echoes = new Map<string, () => void>();
  return {
    /**
     * Tells every listener, and settles once each has the event on its way (or after a second):
     * the revoking request is answered after that, so no Nexus process hears of the revocation
     * later than the one that asked for it. With several Core instances it goes to all of them.
     */
    async announce(sessionId: string): Promise<void> {
      if (!shared) return tell(sessionId);
      const echoed = new Promise<void>((resolve) => echoes.set(sessionId, resolve));
      try {
        await shared.publish({ session: sessionId });
      } catch {
        echoes.delete(sessionId);
        return tell(sessionId);
      }
      await Promise.race([echoed, Bun.sleep(ANNOUNCE_WAIT_MS)]);
      echoes.delete(sessionId);
    },
    /** Carries revocations between Core's instances (PostgreSQL LISTEN/NOTIFY). */
    shareThrough(channel: Channel<{ session: string }>): void {
      shared = channel;
      channel.subscribe(({ session }) => {
        if (typeof session !== "string") return;
        void tell(session).then(() => echoes.get(session)?.());
      });
    },
    /** Null when too many are listening already; otherwise the way to stop. */
    subscribe(listener: Listener): (() => void) | null {
      if (listeners.size >= MAX_LISTENERS) return null;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Revocations = ReturnType<typeof createRevocations>;
