import { basename } from "node:path";
import type { BackupProgress } from "@hivematrix/lib/backup";
import { OperationRefused } from "@hivematrix/lib/backup/errors";
import type { InstallLayout } from "@hivematrix/lib/backup/layout";
import type { BackupSettings } from "@hivematrix/lib/backup/settings";
import type { Logger } from "@hivematrix/lib/log";
import type { BackupRunRow } from "../db/schema.ts";
import type { HelmDb } from "../deps.ts";
import { applyRetention } from "./archives.ts";
import { finishRun, insertRun, readSchedule } from "./data.ts";
import type { ProgressJson } from "./json.ts";

export interface RunnerOptions {
  db: HelmDb;
  logger: Logger;
  layout: InstallLayout;
  settings: BackupSettings;
}

const percent = (done: number, total: number) => (total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null);

function progressOf(runId: number, p: BackupProgress): ProgressJson {
  if (p.phase === "copy") return { run_id: runId, phase: "copy", item: p.item, percent: percent(p.done, p.total) };
  return { run_id: runId, phase: "archive", item: null, percent: percent(p.done, p.total) };
}

/**
 * Runs lib's backup inside Helm, one at a time, in the background: a request only starts it.
 * Each run is recorded (who, when, the archive or why not); after a success the schedule's
 * retention deletes the archives it no longer keeps. A backup from a terminal at the same
 * moment is refused by lib's lock, and recorded as failed with lib's message.
 */
export function createBackupRunner(options: RunnerOptions) {
  const { db, logger } = options;
  let current: ProgressJson | null = null;
  let finished: Promise<void> = Promise.resolve();

  const retention = async (): Promise<string | null> => {
    const schedule = await readSchedule(db);
    if (!schedule) return null;
    const deleted = applyRetention(options.settings.dir, schedule.keepDaily, schedule.keepWeekly);
    if (deleted.length === 0) return null;
    logger.info(`backup retention deleted ${deleted.length} archive(s)`, { deleted });
    return `Retention deleted ${deleted.length} older backup${deleted.length === 1 ? "" : "s"}: ${deleted.join(", ")}`;
  };

  const run = async (id: number, trigger: BackupRunRow["trigger"]) => {
    try {
      // The archive code (age encryption, tar) is loaded with the first backup, not at Helm's start.
      const { runBackup } = await import("@hivematrix/lib/backup");
      const result = await runBackup({
        layout: options.layout,
        settings: options.settings,
        onProgress: (p) => (current = progressOf(id, p)),
      });
      const message = await retention().catch((e: unknown) => `Retention failed: ${(e as Error).message}`);
      await finishRun(db, id, {
        outcome: "succeeded",
        file: basename(result.file),
        bytes: result.bytes,
        durationMs: result.durationMs,
        message,
      });
      logger.info(`backup written: ${result.file}`, { trigger, bytes: result.bytes, duration_ms: result.durationMs });
    } catch (e) {
      // A refusal is lib's one line for people (no key yet, a busy lock); anything else is a bug worth its stack.
      const message = e instanceof OperationRefused ? e.message : `The backup failed: ${(e as Error).message}`;
      if (e instanceof OperationRefused) logger.warn(`backup refused: ${message}`, { trigger });
      else logger.error("backup failed", { trigger, error: e });
      await finishRun(db, id, { outcome: "failed", file: null, bytes: null, durationMs: null, message }).catch(
        (error: unknown) => logger.error("cannot record a backup's end", { error }),
      );
    } finally {
      current = null;
    }
  };

  return {
    /** Starts a backup and returns its run id at once; null while another one runs. */
    async start(trigger: BackupRunRow["trigger"], actor: string): Promise<number | null> {
      if (current) return null;
      // Taken before the first await, so a second click in the same instant finds it taken.
      current = { run_id: 0, phase: "starting", item: null, percent: null };
      let id: number;
      try {
        id = await insertRun(db, { trigger, actor });
      } catch (e) {
        current = null;
        throw e;
      }
      current = { ...current, run_id: id };
      logger.info(`backup started by ${actor}`, { trigger, run: id });
      finished = run(id, trigger);
      return id;
    },
    /** The backup under way, or null. */
    progress: (): ProgressJson | null => current,
    /** Settles once the backup under way (if any) has ended and been recorded. */
    idle: (): Promise<void> => finished,
  };
}

export type BackupRunner = ReturnType<typeof createBackupRunner>;
