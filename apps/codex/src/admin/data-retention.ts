import { inArray, lt } from "drizzle-orm";
import type { CodexDb } from "../deps.ts";

// Deleted a batch at a time, so a first purge of years of rows stays within the statement timeout.
const BATCH = 5_000;

/** Deletes audit rows from before `days` ago; returns how many. */
export async function purgeAuditLog(db: CodexDb, days: number, now = new Date()): Promise<number> {
  const audit = db.t.auditLog;
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  let total = 0;
  for (;;) {
    const old = db.db.select({ id: audit.id }).from(audit).where(lt(audit.at, cutoff)).limit(BATCH);
    const gone = await db.db.delete(audit).where(inArray(audit.id, old)).returning({ id: audit.id });
    total += gone.length;
    if (gone.length < BATCH) return total;
  }
}
