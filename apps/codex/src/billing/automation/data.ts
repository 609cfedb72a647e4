import { and, desc, eq, lt } from "drizzle-orm";
import { isUniqueViolation, transaction } from "@hivematrix/lib/db";
import type { BillingRun } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { type Actor, writeAudit } from "../../shared/data-audit.ts";
import { acceptMonth } from "../bills/data.ts";
import { DEFAULT_SCHEDULE, type Schedule, scheduleSchema } from "./json.ts";

/**
 * Scheduled acceptance's records: the schedule (an app setting) and the runs. Each run is a
 * billing_runs row whose key is unique: a scheduled tick's key is its minute, so two Codex
 * processes on one database firing the same tick insert the same key and only one runs;
 * acceptance itself skips bills accepted already, so running a month again (the next tick,
 * "run now") never duplicates one.
 */

const SETTING_KEY = "billing_acceptance_schedule";
/** A run still "running" after this long belongs to a process that stopped. */
const STALE_RUN_MS = 60 * 60_000;

export interface StoredSchedule {
  schedule: Schedule;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export async function readSchedule(db: CodexDb): Promise<StoredSchedule> {
  const table = db.t.appSettings;
  const [row] = await db.db.select().from(table).where(eq(table.key, SETTING_KEY));
  const parsed = scheduleSchema.safeParse(row?.value ?? DEFAULT_SCHEDULE);
  return {
    schedule: parsed.success ? parsed.data : DEFAULT_SCHEDULE,
    updatedBy: row?.updatedBy ?? null,
    updatedAt: row?.updatedAt ?? null,
  };
}

export async function writeSchedule(db: CodexDb, schedule: Schedule, actor: Actor): Promise<void> {
  const table = db.t.appSettings;
  const before = await readSchedule(db);
  const now = new Date();
  const value = { ...schedule } as Record<string, unknown>;
  await transaction(db, async (tx) => {
    await tx
      .insert(table)
      .values({ key: SETTING_KEY, value, updatedBy: actor.name, updatedAt: now })
      .onConflictDoUpdate({ target: table.key, set: { value, updatedBy: actor.name, updatedAt: now } });
    await writeAudit(tx, db, actor, [
      {
        action: before.updatedAt ? "update" : "create",
        entity: "billing_setting",
        entityId: SETTING_KEY,
        before: before.updatedAt ? before.schedule : null,
        after: value,
      },
    ]);
  });
}

/** The latest runs, newest first. */
export async function listRuns(db: CodexDb, limit = 20): Promise<BillingRun[]> {
  const runs = db.t.billingRuns;
  return db.db.select().from(runs).orderBy(desc(runs.startedAt), desc(runs.id)).limit(limit);
}

export async function findRun(db: CodexDb, id: number): Promise<BillingRun | null> {
  const [run] = await db.db.select().from(db.t.billingRuns).where(eq(db.t.billingRuns.id, id));
  return run ?? null;
}

/**
 * Accepts a month's bills as one recorded run. Resolves null, doing nothing, when a run with
 * this key exists (another process took this tick).
 */
export async function runAcceptance(
  db: CodexDb,
  options: { year: number; month: number; triggeredBy: string; runKey: string; now?: Date },
): Promise<BillingRun | null> {
  const runs = db.t.billingRuns;
  const now = options.now ?? new Date();
  await db.db
    .update(runs)
    .set({ status: "failed", finishedAt: now, error: "interrupted: the process running it stopped" })
    .where(and(eq(runs.status, "running"), lt(runs.startedAt, new Date(now.getTime() - STALE_RUN_MS))));
  let run: BillingRun;
  try {
    [run] = (await db.db
      .insert(runs)
      .values({
        runKey: options.runKey,
        year: options.year,
        month: options.month,
        triggeredBy: options.triggeredBy,
        status: "running",
        startedAt: now,
      })
      .returning()) as [BillingRun];
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  let finish: Partial<BillingRun>;
  try {
    const outcome = await acceptMonth(db, options.year, options.month, { name: options.triggeredBy }, now);
    const lines = [
      ...outcome.accepted.map((invoice) => `accepted ${invoice}`),
      ...outcome.failed.map((failure) => `failed ${failure.account_number}: ${failure.error}`),
    ];
    finish = {
      status: outcome.failed.length ? "failed" : "succeeded",
      accepted: outcome.accepted.length,
      skipped: outcome.skipped,
      empty: outcome.empty,
      failed: outcome.failed.length,
      output: lines.join("\n").slice(0, 20_000) || null,
      error: outcome.failed.length ? `${outcome.failed.length} bill(s) could not be accepted.` : null,
    };
  } catch (error) {
    finish = { status: "failed", error: error instanceof Error ? error.message : String(error) };
  }
  const [done] = await db.db
    .update(runs)
    .set({ ...finish, finishedAt: new Date() })
    .where(eq(runs.id, run.id))
    .returning();
  return done ?? run;
}
