import { z } from "zod";
import { and, eq } from "drizzle-orm";
import { forUpdate, lockKey, transaction } from "@hivematrix/lib/db";
import { notFound, validationFailed } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import { ASSET_BILLING_TYPES, LINE_ITEM_KINDS, USER_BILLING_TYPES, type Company, type LineItem } from "../db/schema.ts";
import { changedFields } from "../shared/data-common.ts";
import { optText } from "../shared/input.ts";
import { writeAudit, type Actor } from "../shared/data-audit.ts";
import { RATE_FIELDS, type RateField } from "../data/plans.ts";

const money = z.number().int("Whole cents.").min(0).max(100_000_000);

/** Per-company rate overrides: a number replaces the plan's rate, null returns to it. */
export const companyOverridesSchema = z
  .object(
    Object.fromEntries(Object.keys(RATE_FIELDS).map((k) => [k, money.nullable().optional()])) as Record<
      RateField,
      z.ZodOptional<z.ZodNullable<typeof money>>
    >,
  )
  .strict();

export const assetOverrideSchema = z
  .object({ billing_type: z.enum(ASSET_BILLING_TYPES), custom_cents: money.nullable().optional() })
  .strict()
  .refine((v) => v.billing_type !== "custom" || typeof v.custom_cents === "number", {
    path: ["custom_cents"],
    message: "A custom price needs custom_cents.",
  });
export const userOverrideSchema = z
  .object({ billing_type: z.enum(USER_BILLING_TYPES), custom_cents: money.nullable().optional() })
  .strict()
  .refine((v) => v.billing_type !== "custom" || typeof v.custom_cents === "number", {
    path: ["custom_cents"],
    message: "A custom price needs custom_cents.",
  });

const lineItemFields = {
  name: z.string().trim().min(1, "Required.").max(200),
  description: optText(1000),
  kind: z.enum(LINE_ITEM_KINDS),
  amount_cents: z.number().int("Whole cents.").min(-100_000_000).max(100_000_000),
  year: z.number().int().min(2000).max(2100).nullable().optional(),
  month: z.number().int().min(1).max(12).nullable().optional(),
};
function lineItemCheck(v: { kind?: string; year?: number | null; month?: number | null }, ctx: z.RefinementCtx) {
  if (v.kind === "one_off" && (!v.year || !v.month))
    ctx.addIssue({
      code: "custom",
      path: [v.year ? "month" : "year"],
      message: "A one-off charge needs the year and month it is billed in.",
    });
  if (v.kind === "yearly" && !v.month)
    ctx.addIssue({ code: "custom", path: ["month"], message: "A yearly charge needs the month it is billed in." });
}
export const lineItemCreateSchema = z.object(lineItemFields).strict().superRefine(lineItemCheck);
export const lineItemUpdateSchema = z.object(lineItemFields).partial().strict();

export function lineItemJson(li: LineItem) {
  return {
    id: li.id,
    name: li.name,
    description: li.description,
    kind: li.kind,
    amount_cents: li.amountCents,
    year: li.year,
    month: li.month,
    created_at: li.createdAt.toISOString(),
    updated_at: li.updatedAt.toISOString(),
  };
}

export interface CompanyOverrides {
  /** The rates in force instead of the plan's (null: the plan's). */
  overrides: Record<RateField, number | null>;
  /** Overrides switched off, with the value they had: switching one on again starts from it. */
  parked: Partial<Record<RateField, number>>;
}

export async function companyOverrides(h: CodexDb, companyId: number): Promise<CompanyOverrides> {
  const [row] = await h.db
    .select()
    .from(h.t.companyBillingOverrides)
    .where(eq(h.t.companyBillingOverrides.companyId, companyId));
  return {
    overrides: Object.fromEntries(
      Object.entries(RATE_FIELDS).map(([api, col]) => [api, row ? row[col] : null]),
    ) as Record<RateField, number | null>,
    parked: (row?.parked ?? {}) as Partial<Record<RateField, number>>,
  };
}

/**
 * Sets the overrides named in `input`: a number puts it in force, null returns to the plan's
 * rate and parks the value it had (as the old system's per-rate "enabled" switches kept it).
 */
export async function setCompanyOverrides(
  h: CodexDb,
  company: Company,
  input: z.infer<typeof companyOverridesSchema>,
  actor: Actor,
) {
  const t = h.t.companyBillingOverrides;
  await transaction(h, async (tx) => {
    // Parked values are merged with what is stored now, so the row is read (and created) by one writer at a time.
    await lockKey(h, `codex:company-billing-overrides:${company.id}`);
    const [before] = await tx.select().from(t).where(eq(t.companyId, company.id));
    const cols: Record<string, number | null> = {};
    const parked: Record<string, number> = { ...before?.parked };
    for (const [api, col] of Object.entries(RATE_FIELDS)) {
      const value = input[api as RateField];
      if (value === undefined) continue;
      cols[col] = value;
      const was = before?.[col] ?? null;
      if (value !== null) delete parked[api];
      else if (was !== null) parked[api] = was;
    }
    if (before && Object.keys(changedFields(before, cols)).length === 0) return;
    const values = { ...cols, parked: Object.keys(parked).length ? parked : null };
    const [after] = before
      ? await tx
          .update(t)
          .set({ ...values, updatedAt: new Date() })
          .where(eq(t.companyId, company.id))
          .returning()
      : await tx
          .insert(t)
          .values({ companyId: company.id, ...values })
          .returning();
    await writeAudit(tx, h, actor, [
      {
        action: before ? "update" : "create",
        entity: "company_billing_override",
        entityId: company.id,
        companyId: company.id,
        before: before ?? null,
        after,
      },
    ]);
  });
}

export async function setAssetOverride(
  h: CodexDb,
  assetId: number,
  companyId: number,
  input: z.infer<typeof assetOverrideSchema> | null,
  actor: Actor,
) {
  const t = h.t.assetBillingOverrides;
  await transaction(h, async (tx) => {
    await lockKey(h, `codex:asset-billing-override:${assetId}`);
    const [before] = await tx.select().from(t).where(eq(t.assetId, assetId));
    if (!input && !before) return;
    await tx.delete(t).where(eq(t.assetId, assetId));
    const [after] = input
      ? await tx
          .insert(t)
          .values({ assetId, billingType: input.billing_type, customCents: input.custom_cents ?? null })
          .returning()
      : [null];
    await writeAudit(tx, h, actor, [
      {
        action: !input ? "delete" : before ? "update" : "create",
        entity: "asset_billing_override",
        entityId: assetId,
        companyId,
        before: before ?? null,
        after,
      },
    ]);
  });
}

export async function setUserOverride(
  h: CodexDb,
  company: Company,
  contactId: number,
  input: z.infer<typeof userOverrideSchema> | null,
  actor: Actor,
) {
  const t = h.t.contactBillingOverrides;
  const [link] = await h.db
    .select()
    .from(h.t.contactCompanies)
    .where(and(eq(h.t.contactCompanies.companyId, company.id), eq(h.t.contactCompanies.contactId, contactId)));
  if (!link) throw notFound(`Contact ${contactId} is not a user of ${company.accountNumber}.`);
  const where = and(eq(t.companyId, company.id), eq(t.contactId, contactId));
  await transaction(h, async (tx) => {
    await lockKey(h, `codex:contact-billing-override:${company.id}:${contactId}`);
    const [before] = await tx.select().from(t).where(where);
    if (!input && !before) return;
    await tx.delete(t).where(where);
    const [after] = input
      ? await tx
          .insert(t)
          .values({
            companyId: company.id,
            contactId,
            billingType: input.billing_type,
            customCents: input.custom_cents ?? null,
          })
          .returning()
      : [null];
    await writeAudit(tx, h, actor, [
      {
        action: !input ? "delete" : before ? "update" : "create",
        entity: "contact_billing_override",
        entityId: `${company.id}:${contactId}`,
        companyId: company.id,
        before: before ?? null,
        after,
      },
    ]);
  });
}

export async function requireLineItem(h: CodexDb, company: Company, id: number): Promise<LineItem> {
  const [row] = await h.db.select().from(h.t.lineItems).where(eq(h.t.lineItems.id, id));
  if (!row || row.companyId !== company.id) throw notFound(`No line item ${id} for ${company.accountNumber}.`);
  return row;
}

export async function createLineItem(
  h: CodexDb,
  company: Company,
  input: z.infer<typeof lineItemCreateSchema>,
  actor: Actor,
): Promise<LineItem> {
  return transaction(h, async (tx) => {
    const [row] = await tx
      .insert(h.t.lineItems)
      .values({
        companyId: company.id,
        name: input.name,
        description: input.description ?? null,
        kind: input.kind,
        amountCents: input.amount_cents,
        year: input.kind === "one_off" ? input.year! : null,
        month: input.kind === "monthly" ? null : input.month!,
      })
      .returning();
    await writeAudit(tx, h, actor, [
      { action: "create", entity: "line_item", entityId: row!.id, companyId: company.id, after: row },
    ]);
    return row!;
  });
}

export async function updateLineItem(
  h: CodexDb,
  item: LineItem,
  input: z.infer<typeof lineItemUpdateSchema>,
  actor: Actor,
): Promise<LineItem> {
  return transaction(h, async (tx) => {
    // The fields not sent are merged from the item as stored now, not as the caller last read it.
    const [current] = await forUpdate(h, tx.select().from(h.t.lineItems).where(eq(h.t.lineItems.id, item.id)));
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
    if (!check.success)
      throw validationFailed(check.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })));
    const cols = changedFields(current, {
      name: input.name,
      description: input.description,
      kind: merged.kind,
      amountCents: input.amount_cents,
      year: merged.kind === "one_off" ? merged.year : null,
      month: merged.kind === "monthly" ? null : merged.month,
    } as Partial<LineItem>);
    if (Object.keys(cols).length === 0) return current;
    const [row] = await tx
      .update(h.t.lineItems)
      .set({ ...cols, updatedAt: new Date() })
      .where(eq(h.t.lineItems.id, item.id))
      .returning();
    await writeAudit(tx, h, actor, [
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

export async function deleteLineItem(h: CodexDb, item: LineItem, actor: Actor): Promise<void> {
  await transaction(h, async (tx) => {
    await tx.delete(h.t.lineItems).where(eq(h.t.lineItems.id, item.id));
    await writeAudit(tx, h, actor, [
      { action: "delete", entity: "line_item", entityId: item.id, companyId: item.companyId, before: item },
    ]);
  });
}
