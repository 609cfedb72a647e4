import { and, eq, isNull } from "drizzle-orm";
import type { CodexDb } from "../deps.ts";
import type { Company } from "../db/schema.ts";
import { RATE_FIELDS, type RateField } from "../data/plans.ts";
import { companyOverrides, lineItemJson } from "./config.ts";
import { listManual, manualAssetJson, manualUserJson } from "./manual.ts";

/**
 * Everything that decides how one company is billed, in one read: its plan's rates, its own
 * rate overrides, how each asset and user is billed, manual assets and users, and extra
 * charges. The billing settings page and GET /api/companies/<acct>/billing-settings show it.
 */
export async function companyBillingSettings(h: CodexDb, company: Company) {
  const t = h.t;
  const [plan] = company.billingPlanId
    ? await h.db.select().from(t.billingPlans).where(eq(t.billingPlans.id, company.billingPlanId))
    : [];
  const { overrides, parked } = await companyOverrides(h, company.id);
  const planRates = Object.fromEntries(
    Object.entries(RATE_FIELDS).map(([api, col]) => [api, plan ? plan[col] : 0]),
  ) as Record<RateField, number>;
  const effective = Object.fromEntries(
    Object.keys(RATE_FIELDS).map((k) => [k, overrides[k as RateField] ?? planRates[k as RateField]]),
  ) as Record<RateField, number>;

  const assets = await h.db
    .select({
      id: t.assets.id,
      hostname: t.assets.hostname,
      type: t.assets.assetType,
      billingType: t.assetBillingOverrides.billingType,
      customCents: t.assetBillingOverrides.customCents,
    })
    .from(t.assets)
    .leftJoin(t.assetBillingOverrides, eq(t.assetBillingOverrides.assetId, t.assets.id))
    // Stale assets (gone from the RMM) are not billed, so they are not listed as billed either.
    .where(and(eq(t.assets.companyId, company.id), isNull(t.assets.staleSince)))
    .orderBy(t.assets.hostname, t.assets.id);
  const cc = t.contactCompanies;
  const cbo = t.contactBillingOverrides;
  const users = await h.db
    .select({
      id: t.contacts.id,
      name: t.contacts.name,
      email: t.contacts.email,
      active: t.contacts.active,
      billingType: cbo.billingType,
      customCents: cbo.customCents,
    })
    .from(cc)
    .innerJoin(t.contacts, eq(t.contacts.id, cc.contactId))
    .leftJoin(cbo, and(eq(cbo.contactId, cc.contactId), eq(cbo.companyId, cc.companyId)))
    .where(eq(cc.companyId, company.id))
    .orderBy(t.contacts.name, t.contacts.id);
  const items = await h.db
    .select()
    .from(t.lineItems)
    .where(eq(t.lineItems.companyId, company.id))
    .orderBy(t.lineItems.id);

  return {
    account_number: company.accountNumber,
    company_name: company.name,
    plan: plan ? { id: plan.id, name: plan.name, term: plan.term, support_level: plan.supportLevel } : null,
    plan_rates: planRates,
    overrides,
    parked_overrides: parked,
    effective_rates: effective,
    assets: assets.map((a) => ({
      id: a.id,
      hostname: a.hostname,
      asset_type: a.type,
      billing_override: a.billingType ? { billing_type: a.billingType, custom_cents: a.customCents } : null,
    })),
    users: users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      active: u.active,
      billing_override: u.billingType ? { billing_type: u.billingType, custom_cents: u.customCents } : null,
    })),
    manual_assets: (await listManual(h, "asset", company.id)).map(manualAssetJson),
    manual_users: (await listManual(h, "user", company.id)).map(manualUserJson),
    line_items: items.map(lineItemJson),
  };
}
export type CompanyBillingSettings = Awaited<ReturnType<typeof companyBillingSettings>>;
