/**
 * The open live views of services' raw output. Helm ends them all when it stops (an open stream
 * would keep its server from closing) and refuses new ones beyond `max`.
 */
export class OutputFollowers {
  private readonly closers = new Set<() => void>();

  constructor(readonly max = 20) {}

  /** Registers a stream by the function that ends it; its unregister function, or null when too many are open. */
  add(close: () => void): (() => void) | null {
    if (this.closers.size >= this.max) return null;
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  closeAll(): void {
    for (const close of this.closers) close();
    this.closers.clear();
  }
}
