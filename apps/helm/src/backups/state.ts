import type { z } from "zod";
import type { Deps } from "../deps.ts";
import { listArchives } from "./archives.ts";
import type { BackupScheduleRow } from "../db/schema.ts";
import { readSchedule, recentRuns, saveSchedule } from "./data.ts";
import { backupEvidence } from "./evidence.ts";
import { type backupsStatusSchema, runJson, type ScheduleInput, type scheduleSchema } from "./json.ts";

export type BackupsStatus = z.infer<typeof backupsStatusSchema>;
type ScheduleJson = z.infer<typeof scheduleSchema>;

function scheduleJson(row: BackupScheduleRow | null, nextRun: Date | null): ScheduleJson {
  return {
    cron: row?.cron ?? null,
    keep_daily: row?.keepDaily ?? DEFAULT_KEEP.daily,
    keep_weekly: row?.keepWeekly ?? DEFAULT_KEEP.weekly,
    next_run: nextRun?.toISOString() ?? null,
    updated_at: row?.updatedAt.toISOString() ?? null,
    updated_by: row?.updatedBy ?? null,
  };
}

/** Saves an admin's schedule and puts it in force at once. */
export async function changeSchedule(
  deps: Pick<Deps, "db" | "backups">,
  input: ScheduleInput,
  actor: string,
): Promise<ScheduleJson> {
  const saved = await saveSchedule(deps.db, {
    cron: input.cron,
    keepDaily: input.keep_daily,
    keepWeekly: input.keep_weekly,
    updatedBy: actor,
  });
  deps.backups.scheduler.apply(saved.cron);
  return scheduleJson(saved, deps.backups.scheduler.nextRun());
}

/** Everything the backups page and GET /api/backups show: the run under way, the schedule, runs and archives. */
export async function backupsStatus(deps: Pick<Deps, "db" | "settings" | "backups">): Promise<BackupsStatus> {
  const folder = deps.settings.backup.dir;
  const [schedule, runs, evidence] = await Promise.all([
    readSchedule(deps.db),
    recentRuns(deps.db),
    backupEvidence(folder, deps.db),
  ]);
  return {
    folder,
    running: deps.backups.runner.progress(),
    schedule: scheduleJson(schedule, deps.backups.scheduler.nextRun()),
    last_success: evidence.lastSuccess?.toISOString() ?? null,
    runs: runs.map(runJson),
    archives: listArchives(folder).map((archive) => ({
      name: archive.name,
      bytes: archive.bytes,
      created_at: archive.createdAt.toISOString(),
    })),
  };
}

/** What the schedule form offers before an admin has saved one (retention applies only once saved). */
export const DEFAULT_KEEP = { daily: 7, weekly: 4 } as const;
