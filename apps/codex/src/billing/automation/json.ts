import { z } from "zod";
import type { BillingRun } from "../../db/schema.ts";
import { BILLING_RUN_STATUSES } from "../../db/schema.ts";
import { cronProblem } from "../../integrations/scheduler.ts";

/** Scheduled acceptance: its schedule, and the runs of month acceptance (scheduled and by hand). */

export const scheduleSchema = z
  .object({
    enabled: z.boolean(),
    cron: z.string().trim().min(1, "Required.").max(100),
    /** IANA zone the cron expression is read in; null: the server's. */
    timezone: z
      .preprocess(
        (value) => (typeof value === "string" && value.trim() === "" ? null : value),
        z.string().trim().max(100).nullable(),
      )
      .default(null),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.timezone) {
      try {
        new Intl.DateTimeFormat("en", { timeZone: value.timezone });
      } catch {
        ctx.addIssue({
          code: "custom",
          path: ["timezone"],
          message: "Not a time zone (e.g. Europe/London, America/New_York).",
        });
        return;
      }
    }
    const problem = cronProblem(value.cron, value.timezone);
    if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: `Not a cron expression: ${problem}.` });
  });
export type Schedule = z.infer<typeof scheduleSchema>;
export const DEFAULT_SCHEDULE: Schedule = { enabled: false, cron: "0 6 1 * *", timezone: null };

/** The schedule as the API answers it: with the next runs this process has armed, and who changed it. */
export const scheduleAnswer = z
  .object({
    enabled: z.boolean(),
    cron: z.string(),
    timezone: z.string().nullable(),
    next_runs: z.array(z.iso.datetime()),
    updated_by: z.string().nullable(),
    updated_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "BillingSchedule" });

export const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }).strict();

const count = z.number().int();
export const runSchema = z
  .object({
    id: count,
    year: count,
    month: count,
    triggered_by: z.string().meta({ description: '"scheduler", or who started it' }),
    status: z.enum(BILLING_RUN_STATUSES),
    started_at: z.iso.datetime(),
    finished_at: z.iso.datetime().nullable(),
    accepted: count,
    skipped: count.meta({ description: "Bills accepted already" }),
    empty: count.meta({ description: "Bills with nothing to charge" }),
    failed: count,
    output: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: "BillingRun" });
export type RunJson = z.infer<typeof runSchema>;

export function runJson(run: BillingRun): RunJson {
  return {
    id: run.id,
    year: run.year,
    month: run.month,
    triggered_by: run.triggeredBy,
    status: run.status,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    accepted: run.accepted,
    skipped: run.skipped,
    empty: run.empty,
    failed: run.failed,
    output: run.output,
    error: run.error,
  };
}

/** What a month-acceptance run did, in one sentence. */
export function runNotice(run: RunJson): string {
  const period = `${run.year}-${String(run.month).padStart(2, "0")}`;
  if (run.status === "failed" && run.accepted + run.skipped + run.empty === 0)
    return `Accepting ${period} failed: ${run.error ?? "unknown error"}`;
  const failed = run.failed ? `, ${run.failed} failed` : "";
  return (
    `${period}: ${run.accepted} bills accepted, ${run.skipped} were already accepted, ` +
    `${run.empty} had nothing to bill${failed}.`
  );
}
