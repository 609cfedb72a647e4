import { and, inArray, isNotNull, isNull } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import type { CodexDb } from "../deps.ts";
import { chunks } from "../shared/data-common.ts";
import { writeAudit, type Actor, type AuditRecord } from "../shared/data-audit.ts";

export type StaleEntity = "company" | "asset";

/**
 * Marks records a complete provider fetch no longer returned as stale (from now), and clears
 * the mark on records it returned again. Records already in the wanted state are left alone,
 * so the audit log gets a row only for a real change. Nothing is deleted: a stale record keeps
 * its history, links and bills; lists hide it by default and bills stop counting stale assets.
 */
export async function setStale(
  h: CodexDb,
  entity: StaleEntity,
  ids: { stale: number[]; fresh: number[] },
  actor: Actor,
): Promise<{ marked: number; cleared: number }> {
  const table = entity === "company" ? h.t.companies : h.t.assets;
  const companyOf = (row: { id: number; companyId?: number }) => (entity === "company" ? row.id : row.companyId!);
  return transaction(h, async (tx) => {
    const now = new Date();
    const audits: AuditRecord[] = [];
    let marked = 0;
    let cleared = 0;
    for (const part of chunks([...new Set(ids.stale)], 500)) {
      const rows = await tx
        .update(table)
        .set({ staleSince: now })
        .where(and(inArray(table.id, part), isNull(table.staleSince)))
        .returning();
      marked += rows.length;
      for (const r of rows)
        audits.push({
          action: "update",
          entity,
          entityId: r.id,
          companyId: companyOf(r),
          before: { staleSince: null },
          after: { staleSince: now },
        });
    }
    for (const part of chunks([...new Set(ids.fresh)], 500)) {
      const before = await tx
        .select({ id: table.id, staleSince: table.staleSince })
        .from(table)
        .where(and(inArray(table.id, part), isNotNull(table.staleSince)));
      if (!before.length) continue;
      const rows = await tx
        .update(table)
        .set({ staleSince: null })
        .where(
          inArray(
            table.id,
            before.map((b) => b.id),
          ),
        )
        .returning();
      cleared += rows.length;
      const since = new Map(before.map((b) => [b.id, b.staleSince]));
      for (const r of rows)
        audits.push({
          action: "update",
          entity,
          entityId: r.id,
          companyId: companyOf(r),
          before: { staleSince: since.get(r.id) },
          after: { staleSince: null },
        });
    }
    await writeAudit(tx, h, actor, audits);
    return { marked, cleared };
  });
}
