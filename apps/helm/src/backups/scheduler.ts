import { Cron } from "croner";
import type { Logger } from "@hivematrix/lib/log";
import { runScheduled } from "@hivematrix/lib/scheduled-jobs";
import type { HelmDb } from "../deps.ts";
import { CRON_OPTIONS } from "./json.ts";
import type { BackupRunner } from "./runner.ts";

/** Who scheduled backups are recorded as. */
export const SCHEDULE_ACTOR = "schedule";

/**
 * Runs a backup at each time of the admin's cron schedule (croner, in UTC). A time that comes
 * while a backup still runs is skipped, not queued. `apply` replaces the schedule at once.
 */
export function createBackupScheduler(runner: BackupRunner, logger: Logger, db: HelmDb) {
  let job: Cron | null = null;

  const tick = async (self: Cron) => {
    const at = (self.currentRun() ?? new Date()).getTime();
    try {
      // One of Helm's instances takes each scheduled time; the lock is held while the backup starts.
      const outcome = await runScheduled(db, "helm:backup", at, () => runner.start("schedule", SCHEDULE_ACTOR));
      if (!outcome.ran) logger.info(`scheduled backup skipped here: ${outcome.reason}`);
      else if (outcome.value === null) logger.warn("scheduled backup skipped: the previous backup is still running");
    } catch (e) {
      logger.error("scheduled backup could not start", { error: e });
    }
  };

  return {
    apply(cron: string | null): void {
      job?.stop();
      job = cron ? new Cron(cron, CRON_OPTIONS, tick) : null;
    },
    /** When the next scheduled backup begins; null without a schedule. */
    nextRun: (): Date | null => job?.nextRun() ?? null,
    stop(): void {
      job?.stop();
      job = null;
    },
  };
}

export type BackupScheduler = ReturnType<typeof createBackupScheduler>;
