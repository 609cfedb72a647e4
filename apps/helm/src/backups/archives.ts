import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ARCHIVE_NAME } from "./json.ts";

/** A backup archive in the backup folder; its time is the one in its name (when the backup began). */
export interface Archive {
  name: string;
  bytes: number;
  createdAt: Date;
}

/** The time in an archive's name, or null for any other file. */
export function archiveTime(name: string): Date | null {
  const m = ARCHIVE_NAME.exec(name);
  if (!m) return null;
  const [, year, month, day, hour, minute, second] = m.map(Number) as number[];
  return new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
}

/** The archives in `folder`, newest first; an absent folder has none. Partial files are never listed. */
export function listArchives(folder: string): Archive[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const archives: Archive[] = [];
  for (const name of names) {
    const createdAt = archiveTime(name);
    const stat = createdAt ? statSync(join(folder, name), { throwIfNoEntry: false }) : undefined;
    if (createdAt && stat?.isFile()) archives.push({ name, bytes: stat.size, createdAt });
  }
  // Two backups begun in the same second are -1 (no suffix), -2 and so on, in the order they were made.
  const suffix = (archive: Archive) => Number(ARCHIVE_NAME.exec(archive.name)?.[7]?.slice(1) ?? 1);
  return archives.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || suffix(b) - suffix(a));
}

/** Monday of the ISO week of `at`, in UTC, as a key. */
function weekOf(at: Date): string {
  const monday = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  return monday.toISOString().slice(0, 10);
}

/**
 * Which archives retention deletes: kept are the newest of each of the `keepDaily` most recent
 * days that have a backup, and the newest of each of the `keepWeekly` most recent weeks (UTC).
 * `archives` is newest first.
 */
export function expiredArchives(archives: Archive[], keepDaily: number, keepWeekly: number): Archive[] {
  const kept = new Set<string>();
  const keepNewestPer = (key: (at: Date) => string, count: number) => {
    const periods = new Set<string>();
    for (const archive of archives) {
      const period = key(archive.createdAt);
      if (periods.has(period)) continue;
      if (periods.size >= count) break;
      periods.add(period);
      kept.add(archive.name);
    }
  };
  keepNewestPer((at) => at.toISOString().slice(0, 10), keepDaily);
  keepNewestPer(weekOf, keepWeekly);
  return archives.filter((archive) => !kept.has(archive.name));
}

/** Deletes what retention lets go of in `folder`; the names deleted. */
export function applyRetention(folder: string, keepDaily: number, keepWeekly: number): string[] {
  const expired = expiredArchives(listArchives(folder), keepDaily, keepWeekly);
  for (const archive of expired) rmSync(join(folder, archive.name), { force: true });
  return expired.map((archive) => archive.name);
}
