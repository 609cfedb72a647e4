import { z } from "zod";
import { ASSET_TYPES } from "../../db/schema.ts";
import { parkedSchema, rateShape } from "../input.ts";
import { manualAssetSchema, manualUserSchema } from "../manual/json.ts";
import { lineItemSchema } from "../overrides/json.ts";
import { companyFeaturesSchema } from "../plans/json-features.ts";

const int = z.number().int();
const billingOverride = z.object({ billing_type: z.string(), custom_cents: int.nullable() }).nullable();

/**
 * Everything that decides how one company is billed, in one read: its plan's rates, its own
 * rate overrides, how each asset and user is billed, manual assets and users, and extra charges.
 */
export const billingSettingsSchema = z.object({
  account_number: z.string(),
  company_name: z.string(),
  plan: z.object({ id: int, name: z.string(), term: z.string(), support_level: z.string() }).nullable(),
  plan_rates: z.object(rateShape(int)),
  overrides: z.object(rateShape(int.nullable())),
  parked_overrides: parkedSchema,
  effective_rates: z.object(rateShape(int)),
  assets: z.array(
    z.object({ id: int, hostname: z.string(), asset_type: z.enum(ASSET_TYPES), billing_override: billingOverride }),
  ),
  users: z.array(
    z.object({
      id: int,
      name: z.string(),
      email: z.string().nullable(),
      active: z.boolean(),
      billing_override: billingOverride,
    }),
  ),
  manual_assets: z.array(manualAssetSchema),
  manual_users: z.array(manualUserSchema),
  line_items: z.array(lineItemSchema),
});
export type CompanyBillingSettings = z.infer<typeof billingSettingsSchema>;

/** GET /api/companies/{acct}/billing-settings: the settings and the company's features. */
export const billingSettingsAnswer = billingSettingsSchema
  .extend({ features: companyFeaturesSchema.shape.items })
  .meta({ id: "BillingSettings" });

/** A feature category as the settings page offers it: the plan's option, the company's own and the choices. */
export interface FeatureRow {
  key: string;
  name: string;
  plan: string | null;
  own: string | null;
  options: { value: string; display_name: string }[];
}
