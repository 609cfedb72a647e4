import { eq } from "drizzle-orm";
import { forUpdate, transaction } from "@hivematrix/lib/db";
import { notFound, validationFailed } from "@hivematrix/lib/errors";
import type { Company, ManualAsset, ManualUser } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { type Actor, writeAudit } from "../../shared/data-audit.ts";
import { changedFields } from "../../shared/data-common.ts";
import { deleteRecord, insertRecord } from "../../shared/data-records.ts";
import type { ManualCreate, ManualUpdate } from "./json.ts";

/** Devices and users billed by hand; the bill counts them with their billing type. */

export type ManualKind = "asset" | "user";
type Manual = ManualAsset | ManualUser;

const tableOf = (db: CodexDb, kind: ManualKind) => (kind === "asset" ? db.t.manualAssets : db.t.manualUsers);
const entityOf = (kind: ManualKind) => (kind === "asset" ? "manual_asset" : "manual_user");

export async function listManual(db: CodexDb, kind: "asset", companyId: number): Promise<ManualAsset[]>;
export async function listManual(db: CodexDb, kind: "user", companyId: number): Promise<ManualUser[]>;
export async function listManual(db: CodexDb, kind: ManualKind, companyId: number): Promise<Manual[]> {
  const table = tableOf(db, kind);
  return db.db.select().from(table).where(eq(table.companyId, companyId)).orderBy(table.id) as Promise<Manual[]>;
}

export async function requireManual(db: CodexDb, kind: ManualKind, company: Company, id: number): Promise<Manual> {
  const table = tableOf(db, kind);
  const [row] = (await db.db.select().from(table).where(eq(table.id, id))) as Manual[];
  if (!row || row.companyId !== company.id) throw notFound(`No manual ${kind} ${id} for ${company.accountNumber}.`);
  return row;
}

/** The columns an input sets; a custom price only means something for the custom type, others keep none. */
function columnsOf(input: ManualUpdate & { hostname?: string; name?: string }, billingType: string | undefined) {
  return {
    ...(input.hostname !== undefined ? { hostname: input.hostname } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.billing_type !== undefined ? { billingType: input.billing_type } : {}),
    ...(input.custom_cents !== undefined || input.billing_type !== undefined
      ? { customCents: billingType === "custom" ? (input.custom_cents ?? null) : null }
      : {}),
    ...(input.notes !== undefined ? { notes: input.notes ?? null } : {}),
  };
}

export function createManual(
  db: CodexDb,
  kind: ManualKind,
  company: Company,
  input: ManualCreate,
  actor: Actor,
): Promise<Manual> {
  return insertRecord<Manual>(db, actor, {
    entity: entityOf(kind),
    table: tableOf(db, kind),
    companyId: company.id,
    values: { companyId: company.id, ...columnsOf(input, input.billing_type) } as Partial<Manual>,
  });
}

export async function updateManual(
  db: CodexDb,
  kind: ManualKind,
  item: Manual,
  input: ManualUpdate,
  actor: Actor,
): Promise<Manual> {
  const table = tableOf(db, kind);
  return transaction(db, async (tx) => {
    // The price is merged from the item as stored now, not as the caller last read it.
    const [current] = (await forUpdate(db, tx.select().from(table).where(eq(table.id, item.id)))) as Manual[];
    if (!current) throw notFound(`No manual ${kind} ${item.id}.`);
    const billingType = input.billing_type ?? current.billingType;
    const customCents = input.custom_cents !== undefined ? input.custom_cents : current.customCents;
    if (billingType === "custom" && typeof customCents !== "number")
      throw validationFailed([{ field: "custom_cents", message: "A custom price needs custom_cents." }]);
    const changes = changedFields(
      current as Record<string, unknown>,
      columnsOf({ ...input, custom_cents: customCents }, billingType),
    );
    if (Object.keys(changes).length === 0) return current;
    const [row] = (await tx
      .update(table)
      .set({ ...changes, updatedAt: new Date() } as never)
      .where(eq(table.id, item.id))
      .returning()) as Manual[];
    await writeAudit(tx, db, actor, [
      {
        action: "update",
        entity: entityOf(kind),
        entityId: item.id,
        companyId: current.companyId,
        before: current,
        after: row,
      },
    ]);
    return row!;
  });
}

export function deleteManual(db: CodexDb, kind: ManualKind, item: Manual, actor: Actor): Promise<void> {
  return deleteRecord(db, actor, {
    entity: entityOf(kind),
    table: tableOf(db, kind),
    companyId: item.companyId,
    current: item,
  });
}
