import { inArray, lt } from "drizzle-orm";
import { purgeIdempotencyKeys } from "@hivematrix/lib/idempotency";
import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb, RetentionSettings } from "../deps.ts";

// Deleted a batch at a time, so a first purge of years of rows stays within the statement timeout.
const BATCH = 5_000;

/** Deletes audit rows from before `days` ago; returns how many. */
export async function purgeAuditLog(h: CodexDb, days: number, now = new Date()): Promise<number> {
  const t = h.t.auditLog;
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  let total = 0;
  for (;;) {
    const old = h.db.select({ id: t.id }).from(t).where(lt(t.at, cutoff)).limit(BATCH);
    const gone = await h.db.delete(t).where(inArray(t.id, old)).returning({ id: t.id });
    total += gone.length;
    if (gone.length < BATCH) return total;
  }
}

/** Purges old audit rows and expired Idempotency-Keys now and on a timer; `stop()` ends it. */
export function startRetention(h: CodexDb, settings: RetentionSettings, logger: Logger): { stop(): void } {
  const run = async () => {
    if (!h.ready) return;
    try {
      const audit = await purgeAuditLog(h, settings.auditRetentionDays);
      const keys = await purgeIdempotencyKeys(h);
      if (audit || keys)
        logger.info("retention: deleted old rows", {
          audit_rows: audit,
          retention_days: settings.auditRetentionDays,
          idempotency_keys: keys,
        });
    } catch (e) {
      logger.error("retention purge failed", { error: e });
    }
  };
  const timer = setInterval(run, settings.purgeIntervalMs);
  void h.whenReady.then(run, () => {});
  return { stop: () => clearInterval(timer) };
}
