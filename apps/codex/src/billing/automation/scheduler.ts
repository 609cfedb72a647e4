import { Cron } from "croner";
import type { Logger } from "@hivematrix/lib/log";
import { runScheduled } from "@hivematrix/lib/scheduled-jobs";
import type { BillingRun } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { cronProblem, nextRuns } from "../../integrations/scheduler.ts";
import { previousMonth } from "../months.ts";
import { readSchedule, runAcceptance } from "./data.ts";
import { DEFAULT_SCHEDULE, type Schedule } from "./json.ts";

/**
 * This process's billing scheduler: on a cron, accept every bill of the month before the tick
 * (UTC months, as billing counts them). One croner timer from the stored schedule, rebuilt
 * when it changes; armed at start-up and stopped on shutdown, like the integrations' scheduler.
 */
export class BillingAutomation {
  private timer: Cron | null = null;
  private schedule: Schedule = DEFAULT_SCHEDULE;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly db: CodexDb,
    private readonly logger: Logger,
  ) {}

  /** Reads the schedule and (re)arms the timer. */
  async apply(): Promise<void> {
    this.disarm();
    this.schedule = (await readSchedule(this.db)).schedule;
    const schedule = this.schedule;
    if (!schedule.enabled) return;
    const problem = cronProblem(schedule.cron, schedule.timezone);
    if (problem) {
      this.logger.warn("billing schedule ignored: bad cron expression", { cron: schedule.cron, problem });
      return;
    }
    this.timer = new Cron(
      schedule.cron,
      { ...(schedule.timezone ? { timezone: schedule.timezone } : {}), catch: true, unref: true },
      async (self: Cron) => {
        await this.tick(self.currentRun() ?? new Date()).catch((error) =>
          this.logger.error("scheduled bill acceptance failed", { error }),
        );
      },
    );
  }

  /** One scheduled tick: accepts the previous month's bills unless another process has this tick. */
  async tick(at: Date): Promise<BillingRun | null> {
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    const { year, month } = previousMonth(at);
    // One instance takes the tick (lock and claim); the run key still keeps a tick from running twice.
    const outcome = await this.track(
      runScheduled(this.db, "codex:billing-acceptance", minute.getTime(), () =>
        runAcceptance(this.db, { year, month, triggeredBy: "scheduler", runKey: `scheduled:${minute.toISOString()}` }),
      ),
    );
    const run = outcome.ran ? outcome.value : null;
    if (run)
      this.logger.info("scheduled bill acceptance", {
        run: run.id,
        status: run.status,
        accepted: run.accepted,
        skipped: run.skipped,
      });
    else
      this.logger.info("scheduled bill acceptance skipped: another process ran this tick", {
        at: minute.toISOString(),
      });
    return run;
  }

  /** A run started by a person (or a service), for any month that has started. */
  async runNow(year: number, month: number, who: string): Promise<BillingRun> {
    return (await this.track(
      runAcceptance(this.db, { year, month, triggeredBy: who, runKey: `manual:${crypto.randomUUID()}` }),
    ))!;
  }

  view(): Schedule & { nextRuns: Date[] } {
    const schedule = this.schedule;
    return {
      ...schedule,
      nextRuns: this.timer ? nextRuns(schedule.cron, 3, new Date(), schedule.timezone) : [],
    };
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }

  private disarm(): void {
    this.timer?.stop();
    this.timer = null;
  }

  /** Stops the timer and waits (bounded) for a run in progress, so its row is final. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.disarm();
    await Promise.race([Promise.allSettled([...this.running]), Bun.sleep(timeoutMs)]);
  }
}
