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
  return {
    /**
     * Tells every listener, and settles once each has the event on its way (or after a second):
     * the revoking request is answered after that, so no Nexus process hears of the revocation
     * later than the one that asked for it.
     */
    async announce(sessionId: string): Promise<void> {
      const sent = Promise.all([...listeners].map((listener) => listener(sessionId).catch(() => {})));
      await Promise.race([sent, Bun.sleep(ANNOUNCE_WAIT_MS)]);
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
