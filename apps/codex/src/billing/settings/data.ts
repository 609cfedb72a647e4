import { and, eq, isNull } from "drizzle-orm";
import type { Company } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { RATE_FIELDS, type RateField } from "../engine/types.ts";
import { listManual } from "../manual/data.ts";
import { manualAssetJson, manualUserJson } from "../manual/json.ts";
import { companyOverrides } from "../overrides/data.ts";
import { lineItemsOf } from "../overrides/data-line-items.ts";
import { lineItemJson } from "../overrides/json.ts";
import { featureCatalog } from "../plans/data-features.ts";
import type { CompanyBillingSettings, FeatureRow } from "./json.ts";

/** How each of the company's current assets is billed (stale ones are not billed, so not listed). */
function assetsOf(db: CodexDb, companyId: number) {
  const { assets, assetBillingOverrides: overrides } = db.t;
  return db.db
    .select({
      id: assets.id,
      hostname: assets.hostname,
      type: assets.assetType,
      billingType: overrides.billingType,
      customCents: overrides.customCents,
    })
    .from(assets)
    .leftJoin(overrides, eq(overrides.assetId, assets.id))
    .where(and(eq(assets.companyId, companyId), isNull(assets.staleSince)))
    .orderBy(assets.hostname, assets.id);
}

/** How each of the company's contacts is billed as a user. */
function usersOf(db: CodexDb, companyId: number) {
  const { contactCompanies: links, contacts, contactBillingOverrides: overrides } = db.t;
  return db.db
    .select({
      id: contacts.id,
      name: contacts.name,
      email: contacts.email,
      active: contacts.active,
      billingType: overrides.billingType,
      customCents: overrides.customCents,
    })
    .from(links)
    .innerJoin(contacts, eq(contacts.id, links.contactId))
    .leftJoin(overrides, and(eq(overrides.contactId, links.contactId), eq(overrides.companyId, links.companyId)))
    .where(eq(links.companyId, companyId))
    .orderBy(contacts.name, contacts.id);
}

const overrideOf = (row: { billingType: string | null; customCents: number | null }) =>
  row.billingType ? { billing_type: row.billingType, custom_cents: row.customCents } : null;

/**
 * Everything that decides how one company is billed, in one read. The billing settings page
 * and GET /api/companies/{acct}/billing-settings show it.
 */
export async function companyBillingSettings(db: CodexDb, company: Company): Promise<CompanyBillingSettings> {
  const plans = db.t.billingPlans;
  const [plan] = company.billingPlanId
    ? await db.db.select().from(plans).where(eq(plans.id, company.billingPlanId))
    : [];
  const { overrides, parked } = await companyOverrides(db, company.id);
  const planRates = Object.fromEntries(
    Object.entries(RATE_FIELDS).map(([field, column]) => [field, plan ? plan[column] : 0]),
  ) as Record<RateField, number>;
  const effective = Object.fromEntries(
    Object.keys(RATE_FIELDS).map((field) => [field, overrides[field as RateField] ?? planRates[field as RateField]]),
  ) as Record<RateField, number>;
  const assets = await assetsOf(db, company.id);
  const users = await usersOf(db, company.id);
  const items = await lineItemsOf(db, company.id);
  return {
    account_number: company.accountNumber,
    company_name: company.name,
    plan: plan ? { id: plan.id, name: plan.name, term: plan.term, support_level: plan.supportLevel } : null,
    plan_rates: planRates,
    overrides,
    parked_overrides: parked,
    effective_rates: effective,
    assets: assets.map((asset) => ({
      id: asset.id,
      hostname: asset.hostname,
      asset_type: asset.type,
      billing_override: overrideOf(asset),
    })),
    users: users.map((user) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      active: user.active,
      billing_override: overrideOf(user),
    })),
    manual_assets: (await listManual(db, "asset", company.id)).map(manualAssetJson),
    manual_users: (await listManual(db, "user", company.id)).map(manualUserJson),
    line_items: items.map(lineItemJson),
  };
}

/** Each feature category with the plan's option, the company's own (if any) and the options to choose from. */
export async function featureRows(db: CodexDb, company: Company): Promise<FeatureRow[]> {
  const { planFeatures, companyFeatureOverrides } = db.t;
  const catalog = await featureCatalog(db);
  const fromPlan = company.billingPlanId
    ? await db.db.select().from(planFeatures).where(eq(planFeatures.planId, company.billingPlanId))
    : [];
  const own = await db.db
    .select()
    .from(companyFeatureOverrides)
    .where(eq(companyFeatureOverrides.companyId, company.id));
  const optionValue = (id: number | undefined) =>
    catalog.flatMap((category) => category.options).find((option) => option.id === id)?.value ?? null;
  return catalog.map((category) => ({
    key: category.key,
    name: category.name,
    plan: optionValue(fromPlan.find((feature) => feature.categoryId === category.id)?.optionId),
    own: optionValue(own.find((feature) => feature.categoryId === category.id)?.optionId),
    options: category.options,
  }));
}
