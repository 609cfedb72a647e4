import { desc, eq, ne, type SQL } from "drizzle-orm";
import type { BackupRunRow, BackupScheduleRow } from "../db/schema.ts";
import type { HelmDb } from "../deps.ts";

/** The schedule's one row. */
const SCHEDULE_ID = 1;

export type NewRun = Pick<BackupRunRow, "trigger" | "actor">;
export type RunEnd = Pick<BackupRunRow, "outcome" | "file" | "bytes" | "durationMs" | "message">;

/** Records a backup that has just begun; its id. */
export async function insertRun(db: HelmDb, run: NewRun): Promise<number> {
  const [row] = await db.db
    .insert(db.t.backupRuns)
    .values({ ...run, startedAt: new Date(), outcome: "running" })
    .returning({ id: db.t.backupRuns.id });
  return row!.id;
}

export async function finishRun(db: HelmDb, id: number, end: RunEnd): Promise<void> {
  await db.db
    .update(db.t.backupRuns)
    .set({ ...end, finishedAt: new Date() })
    .where(eq(db.t.backupRuns.id, id));
}

/** Runs still marked running when Helm starts were cut short by its stop: they failed. */
export async function failInterruptedRuns(db: HelmDb): Promise<number> {
  const cut = await db.db
    .update(db.t.backupRuns)
    .set({ outcome: "failed", finishedAt: new Date(), message: "Helm stopped while this backup ran." })
    .where(eq(db.t.backupRuns.outcome, "running"))
    .returning({ id: db.t.backupRuns.id });
  return cut.length;
}

export function recentRuns(db: HelmDb, limit = 10): Promise<BackupRunRow[]> {
  return db.db.select().from(db.t.backupRuns).orderBy(desc(db.t.backupRuns.id)).limit(limit);
}

export async function findRun(db: HelmDb, id: number): Promise<BackupRunRow | null> {
  const [row] = await db.db.select().from(db.t.backupRuns).where(eq(db.t.backupRuns.id, id)).limit(1);
  return row ?? null;
}

/** The newest backup Helm finished (either way), and the newest that succeeded. */
export async function lastRuns(db: HelmDb): Promise<{ last: BackupRunRow | null; success: BackupRunRow | null }> {
  const runs = db.t.backupRuns;
  const newest = (outcome: SQL) => db.db.select().from(runs).where(outcome).orderBy(desc(runs.id)).limit(1);
  const [[last], [success]] = await Promise.all([
    newest(ne(runs.outcome, "running")),
    newest(eq(runs.outcome, "succeeded")),
  ]);
  return { last: last ?? null, success: success ?? null };
}

export async function readSchedule(db: HelmDb): Promise<BackupScheduleRow | null> {
  const [row] = await db.db.select().from(db.t.backupSchedule).where(eq(db.t.backupSchedule.id, SCHEDULE_ID)).limit(1);
  return row ?? null;
}

/** Writes the whole schedule in one statement (the last admin to save wins). */
export async function saveSchedule(
  db: HelmDb,
  schedule: Pick<BackupScheduleRow, "cron" | "keepDaily" | "keepWeekly" | "updatedBy">,
): Promise<BackupScheduleRow> {
  const values = { ...schedule, updatedAt: new Date() };
  const [row] = await db.db
    .insert(db.t.backupSchedule)
    .values({ id: SCHEDULE_ID, ...values })
    .onConflictDoUpdate({ target: db.t.backupSchedule.id, set: values })
    .returning();
  return row!;
}
