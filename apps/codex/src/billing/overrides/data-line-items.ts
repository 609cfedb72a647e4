import { eq } from "drizzle-orm";
import { forUpdate, transaction } from "@hivematrix/lib/db";
import { notFound, validationFailed } from "@hivematrix/lib/errors";
import { issuesOf } from "@hivematrix/lib/validate";
import type { Company, LineItem } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { type Actor, writeAudit } from "../../shared/data-audit.ts";
import { changedFields } from "../../shared/data-common.ts";
import { deleteRecord, insertRecord } from "../../shared/data-records.ts";
import { type LineItemCreate, type LineItemUpdate, lineItemCreateSchema } from "./json.ts";

/** Extra charges: every month, once (year and month) or yearly (in a month). */

/** A company's extra charges, oldest first. */
export function lineItemsOf(db: CodexDb, companyId: number): Promise<LineItem[]> {
  const table = db.t.lineItems;
  return db.db.select().from(table).where(eq(table.companyId, companyId)).orderBy(table.id);
}

export async function requireLineItem(db: CodexDb, company: Company, id: number): Promise<LineItem> {
  const [row] = await db.db.select().from(db.t.lineItems).where(eq(db.t.lineItems.id, id));
  if (!row || row.companyId !== company.id) throw notFound(`No line item ${id} for ${company.accountNumber}.`);
  return row;
}

/** A charge keeps only the year and month its kind bills in. */
const whenColumns = (kind: LineItem["kind"], year: number | null | undefined, month: number | null | undefined) => ({
  year: kind === "one_off" ? (year ?? null) : null,
  month: kind === "monthly" ? null : (month ?? null),
});

export function createLineItem(db: CodexDb, company: Company, input: LineItemCreate, actor: Actor) {
  return insertRecord<LineItem>(db, actor, {
    entity: "line_item",
    table: db.t.lineItems,
    companyId: company.id,
    values: {
      companyId: company.id,
      name: input.name,
      description: input.description ?? null,
      kind: input.kind,
      amountCents: input.amount_cents,
      ...whenColumns(input.kind, input.year, input.month),
    },
  });
}

export async function updateLineItem(
  db: CodexDb,
  item: LineItem,
  input: LineItemUpdate,
  actor: Actor,
): Promise<LineItem> {
  const table = db.t.lineItems;
  return transaction(db, async (tx) => {
    // The fields not sent are merged from the item as stored now, not as the caller last read it.
    const [current] = await forUpdate(db, tx.select().from(table).where(eq(table.id, item.id)));
    if (!current) throw notFound(`No line item ${item.id}.`);
    const merged = {
      kind: input.kind ?? current.kind,
      year: input.year !== undefined ? input.year : current.year,
      month: input.month !== undefined ? input.month : current.month,
    };
    const check = lineItemCreateSchema.safeParse({
      name: input.name ?? current.name,
      amount_cents: input.amount_cents ?? current.amountCents,
      ...merged,
    });
    if (!check.success) throw validationFailed(issuesOf(check.error));
    const changes = changedFields(current, {
      name: input.name,
      description: input.description,
      kind: merged.kind,
      amountCents: input.amount_cents,
      ...whenColumns(merged.kind, merged.year, merged.month),
    } as Partial<LineItem>);
    if (Object.keys(changes).length === 0) return current;
    const [row] = await tx
      .update(table)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(table.id, item.id))
      .returning();
    await writeAudit(tx, db, actor, [
      {
        action: "update",
        entity: "line_item",
        entityId: item.id,
        companyId: current.companyId,
        before: current,
        after: row,
      },
    ]);
    return row!;
  });
}

export function deleteLineItem(db: CodexDb, item: LineItem, actor: Actor): Promise<void> {
  return deleteRecord(db, actor, {
    entity: "line_item",
    table: db.t.lineItems,
    companyId: item.companyId,
    current: item,
  });
}
