import { createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import { type BillingPlan, billingPlans, CONTRACT_TERMS } from "../../db/schema.ts";
import { fromColumn, inputShape, responseSchema, toJson } from "../../shared/fields.ts";
import { idParam } from "../../shared/input.ts";
import { cents } from "../input.ts";
import { categoryCreateSchema } from "./json-features.ts";

const columns = createSelectSchema(billingPlans).shape;
const minutes = z.number().int().min(0).max(1_000_000);

/** A rate read from its column and taken as `input`. */
const rate = <K extends keyof typeof columns & string, I extends z.ZodType>(column: K, input: I) => ({
  ...fromColumn(columns, column),
  input,
});

/** A billing plan's fields, written once: its request schemas, JSON and columns come from here. */
export const planFields = {
  id: fromColumn(columns, "id"),
  name: { ...fromColumn(columns, "name"), input: z.string().trim().min(1, "Required.").max(100) },
  term: { ...fromColumn(columns, "term"), input: z.enum(CONTRACT_TERMS) },
  support_level: { ...fromColumn(columns, "supportLevel"), input: z.string().trim().min(1).max(100).optional() },
  per_user_cents: rate("perUserCents", cents),
  per_workstation_cents: rate("perWorkstationCents", cents),
  per_server_cents: rate("perServerCents", cents),
  per_vm_cents: rate("perVmCents", cents),
  per_switch_cents: rate("perSwitchCents", cents),
  per_firewall_cents: rate("perFirewallCents", cents),
  per_hour_cents: rate("perHourCents", cents),
  prepaid_minutes_monthly: rate("prepaidMinutesMonthly", minutes.default(0)),
  prepaid_minutes_yearly: rate("prepaidMinutesYearly", minutes.default(0)),
  backup_base_workstation_cents: rate("backupBaseWorkstationCents", cents),
  backup_base_server_cents: rate("backupBaseServerCents", cents),
  backup_included_tb: rate("backupIncludedTb", z.number().int().min(0).max(10_000)),
  backup_per_tb_cents: rate("backupPerTbCents", cents),
  /** Category key → the option the plan includes. */
  features: { output: z.record(z.string(), z.string()) },
  created_at: fromColumn(columns, "createdAt"),
  updated_at: fromColumn(columns, "updatedAt"),
} as const;

export const planCreateSchema = z.object(inputShape(planFields)).strict();
export type PlanInput = z.infer<typeof planCreateSchema>;
export const planUpdateSchema = z.object(inputShape(planFields)).partial().strict();

export const planSchema = responseSchema(planFields, "BillingPlan");
export type PlanJson = z.infer<typeof planSchema>;

export function planJson(plan: BillingPlan, features: Record<string, string> = {}): PlanJson {
  return toJson(planFields, plan, { features });
}

export const planListQuery = z
  .object({ name: z.string().max(100).optional(), term: z.enum(CONTRACT_TERMS).optional() })
  .strict();
export const planParams = z.object({ id: idParam });

// Plans in bulk: a plan's rates copied to its other terms; every plan and feature as one file.

export const copyTermsSchema = z.object({ create_missing: z.boolean().default(false) }).strict();
export const copyTermsAnswer = z.object({
  updated: z.array(z.string()).meta({ description: "The terms whose rates changed" }),
  created: z.array(z.string()),
  unchanged: z.array(z.string()),
});

export const PLANS_FORMAT = "hivematrix-billing-plans";

const fileOptionSchema = z
  .object({
    value: z.string().trim().min(1, "Required.").max(100),
    display_name: z.string().trim().min(1, "Required.").max(200),
    description: z.string().trim().max(500).nullable().optional(),
  })
  .strict();
const fileCategorySchema = categoryCreateSchema
  .extend({
    description: z.string().trim().max(500).nullable().optional(),
    options: z.array(fileOptionSchema).max(200).default([]),
  })
  .strict();
const filePlanSchema = planCreateSchema
  .extend({ features: z.record(z.string().max(50), z.string().max(100)).default({}) })
  .strict();

export const plansFileSchema = z
  .object({
    format: z.literal(PLANS_FORMAT),
    version: z.literal(1),
    exported_at: z.string().max(50).optional(),
    feature_categories: z.array(fileCategorySchema).max(500),
    plans: z.array(filePlanSchema).max(2000),
  })
  .strict()
  .meta({ id: "BillingPlansFile" });
export type PlansFile = z.infer<typeof plansFileSchema>;

const createdUpdated = z.object({ created: z.number().int(), updated: z.number().int() });
export const importSummarySchema = z.object({
  categories: createdUpdated,
  options: createdUpdated,
  plans: createdUpdated.extend({ unchanged: z.number().int() }),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;
