import { purgeIdempotencyKeys } from "@hivematrix/lib/idempotency";
import type { Logger } from "@hivematrix/lib/log";
import { intervalTick, runScheduled } from "@hivematrix/lib/scheduled-jobs";
import type { CodexDb, RetentionSettings } from "../deps.ts";
import { knownStorageKeys } from "../tickets/attachments/data.ts";
import type { AttachmentStore } from "../tickets/attachments/store.ts";
import { purgeAuditLog } from "./data-retention.ts";

/**
 * An attachment's file younger than this may have its row still being written: the sweep leaves
 * it for the next run.
 */
const SWEEP_GRACE_MS = 60 * 60_000;

/**
 * Purges old audit rows and expired Idempotency-Keys now and on a timer, and removes attachment
 * files no row names (what a stop mid-write or mid-delete left), once per period across Codex's
 * instances; `stop()` ends it.
 */
export function startRetention(
  db: CodexDb,
  settings: RetentionSettings,
  attachments: AttachmentStore,
  logger: Logger,
): { stop(): void } {
  const run = async () => {
    if (!db.ready) return;
    try {
      const purged = await runScheduled(db, "codex:retention", intervalTick(settings.purgeIntervalMs), async () => ({
        audit: await purgeAuditLog(db, settings.auditRetentionDays),
        keys: await purgeIdempotencyKeys(db),
        files: await attachments.sweep((names) => knownStorageKeys(db, names), SWEEP_GRACE_MS),
      }));
      if (!purged.ran) return;
      const { audit, keys, files } = purged.value;
      if (audit || keys || files)
        logger.info("retention: deleted old rows", {
          audit_rows: audit,
          retention_days: settings.auditRetentionDays,
          idempotency_keys: keys,
          attachment_files: files,
        });
    } catch (e) {
      logger.error("retention purge failed", { error: e });
    }
  };
  const timer = setInterval(run, settings.purgeIntervalMs);
  void db.whenReady.then(run, () => {});
  return { stop: () => clearInterval(timer) };
}
