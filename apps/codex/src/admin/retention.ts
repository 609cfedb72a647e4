import { purgeIdempotencyKeys } from "@hivematrix/lib/idempotency";
import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb, RetentionSettings } from "../deps.ts";
import { purgeAuditLog } from "./data-retention.ts";

/** Purges old audit rows and expired Idempotency-Keys now and on a timer; `stop()` ends it. */
export function startRetention(db: CodexDb, settings: RetentionSettings, logger: Logger): { stop(): void } {
  const run = async () => {
    if (!db.ready) return;
    try {
      const audit = await purgeAuditLog(db, settings.auditRetentionDays);
      const keys = await purgeIdempotencyKeys(db);
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
  void db.whenReady.then(run, () => {});
  return { stop: () => clearInterval(timer) };
}
