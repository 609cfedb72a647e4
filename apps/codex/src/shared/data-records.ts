import { eq } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import type { CodexDb } from "../deps.ts";
import { type Actor, type AuditEntity, writeAudit } from "./data-audit.ts";
import { changedFields } from "./data-common.ts";

/**
 * Create, update and delete of one record with its audit row in the same transaction: what
 * every entity does, whether its rows also come in bulk (which the bulk engine writes) or not.
 */

interface Target {
  entity: AuditEntity;
  // The concrete drizzle table of this engine (db.t.<name>).
  // biome-ignore lint/suspicious/noExplicitAny: a table of either engine, whose row type the caller states
  table: any;
  /** The company the record belongs to, for the audit log (null: none or several). */
  companyId: number | null;
}

export async function insertRecord<R extends { id: number }>(
  db: CodexDb,
  actor: Actor,
  target: Target & { values: Partial<R> },
): Promise<R> {
  return transaction(db, async (tx) => {
    const [row] = (await tx.insert(target.table).values(target.values).returning()) as R[];
    await writeAudit(tx, db, actor, [
      { action: "create", entity: target.entity, entityId: row!.id, companyId: target.companyId, after: row },
    ]);
    return row!;
  });
}

/** Writes the fields that differ from `current` (nothing at all when none does). */
export async function updateRecord<R extends { id: number } & Record<string, unknown>>(
  db: CodexDb,
  actor: Actor,
  target: Target & { current: R; changes: Partial<R> },
): Promise<R> {
  const changes = changedFields(target.current, target.changes);
  if (Object.keys(changes).length === 0) return target.current;
  return transaction(db, async (tx) => {
    const [row] = (await tx
      .update(target.table)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(target.table.id, target.current.id))
      .returning()) as R[];
    await writeAudit(tx, db, actor, [
      {
        action: "update",
        entity: target.entity,
        entityId: target.current.id,
        companyId: target.companyId,
        before: target.current,
        after: row,
      },
    ]);
    return row!;
  });
}

export async function deleteRecord<R extends { id: number }>(
  db: CodexDb,
  actor: Actor,
  target: Target & { current: R },
): Promise<void> {
  await transaction(db, async (tx) => {
    await tx.delete(target.table).where(eq(target.table.id, target.current.id));
    await writeAudit(tx, db, actor, [
      {
        action: "delete",
        entity: target.entity,
        entityId: target.current.id,
        companyId: target.companyId,
        before: target.current,
      },
    ]);
  });
}
