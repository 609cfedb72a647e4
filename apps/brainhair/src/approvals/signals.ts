/**
 * The wake-up hook for whoever waits on state kept in the database (an approval's decision, a
 * turn's stop). The state itself is always read from the database; a signal only says "look
 * now". Within one process `notify` wakes the waiter at once; a waiter also looks every
 * `pollMs`, so a decision written by another Brainhair instance (on a shared PostgreSQL) is seen
 * within that time. A LISTEN/NOTIFY bridge would call `notify` here and nothing else changes.
 */
export class Signals {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(readonly pollMs = 500) {}

  notify(key: string): void {
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
