import { Cron } from "croner";
import { z } from "zod";
import { BACKUP_OUTCOMES, BACKUP_TRIGGERS, type BackupRunRow } from "../db/schema.ts";

/** Crontab's five fields, read in UTC (Helm's pages show every time in UTC). */
export const CRON_OPTIONS = { mode: "5-part", timezone: "Etc/UTC" } as const;

/** Whether croner reads `expression` as a five-field schedule; the reason when it does not. */
export function cronProblem(expression: string): string | null {
  try {
    new Cron(expression, { ...CRON_OPTIONS, paused: true }).stop();
    return null;
  } catch (e) {
    return `not a five-field cron expression (${(e as Error).message})`;
  }
}

const cronField = z
  .string()
  .trim()
  .max(100)
  .superRefine((value, ctx) => {
    const problem = value === "" ? null : cronProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform((value) => value || null);

const keep = (max: number) => z.coerce.number().int().min(0).max(max);

/** The schedule an admin sets: an empty cron turns scheduled backups off. */
export const scheduleInput = z
  .object({
    cron: cronField.meta({ description: 'Minute hour day month weekday, in UTC, e.g. "0 2 * * *"; "" turns it off' }),
    keep_daily: keep(366).meta({ description: "Keep the newest backup of each of this many most recent days" }),
    keep_weekly: keep(520).meta({ description: "…and of each of this many most recent weeks (ISO weeks, UTC)" }),
  })
  .strict()
  .refine((s) => s.keep_daily + s.keep_weekly > 0, {
    message: "Keep at least one backup (daily or weekly).",
    path: ["keep_daily"],
  });

export type ScheduleInput = z.infer<typeof scheduleInput>;

export const scheduleSchema = z
  .object({
    cron: z.string().nullable().meta({ description: "Null: no scheduled backups" }),
    keep_daily: z.number().int(),
    keep_weekly: z.number().int(),
    next_run: z.iso.datetime().nullable(),
    updated_at: z.iso.datetime().nullable(),
    updated_by: z.string().nullable(),
  })
  .meta({ id: "BackupSchedule" });

export const backupRunSchema = z
  .object({
    id: z.number().int(),
    started_at: z.iso.datetime(),
    finished_at: z.iso.datetime().nullable(),
    trigger: z.enum(BACKUP_TRIGGERS),
    actor: z.string(),
    outcome: z.enum(BACKUP_OUTCOMES),
    file: z.string().nullable().meta({ description: "The archive's name in the backup folder" }),
    bytes: z.number().nullable(),
    duration_ms: z.number().int().nullable(),
    message: z.string().nullable(),
  })
  .meta({ id: "BackupRun" });

export type BackupRunJson = z.infer<typeof backupRunSchema>;

export function runJson(row: BackupRunRow): BackupRunJson {
  return {
    id: row.id,
    started_at: row.startedAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
    trigger: row.trigger,
    actor: row.actor,
    outcome: row.outcome,
    file: row.file,
    bytes: row.bytes,
    duration_ms: row.durationMs,
    message: row.message,
  };
}

export const progressSchema = z
  .object({
    run_id: z.number().int(),
    phase: z.enum(["starting", "copy", "archive"]),
    item: z.string().nullable().meta({ description: "The database being copied" }),
    percent: z.number().nullable(),
  })
  .meta({ id: "BackupProgress" });

export type ProgressJson = z.infer<typeof progressSchema>;

export const archiveSchema = z
  .object({ name: z.string(), bytes: z.number(), created_at: z.iso.datetime() })
  .meta({ id: "BackupArchive" });

export const backupsStatusSchema = z.object({
  folder: z.string().meta({ description: "HIVEMATRIX_BACKUP_DIR" }),
  running: progressSchema.nullable().meta({ description: "The backup under way, if any" }),
  schedule: scheduleSchema,
  last_success: z.iso.datetime().nullable().meta({ description: "The newest backup in the folder, or Helm's" }),
  runs: z.array(backupRunSchema).meta({ description: "Helm's recent backups, newest first" }),
  archives: z.array(archiveSchema).meta({ description: "The archives in the backup folder, newest first" }),
});

/** An archive's name as backups write it; nothing else in the folder is listed, served or deleted. */
export const ARCHIVE_NAME = /^hivematrix-(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})Z(-\d+)?\.tar\.gz\.age$/;

export const archiveParams = z.object({ name: z.string().max(100).regex(ARCHIVE_NAME, "a backup archive's name") });
