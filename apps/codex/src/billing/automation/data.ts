import { z } from "zod";
import { and, desc, eq, lt } from "drizzle-orm";
import { Cron } from "croner";
import { isUniqueViolation, transaction } from "@hivematrix/lib/db";
import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb } from "../deps.ts";
import type { BillingRun } from "../db/schema.ts";
import { writeAudit, type Actor } from "../shared/data-audit.ts";
import { cronProblem, nextRuns } from "../integrations/scheduler.ts";
import { acceptMonth } from "./bills.ts";

/**
 * Scheduled acceptance: on a cron, accept every bill of the month before the tick (UTC months,
 * as billing counts them). Each run is a billing_runs row. A run's key is unique: a scheduled
 * tick's key is its minute, so two Codex processes on one database firing the same tick insert
 * the same key and only one runs; acceptance itself skips bills accepted already, so running a
 * month again (the next tick, "run now") never duplicates one.
 */

const SETTING_KEY = "billing_acceptance_schedule";
/** A run still "running" after this long belongs to a process that stopped. */
const STALE_RUN_MS = 60 * 60_000;

export const scheduleSchema = z
  .object({
    enabled: z.boolean(),
    cron: z.string().trim().min(1, "Required.").max(100),
    /** IANA zone the cron expression is read in; null: the server's. */
    timezone: z
      .preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), z.string().trim().max(100).nullable())
      .default(null),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.timezone) {
      try {
        new Intl.DateTimeFormat("en", { timeZone: v.timezone });
      } catch {
        ctx.addIssue({
          code: "custom",
          path: ["timezone"],
          message: "Not a time zone (e.g. Europe/London, America/New_York).",
        });
        return;
      }
    }
    const problem = cronProblem(v.cron, v.timezone);
    if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: `Not a cron expression: ${problem}.` });
  });
export type Schedule = z.infer<typeof scheduleSchema>;
export const DEFAULT_SCHEDULE: Schedule = { enabled: false, cron: "0 6 1 * *", timezone: null };

export interface StoredSchedule {
  schedule: Schedule;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export async function readSchedule(h: CodexDb): Promise<StoredSchedule> {
  const t = h.t.appSettings;
  const [row] = await h.db.select().from(t).where(eq(t.key, SETTING_KEY));
  const parsed = scheduleSchema.safeParse(row?.value ?? DEFAULT_SCHEDULE);
  return {
    schedule: parsed.success ? parsed.data : DEFAULT_SCHEDULE,
    updatedBy: row?.updatedBy ?? null,
    updatedAt: row?.updatedAt ?? null,
  };
}

export async function writeSchedule(h: CodexDb, schedule: Schedule, actor: Actor): Promise<void> {
  const t = h.t.appSettings;
  const before = await readSchedule(h);
  const now = new Date();
  const value = { ...schedule } as Record<string, unknown>;
  await transaction(h, async (tx) => {
    await tx
      .insert(t)
      .values({ key: SETTING_KEY, value, updatedBy: actor.name, updatedAt: now })
      .onConflictDoUpdate({ target: t.key, set: { value, updatedBy: actor.name, updatedAt: now } });
    await writeAudit(tx, h, actor, [
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

/** The month before the one `at` falls in (UTC). */
export function previousMonth(at: Date): { year: number; month: number } {
  const m = at.getUTCMonth();
  return m === 0 ? { year: at.getUTCFullYear() - 1, month: 12 } : { year: at.getUTCFullYear(), month: m };
}

export function runJson(r: BillingRun) {
  return {
    id: r.id,
    year: r.year,
    month: r.month,
    triggered_by: r.triggeredBy,
    status: r.status,
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
    accepted: r.accepted,
    skipped: r.skipped,
    empty: r.empty,
    failed: r.failed,
    output: r.output,
    error: r.error,
  };
}

export async function listRuns(h: CodexDb, limit = 20): Promise<BillingRun[]> {
  return h.db
    .select()
    .from(h.t.billingRuns)
    .orderBy(desc(h.t.billingRuns.startedAt), desc(h.t.billingRuns.id))
    .limit(limit);
}

/**
 * Accepts a month's bills as one recorded run. Resolves null, doing nothing, when a run with
 * this key exists (another process took this tick).
 */
export async function runAcceptance(
  h: CodexDb,
  o: { year: number; month: number; triggeredBy: string; runKey: string; now?: Date },
): Promise<BillingRun | null> {
  const t = h.t.billingRuns;
  const now = o.now ?? new Date();
  await h.db
    .update(t)
    .set({ status: "failed", finishedAt: now, error: "interrupted: the process running it stopped" })
    .where(and(eq(t.status, "running"), lt(t.startedAt, new Date(now.getTime() - STALE_RUN_MS))));
  let run: BillingRun;
  try {
    [run] = (await h.db
      .insert(t)
      .values({
        runKey: o.runKey,
        year: o.year,
        month: o.month,
        triggeredBy: o.triggeredBy,
        status: "running",
        startedAt: now,
      })
      .returning()) as [BillingRun];
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
  let finish: Partial<BillingRun>;
  try {
    const out = await acceptMonth(h, o.year, o.month, { name: o.triggeredBy }, now);
    const lines = [
      ...out.accepted.map((n) => `accepted ${n}`),
      ...out.failed.map((f) => `failed ${f.account_number}: ${f.error}`),
    ];
    finish = {
      status: out.failed.length ? "failed" : "succeeded",
      accepted: out.accepted.length,
      skipped: out.skipped,
      empty: out.empty,
      failed: out.failed.length,
      output: lines.join("\n").slice(0, 20_000) || null,
      error: out.failed.length ? `${out.failed.length} bill(s) could not be accepted.` : null,
    };
  } catch (e) {
    finish = { status: "failed", error: e instanceof Error ? e.message : String(e) };
  }
  const [done] = await h.db
    .update(t)
    .set({ ...finish, finishedAt: new Date() })
    .where(eq(t.id, run.id))
    .returning();
  return done ?? run;
}

/**
 * This process's billing scheduler: one croner timer from the stored schedule, rebuilt when
 * it changes; armed at start-up and stopped on shutdown, like the integrations' scheduler.
 */
export class BillingAutomation {
  private timer: Cron | null = null;
  private schedule: Schedule = DEFAULT_SCHEDULE;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly h: CodexDb,
    private readonly logger: Logger,
  ) {}

  /** Reads the schedule and (re)arms the timer. */
  async apply(): Promise<void> {
    this.disarm();
    this.schedule = (await readSchedule(this.h)).schedule;
    const s = this.schedule;
    if (!s.enabled) return;
    const problem = cronProblem(s.cron, s.timezone);
    if (problem) {
      this.logger.warn("billing schedule ignored: bad cron expression", { cron: s.cron, problem });
      return;
    }
    this.timer = new Cron(
      s.cron,
      { ...(s.timezone ? { timezone: s.timezone } : {}), catch: true, unref: true },
      async (self: Cron) => {
        await this.tick(self.currentRun() ?? new Date()).catch((e) =>
          this.logger.error("scheduled bill acceptance failed", { error: e }),
        );
      },
    );
  }

  /** One scheduled tick: accepts the previous month's bills unless another process has this tick. */
  async tick(at: Date): Promise<BillingRun | null> {
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    const { year, month } = previousMonth(at);
    const run = await this.track(
      runAcceptance(this.h, { year, month, triggeredBy: "scheduler", runKey: `scheduled:${minute.toISOString()}` }),
    );
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
      runAcceptance(this.h, { year, month, triggeredBy: who, runKey: `manual:${crypto.randomUUID()}` }),
    ))!;
  }

  view(): Schedule & { nextRuns: Date[] } {
    const s = this.schedule;
    return { ...s, nextRuns: this.timer ? nextRuns(s.cron, 3, new Date(), s.timezone) : [] };
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p)).catch(() => undefined);
    return p;
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
