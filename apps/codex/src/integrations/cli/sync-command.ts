import type { CodexApi, JobView } from "./codex-api.ts";
import { progressLine, summaryLine } from "./progress-line.ts";

/** The kinds a terminal names, and the Codex route that starts each (agents answers when done). */
export const CLI_KINDS: Record<string, { path: string; waitsForResult: boolean }> = {
  psa: { path: "/sync/psa", waitsForResult: false },
  tickets: { path: "/sync/tickets", waitsForResult: false },
  "tickets-full": { path: "/sync/tickets/full-history", waitsForResult: false },
  rmm: { path: "/sync/rmm", waitsForResult: false },
  agents: { path: "/api/agents/sync", waitsForResult: true },
};

export const USAGE = [
  `usage: bun run sync <${Object.keys(CLI_KINDS).join("|")}> [--follow]`,
  "       bun run sync status <job-id> [--follow]",
].join("\n");

export interface SyncCommand {
  /** A kind to start, or "status" with a job id. */
  args: string[];
  follow: boolean;
  api: CodexApi;
  print: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
  /** How often a followed run is asked for its progress. */
  pollMs: number;
  /** A line is printed when the progress changes, and at least this often while it does not. */
  quietMs?: number;
}

const finished = (job: JobView) => job.status !== "running" && job.status !== "queued";

/** Prints a run's progress until it ends; the exit code says whether it succeeded. */
async function follow(c: SyncCommand, jobId: string): Promise<number> {
  let last = "";
  let printedAt = 0;
  for (;;) {
    const job = await c.api.status(jobId);
    if (finished(job)) {
      c.print(summaryLine(job));
      return job.status === "succeeded" ? 0 : 1;
    }
    const line = progressLine(job);
    if (line !== last || Date.now() - printedAt >= (c.quietMs ?? 30_000)) {
      c.print(line);
      last = line;
      printedAt = Date.now();
    }
    await c.sleep(c.pollMs);
  }
}

/**
 * `bun run sync <kind> [--follow]` starts a sync in Codex (or, with --follow, follows the one of
 * that kind already running); `bun run sync status <job-id> [--follow]` shows or follows a run.
 * Returns the exit code: 0 done (or started), 1 failed or not started, 2 usage.
 */
export async function runSyncCommand(c: SyncCommand): Promise<number> {
  const [target, jobId, ...extra] = c.args;
  if (target === "status" && jobId && !extra.length) {
    if (c.follow) return follow(c, jobId);
    const job = await c.api.status(jobId);
    c.print(finished(job) ? summaryLine(job) : progressLine(job));
    return 0;
  }
  const kind = target ? CLI_KINDS[target] : undefined;
  if (!kind || jobId !== undefined) {
    c.print(USAGE);
    return 2;
  }
  const outcome = await c.api.start(kind.path, kind.waitsForResult);
  if ("finished" in outcome) {
    c.print(summaryLine(outcome.finished));
    return outcome.finished.status === "succeeded" ? 0 : 1;
  }
  if ("busy" in outcome) {
    c.print(outcome.message);
    if (c.follow && outcome.busy) return follow(c, outcome.busy);
    if (outcome.busy) c.print(`follow it: bun run sync status ${outcome.busy} --follow`);
    return 1;
  }
  c.print(`started ${target} sync: job ${outcome.started.id}`);
  if (c.follow) return follow(c, outcome.started.id);
  c.print(`follow it: bun run sync status ${outcome.started.id} --follow`);
  return 0;
}
