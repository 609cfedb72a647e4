import type { Provider, ProviderMonitor, WaitReason } from "../http.ts";

/** What a watcher of a running sync sees besides the counts: what it is doing and whether it waits. */
export interface LiveState {
  phase: string | null;
  waiting: { reason: string; until: string } | null;
}

const PROVIDER_NAMES: Record<Provider, string> = {
  freshservice: "Freshservice",
  datto: "Datto RMM",
  keycloak: "Keycloak",
};

const WAIT_COUNTS: Record<WaitReason, string> = {
  pacing: "pacing_waits",
  "rate limit": "rate_limit_waits",
  "IP block": "ip_block_waits",
  retry: "retry_waits",
};

/** Counts that say how a run went (requests, pages, waits), not what it changed. */
export const PROGRESS_COUNT = /^(requests_sent|pages_fetched|waited_seconds|\w+_waits)$/;

/** Waits this long are shown as "waiting until …" (and logged); shorter pacing pauses only count. */
const SHOWN_WAIT_MS = 5_000;

/**
 * What a sync reports as it goes: counters, short log lines (kept in sync_jobs.output), and, as
 * the monitor of its provider clients, every request, page and wait. `onChange` is told when
 * something a watcher should see at once happens, such as the start of a long wait.
 */
export class JobReport implements ProviderMonitor {
  readonly counts: Record<string, number> = {};
  private readonly lines: string[] = [];
  private waitedMs = 0;
  private state: LiveState = { phase: null, waiting: null };
  onChange: (() => void) | null = null;

  add(name: string, by = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + by;
  }

  log(line: string): void {
    if (this.lines.length < 500) this.lines.push(line);
    else if (this.lines.length === 500) this.lines.push("… (more lines omitted)");
  }

  output(): string {
    return this.lines.join("\n");
  }

  /** What the run is doing now, e.g. "reading tickets 1,201–1,250 of 20,000"; watchers see it at once. */
  phase(text: string): void {
    this.state = { ...this.state, phase: text };
    this.onChange?.();
  }

  live(): LiveState {
    return this.state;
  }

  request(_provider: Provider): void {
    this.add("requests_sent");
    if (this.state.waiting) {
      this.state = { ...this.state, waiting: null };
      this.onChange?.();
    }
  }

  page(_provider: Provider): void {
    this.add("pages_fetched");
  }

  wait(provider: Provider, ms: number, reason: WaitReason): void {
    this.add(WAIT_COUNTS[reason]);
    this.waitedMs += ms;
    this.counts.waited_seconds = Math.round(this.waitedMs / 1000);
    if (ms < SHOWN_WAIT_MS) return;
    const until = new Date(Date.now() + ms).toISOString();
    this.state = { ...this.state, waiting: { reason: `${PROVIDER_NAMES[provider]} ${reason}`, until } };
    this.log(`waiting ${Math.round(ms / 1000)} s for the ${PROVIDER_NAMES[provider]} ${reason} (until ${until})`);
    this.onChange?.();
  }
}

/** The progress figures of a run, from its counts and (while it runs) its live state. */
export function progressOf(counts: Record<string, number>, live: LiveState | null) {
  const written = Object.entries(counts)
    .filter(([k]) => /_(created|updated|unchanged)$/.test(k))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    phase: live?.phase ?? null,
    pages: counts.pages_fetched ?? 0,
    requests: counts.requests_sent ?? 0,
    items_written: written,
    waits: Object.values(WAIT_COUNTS).reduce((sum, k) => sum + (counts[k] ?? 0), 0),
    waited_seconds: counts.waited_seconds ?? 0,
    waiting: live?.waiting ?? null,
  };
}
export type Progress = ReturnType<typeof progressOf>;
