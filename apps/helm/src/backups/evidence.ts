import type { HelmDb } from "../deps.ts";
import { listArchives } from "./archives.ts";
import { lastRuns } from "./data.ts";

/** What the audit and the services page say about backups. */
export interface BackupEvidence {
  folder: string;
  /** The newest successful backup: an archive in the folder (a terminal's or Helm's) or one Helm recorded. */
  lastSuccess: Date | null;
  /** Helm's newest backup, when it failed after the last success. */
  lastFailure: { at: Date; message: string } | null;
}

/**
 * Backups are seen in the backup folder (every backup written there, from Helm, cron or a
 * terminal) and in Helm's records when its database is at hand (the reason a backup failed).
 */
export async function backupEvidence(folder: string, db: HelmDb | null): Promise<BackupEvidence> {
  const newest = listArchives(folder)[0]?.createdAt ?? null;
  const runs = db ? await lastRuns(db) : { last: null, success: null };
  const recorded = runs.success?.startedAt ?? null;
  const times = [newest, recorded].filter((at): at is Date => at !== null).map((at) => at.getTime());
  const lastSuccess = times.length ? new Date(Math.max(...times)) : null;
  const failed = runs.last?.outcome === "failed" && (!lastSuccess || runs.last.startedAt > lastSuccess);
  return {
    folder,
    lastSuccess,
    lastFailure: failed ? { at: runs.last!.startedAt, message: runs.last!.message ?? "no reason recorded" } : null,
  };
}
