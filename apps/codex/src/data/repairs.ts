import { and, isNull, lte } from "drizzle-orm";
import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb } from "../deps.ts";

/** How many merges one log line lists; the rest are counted. */
const LISTED = 50;

/**
 * Logs, once, what migrations repaired (e.g. duplicate assets merged when company + hostname
 * became unique), one line per migration and kind of record, so the admin sees it at start-up.
 */
export async function reportDataRepairs(h: CodexDb, logger: Logger): Promise<number> {
  const t = h.t.dataRepairs;
  const rows = await h.db.select().from(t).where(isNull(t.reportedAt)).orderBy(t.id);
  if (rows.length === 0) return 0;
  const groups = new Map<string, typeof rows>();
  for (const r of rows) {
    const k = `${r.migration}\u0000${r.entity}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  }
  for (const list of groups.values()) {
    const { migration, entity } = list[0]!;
    const removed = list.reduce((n, r) => n + r.removed, 0);
    logger.warn(`database repair: ${removed} duplicate ${entity} records merged into ${list.length}`, {
      migration,
      entity,
      kept: list.length,
      removed,
      merges: list.slice(0, LISTED).map((r) => ({ kept_id: r.keptId, removed: r.removed, detail: r.detail })),
      not_listed: Math.max(0, list.length - LISTED),
    });
  }
  await h.db
    .update(t)
    .set({ reportedAt: new Date() })
    .where(and(isNull(t.reportedAt), lte(t.id, rows.at(-1)!.id)));
  return rows.length;
}
