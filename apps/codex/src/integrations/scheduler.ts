import { Cron } from "croner";
import type { Logger } from "@hivematrix/lib/log";
import { JOB_KINDS, type JobKind, type SchedulerSettings } from "./settings.ts";

/**
 * The one in-process scheduler: a croner timer per enabled job, read from the `scheduler`
 * settings and rebuilt whenever they change. A tick only asks `trigger` to start a run; the
 * run itself takes the database lock, so a slow run is never overlapped, and several Codex
 * processes sharing a database do not run the same kind twice.
 */
export type Trigger = (kind: JobKind, scheduledFor: Date) => Promise<void>;

export interface ScheduleView {
  kind: JobKind;
  enabled: boolean;
  cron: string;
  nextRun: Date | null;
}

/** Null when `cron` is a valid expression, else the reason. */
export function cronProblem(cron: string, timezone: string | null = null): string | null {
  try {
    const c = new Cron(cron, { paused: true, ...(timezone ? { timezone } : {}) });
    const next = c.nextRun();
    c.stop();
    return next ? null : "it never fires";
  } catch (e) {
    return (e as Error).message;
  }
}

/** The next `count` fire times of an expression (for the settings page and tests). */
export function nextRuns(cron: string, count: number, from: Date = new Date(), timezone: string | null = null): Date[] {
  const c = new Cron(cron, { paused: true, ...(timezone ? { timezone } : {}) });
  const runs = c.nextRuns(count, from);
  c.stop();
  return runs;
}

export class SyncScheduler {
  private timers = new Map<JobKind, Cron>();
  private settings: SchedulerSettings | null = null;

  constructor(
    private readonly trigger: Trigger,
    private readonly logger: Logger,
  ) {}

  /** (Re)builds the timers from settings; call at start and after every settings change. */
  apply(settings: SchedulerSettings): void {
    this.stop();
    this.settings = settings;
    for (const kind of JOB_KINDS) {
      const entry = settings.jobs[kind];
      if (!entry.enabled) continue;
      const problem = cronProblem(entry.cron, settings.timezone);
      if (problem) {
        this.logger.warn("sync schedule ignored: bad cron expression", { kind, cron: entry.cron, problem });
        continue;
      }
      const timer = new Cron(
        entry.cron,
        { ...(settings.timezone ? { timezone: settings.timezone } : {}), catch: true, unref: true },
        async (self: Cron) => {
          const scheduledFor = self.currentRun() ?? new Date();
          await this.trigger(kind, scheduledFor).catch((e) =>
            this.logger.error("scheduled sync could not start", { kind, error: e }),
          );
        },
      );
      this.timers.set(kind, timer);
    }
  }

  /** Starts every enabled job once now (the run-on-start option). */
  async runEnabledNow(): Promise<void> {
    if (!this.settings) return;
    for (const kind of JOB_KINDS) {
      if (this.settings.jobs[kind].enabled)
        await this.trigger(kind, new Date()).catch((e) =>
          this.logger.error("start-up sync could not start", { kind, error: e }),
        );
    }
  }

  view(): ScheduleView[] {
    return JOB_KINDS.map((kind) => {
      const entry = this.settings?.jobs[kind] ?? { enabled: false, cron: "" };
      return { kind, enabled: entry.enabled, cron: entry.cron, nextRun: this.timers.get(kind)?.nextRun() ?? null };
    });
  }

  stop(): void {
    for (const timer of this.timers.values()) timer.stop();
    this.timers.clear();
  }
}
