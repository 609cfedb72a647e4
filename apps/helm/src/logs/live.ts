import { type LogLineJson, lineJson, type NewLogLine, type StoredLogLine } from "./json.ts";
import { type LogFilter, levelsFrom } from "./query.ts";

export type LiveFilter = Omit<LogFilter, "from" | "to">;

export function matches(filter: LiveFilter, line: NewLogLine): boolean {
  if (filter.service && line.service !== filter.service) return false;
  if (filter.level && !levelsFrom(filter.level).includes(line.level)) return false;
  if (filter.requestId && line.requestId !== filter.requestId) return false;
  if (filter.user && line.user !== filter.user) return false;
  if (filter.text && !line.message.toLowerCase().includes(filter.text.toLowerCase())) return false;
  return true;
}

interface Subscriber {
  filter: LiveFilter;
  push(lines: LogLineJson[]): void;
  close(): void;
}

/** Fans newly stored lines out to the open live-tail streams, each with its own filter. */
export class LiveTail {
  private readonly subscribers = new Set<Subscriber>();
  /** Set when Helm runs several instances: stored lines go to every instance's tails through it. */
  private relay: ((lines: StoredLogLine[]) => Promise<void>) | null = null;

  constructor(readonly maxSubscribers = 100) {}

  /** Returns the unsubscribe function, or null when too many streams are open already. */
  subscribe(filter: LiveFilter, push: (lines: LogLineJson[]) => void, close: () => void): (() => void) | null {
    if (this.subscribers.size >= this.maxSubscribers) return null;
    const sub: Subscriber = { filter, push, close };
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  /** Hands newly stored lines to the open tails: this instance's, or every instance's through the relay. */
  async publish(lines: StoredLogLine[]): Promise<void> {
    if (this.relay) await this.relay(lines);
    else this.deliver(lines);
  }

  relayThrough(relay: (lines: StoredLogLine[]) => Promise<void>): void {
    this.relay = relay;
  }

  /** Whether any stream is open here (an instance without one need not read relayed lines). */
  get watched(): boolean {
    return this.subscribers.size > 0;
  }

  /** Pushes lines to this instance's own streams, each through its filter. */
  deliver(lines: StoredLogLine[]): void {
    for (const sub of this.subscribers) {
      const mine = lines.filter((l) => matches(sub.filter, l)).map(lineJson);
      if (mine.length) sub.push(mine);
    }
  }

  /** Ends every stream (Helm is stopping: open streams would keep the server from closing). */
  closeAll(): void {
    for (const sub of this.subscribers) sub.close();
    this.subscribers.clear();
  }
}
