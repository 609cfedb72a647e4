/**
 * The wake-up hook for whoever waits on state kept in the database (an approval's decision, a
 * turn's stop). The state itself is always read from the database; a signal only says "look
 * now". Within one process `notify` wakes the waiter at once; a waiter also looks every
 * `pollMs`. With several Brainhair instances on PostgreSQL a relay (signals-relay.ts) carries
 * each notify to every instance over LISTEN/NOTIFY, so a decision made on one wakes the waiter on
 * another at once; polling remains the fallback for a notification lost while reconnecting.
 */
export class Signals {
  private readonly waiters = new Map<string, Set<() => void>>();
  private relay: ((key: string) => Promise<void>) | null = null;

  constructor(readonly pollMs = 500) {}

  notify(key: string): void {
    if (!this.relay) {
      this.wake(key);
      return;
    }
    // The relay brings it back to this instance too; if it cannot, at least this one wakes.
    this.relay(key).catch(() => this.wake(key));
  }

  relayThrough(relay: (key: string) => Promise<void>): void {
    this.relay = relay;
  }

  /** Wakes this instance's waiters on `key`. */
  wake(key: string): void {
    for (const wake of this.waiters.get(key) ?? []) wake();
  }

  /**
   * Calls `check` until it answers something other than undefined, waking on `notify(key)` of
   * any of `keys`, every `pollMs`, or when `signal` aborts; undefined once `deadline` passes.
   */
  async waitFor<T>(
    keys: string[],
    check: () => Promise<T | undefined>,
    deadline: number,
    signal?: AbortSignal,
  ): Promise<T | undefined> {
    for (;;) {
      const found = await check();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return undefined;
      await this.sleep(keys, Math.min(left, this.pollMs), signal);
    }
  }

  private sleep(keys: string[], ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        for (const key of keys) {
          const set = this.waiters.get(key);
          set?.delete(done);
          if (set?.size === 0) this.waiters.delete(key);
        }
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
      for (const key of keys) {
        const set = this.waiters.get(key) ?? new Set();
        set.add(done);
        this.waiters.set(key, set);
      }
    });
  }
}
