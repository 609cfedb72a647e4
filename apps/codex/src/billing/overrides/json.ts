import { createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import { ASSET_BILLING_TYPES, LINE_ITEM_KINDS, type LineItem, lineItems, USER_BILLING_TYPES } from "../../db/schema.ts";
import { fromColumn, inputShape, responseSchema, toJson } from "../../shared/fields.ts";
import { idParam, optText } from "../../shared/input.ts";
import { cents, companyParams, customPriceCheck, parkedSchema, rateShape } from "../input.ts";

/** Per-company rate overrides: a number replaces the plan's rate, null returns to it. */
export const companyOverridesSchema = z.object(rateShape(cents.nullable().optional())).strict();
export type CompanyOverridesInput = z.infer<typeof companyOverridesSchema>;

export const overridesSchema = z
  .object({ ...rateShape(z.number().int().nullable()), parked: parkedSchema })
  .meta({ id: "BillingOverrides" });

export const assetOverrideSchema = z
  .object({ billing_type: z.enum(ASSET_BILLING_TYPES), custom_cents: cents.nullable().optional() })
  .strict()
  .superRefine(customPriceCheck);
export type AssetOverrideInput = z.infer<typeof assetOverrideSchema>;
export const userOverrideSchema = z
  .object({ billing_type: z.enum(USER_BILLING_TYPES), custom_cents: cents.nullable().optional() })
  .strict()
  .superRefine(customPriceCheck);
export type UserOverrideInput = z.infer<typeof userOverrideSchema>;

export const assetOverrideAnswer = z.object({
  asset_id: z.number().int(),
  billing_type: z.enum(ASSET_BILLING_TYPES),
  custom_cents: z.number().int().nullable(),
});
export const userOverrideAnswer = z.object({
  contact_id: z.number().int(),
  billing_type: z.enum(USER_BILLING_TYPES),
  custom_cents: z.number().int().nullable(),
});

export const assetParams = z.object({ id: idParam });
export const contactParams = companyParams.extend({ contact_id: idParam });

const columns = createSelectSchema(lineItems).shape;

/** An extra charge's fields, written once: its request schemas and JSON come from here. */
export const lineItemFields = {
  id: fromColumn(columns, "id"),
  name: { ...fromColumn(columns, "name"), input: z.string().trim().min(1, "Required.").max(200) },
  description: { ...fromColumn(columns, "description"), input: optText(1000) },
  kind: { ...fromColumn(columns, "kind"), input: z.enum(LINE_ITEM_KINDS) },
  amount_cents: {
    ...fromColumn(columns, "amountCents"),
    input: z.number().int("Whole cents.").min(-100_000_000).max(100_000_000),
  },
  year: { ...fromColumn(columns, "year"), input: z.number().int().min(2000).max(2100).nullable().optional() },
  month: { ...fromColumn(columns, "month"), input: z.number().int().min(1).max(12).nullable().optional() },
  created_at: fromColumn(columns, "createdAt"),
  updated_at: fromColumn(columns, "updatedAt"),
} as const;

/** A one-off charge is billed in one month of one year, a yearly one in one month of every year. */
function whenCheck(value: { kind?: string; year?: number | null; month?: number | null }, ctx: z.RefinementCtx) {
  if (value.kind === "one_off" && (!value.year || !value.month))
    ctx.addIssue({
      code: "custom",
      path: [value.year ? "month" : "year"],
      message: "A one-off charge needs the year and month it is billed in.",
    });
  if (value.kind === "yearly" && !value.month)
    ctx.addIssue({ code: "custom", path: ["month"], message: "A yearly charge needs the month it is billed in." });
}

export const lineItemCreateSchema = z.object(inputShape(lineItemFields)).strict().superRefine(whenCheck);
export type LineItemCreate = z.infer<typeof lineItemCreateSchema>;
export const lineItemUpdateSchema = z.object(inputShape(lineItemFields)).partial().strict();
export type LineItemUpdate = z.infer<typeof lineItemUpdateSchema>;

export const lineItemSchema = responseSchema(lineItemFields, "LineItem");
export type LineItemJson = z.infer<typeof lineItemSchema>;

export function lineItemJson(item: LineItem): LineItemJson {
  return toJson(lineItemFields, item, {});
}
