import { inArray, lt } from "drizzle-orm";
import { readInt } from "@hivematrix/lib/config";
import { purgeIdempotencyKeys } from "@hivematrix/lib/idempotency";
import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb } from "../db/open.ts";

/** How long Codex keeps what only grows, read once at start-up (README "Codex"). */
export interface RetentionSettings {
  /** CODEX_AUDIT_RETENTION_DAYS: audit rows older than this are deleted. */
  auditRetentionDays: number;
  /** CODEX_PURGE_INTERVAL_SECONDS: how often (also at start). */
  purgeIntervalMs: number;
}

export function loadRetentionSettings(env: Record<string, string | undefined> = process.env): RetentionSettings {
  return {
    auditRetentionDays: readInt(env, "CODEX_AUDIT_RETENTION_DAYS", 400, 1, 36_500),
    purgeIntervalMs: readInt(env, "CODEX_PURGE_INTERVAL_SECONDS", 3_600, 1, 86_400) * 1000,
  };
}

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
