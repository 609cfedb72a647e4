import type { TurnEvent } from "./events.ts";

/** Events a late subscriber can still catch up on; a turn rarely sends more. */
const KEEP = 5000;

/** One turn running in this process: its stop switch and its events so far. */
export class RunningTurn {
  readonly abort = new AbortController();
  readonly events: TurnEvent[] = [];
  private dropped = 0;
  private readonly listeners = new Set<() => void>();
  finished = false;

  constructor(
    readonly id: string,
    readonly chatId: string,
    readonly userSub: string,
  ) {}

  emit(event: TurnEvent): void {
    this.events.push(event);
    if (this.events.length > KEEP) {
      this.events.shift();
      this.dropped++;
    }
    if (event.type === "done") this.finished = true;
    for (const wake of this.listeners) wake();
  }

  /** Events from number `from` on (numbering counts every event ever sent). */
  since(from: number): { events: TurnEvent[]; next: number } {
    const start = Math.max(0, from - this.dropped);
    return { events: this.events.slice(start), next: this.dropped + this.events.length };
  }

  /** Resolves at the next event (or at once when one arrived since `seen`). */
  changed(seen: number, signal: AbortSignal): Promise<void> {
    if (this.dropped + this.events.length > seen || this.finished) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.listeners.delete(wake);
        signal.removeEventListener("abort", wake);
        resolve();
      };
      this.listeners.add(wake);
      signal.addEventListener("abort", wake, { once: true });
    });
  }
}

/** The turns this process runs, by chat (one at a time per chat). */
export class TurnRegistry {
  private readonly byChat = new Map<string, RunningTurn>();

  start(id: string, chatId: string, userSub: string): RunningTurn {
    const turn = new RunningTurn(id, chatId, userSub);
    this.byChat.set(chatId, turn);
    return turn;
  }

  of(chatId: string): RunningTurn | undefined {
    return this.byChat.get(chatId);
  }

  finish(turn: RunningTurn): void {
    if (this.byChat.get(turn.chatId) === turn) this.byChat.delete(turn.chatId);
  }

  /** Every running turn, for a clean stop of the process. */
  all(): RunningTurn[] {
    return [...this.byChat.values()];
  }
}
