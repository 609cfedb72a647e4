import { purgeIdempotencyKeys } from "@hivematrix/lib/idempotency";
import type { Logger } from "@hivematrix/lib/log";
import { intervalTick, runScheduled } from "@hivematrix/lib/scheduled-jobs";
import type { CodexDb, RetentionSettings } from "../deps.ts";
import { purgeAuditLog } from "./data-retention.ts";

/**
 * Purges old audit rows and expired Idempotency-Keys now and on a timer, once per period across
 * Codex's instances; `stop()` ends it.
 */
export function startRetention(db: CodexDb, settings: RetentionSettings, logger: Logger): { stop(): void } {
  const run = async () => {
    if (!db.ready) return;
    try {
      const purged = await runScheduled(db, "codex:retention", intervalTick(settings.purgeIntervalMs), async () => ({
        audit: await purgeAuditLog(db, settings.auditRetentionDays),
        keys: await purgeIdempotencyKeys(db),
      }));
      if (!purged.ran) return;
      const { audit, keys } = purged.value;
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
