import { and, eq } from "drizzle-orm";
import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb } from "../../deps.ts";
import type { JobReport } from "./report.ts";

/**
 * Writes a running job's counts and log to its row, and its live state (phase, current wait) to
 * its lock row, which exists exactly while it runs. One write at a time; a request made while one
 * is under way is folded into the next. `idle` resolves once nothing is pending.
 */
export function progressWriter(db: CodexDb, key: string, jobId: string, report: JobReport, log: Logger) {
  let running: Promise<void> | null = null;
  let again = false;
  const write = async () => {
    const jobs = db.t.syncJobs;
    const locks = db.t.integrationSettings;
    await db.db
      .update(jobs)
      .set({ counts: { ...report.counts }, output: report.output() || null })
      .where(and(eq(jobs.id, jobId), eq(jobs.status, "running")));
    await db.db
      .update(locks)
      .set({ settings: { ...report.live() } })
      .where(and(eq(locks.provider, key), eq(locks.updatedBy, jobId)));
  };
  const flush = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = write()
      .catch((e) => log.warn("sync progress not recorded", { job: jobId, error: e }))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          flush();
        }
      });
  };
  const idle = async () => {
    while (running) await running;
  };
  return { flush, idle };
}
