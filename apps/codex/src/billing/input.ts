import { z } from "zod";
import { idParam } from "../shared/input.ts";
import { RATE_FIELDS, type RateField } from "./engine/types.ts";

/** Request pieces every billing sub-feature declares the same way. */

/** An amount of money: whole cents, not negative. */
export const cents = z.number().int("Whole cents.").min(0).max(100_000_000);

/** A billing type of "custom" needs its price. */
export function customPriceCheck(
  value: { billing_type?: string; custom_cents?: number | null },
  ctx: z.RefinementCtx,
): void {
  if (value.billing_type === "custom" && typeof value.custom_cents !== "number")
    ctx.addIssue({ code: "custom", path: ["custom_cents"], message: "A custom price needs custom_cents." });
}

/** The `{acct}` of a company's billing paths. */
export const companyParams = z.object({ acct: z.string().max(100) });

/** A company's record of billing (`{acct}` and `{item_id}`): a line item, a manual device or user. */
export const companyItemParams = companyParams.extend({ item_id: idParam });

/** An object schema's shape with every rate (API names) as `schema`: rates, overrides of them. */
export function rateShape<S extends z.ZodType>(schema: S): Record<RateField, S> {
  return Object.fromEntries(Object.keys(RATE_FIELDS).map((field) => [field, schema])) as Record<RateField, S>;
}

/** Overrides switched off, with the value they had: switching one on again starts from it. */
export const parkedSchema = z
  .partialRecord(z.enum(Object.keys(RATE_FIELDS) as [RateField, ...RateField[]]), z.number().int())
  .meta({ description: "Overrides switched off, with the value they had: switching one on starts from it" });
