import { and, count, eq, inArray, isNull, notInArray, sum } from "drizzle-orm";
import type { BillingPlan, Company } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { selectIn } from "../../shared/data-common.ts";
import { type BillInput, type DeviceType, type Rates, ZERO_RATES } from "../engine/types.ts";
import { addManualItems, addMinutes, addUsers, type Inputs, type Scope } from "./data-inputs-usage.ts";

const RATE_KEYS = Object.keys(ZERO_RATES) as (keyof Rates)[];

/** The plan's rates with the company's overrides (non-null fields) laid over them. */
export function effectiveRates(
  plan: BillingPlan | null | undefined,
  overrides: Partial<Record<keyof Rates, number | null>> | null | undefined,
): Rates {
  const rates = { ...ZERO_RATES };
  for (const key of RATE_KEYS) {
    const own = overrides?.[key];
    rates[key] = own !== null && own !== undefined ? own : plan ? plan[key] : 0;
  }
  return rates;
}

/** Each company's input with its plan and rates, before its records are counted. */
async function startInputs(db: CodexDb, companies: Company[], scope: Scope, year: number, month: number) {
  const plans = new Map((await db.db.select().from(db.t.billingPlans)).map((plan) => [plan.id, plan]));
  const table = db.t.companyBillingOverrides;
  const overrides = new Map(
    (await db.db.select().from(table).where(scope.forCompanies(table.companyId))).map((row) => [row.companyId, row]),
  );
  const inputs: Inputs = new Map();
  for (const company of companies) {
    const plan = company.billingPlanId ? plans.get(company.billingPlanId) : undefined;
    const own = overrides.get(company.id);
    inputs.set(company.id, {
      company: { id: company.id, accountNumber: company.accountNumber, name: company.name },
      year,
      month,
      plan: plan ? { name: plan.name, term: plan.term, supportLevel: plan.supportLevel } : null,
      rates: effectiveRates(plan, own),
      planRates: effectiveRates(plan, null),
      overriddenRates: own ? RATE_KEYS.filter((key) => own[key] !== null && own[key] !== undefined) : [],
      assetGroups: [],
      overriddenAssets: [],
      paidUsers: 0,
      overriddenUsers: [],
      manualAssets: [],
      manualUsers: [],
      minutesThisMonth: 0,
      minutesEarlierMonths: [],
      lineItems: [],
    });
  }
  return inputs;
}

/** Assets billed by their type, grouped in SQL; assets with an override, one by one. */
async function addAssets(db: CodexDb, inputs: Inputs, scope: Scope) {
  const assets = db.t.assets;
  const overrides = db.t.assetBillingOverrides;
  const overridden = db.db.select({ id: overrides.assetId }).from(overrides);
  const groups = await db.db
    .select({
      companyId: assets.companyId,
      type: assets.assetType,
      backedUp: assets.backedUp,
      count: count(),
      bytes: sum(assets.backupBytes),
    })
    .from(assets)
    // Stale assets (gone from the RMM) are kept for the record but no longer billed.
    .where(and(scope.forCompanies(assets.companyId), notInArray(assets.id, overridden), isNull(assets.staleSince)))
    .groupBy(assets.companyId, assets.assetType, assets.backedUp);
  for (const group of groups)
    inputs.get(group.companyId)?.assetGroups.push({
      type: group.type as DeviceType,
      backedUp: Boolean(group.backedUp),
      count: Number(group.count),
      backupBytes: Number(group.bytes ?? 0),
    });

  const special = await db.db
    .select({ override: overrides, asset: assets })
    .from(overrides)
    .innerJoin(assets, eq(assets.id, overrides.assetId))
    .where(and(scope.forCompanies(assets.companyId), isNull(assets.staleSince)));
  for (const { override, asset } of special)
    inputs.get(asset.companyId)?.overriddenAssets.push({
      assetId: asset.id,
      hostname: asset.hostname,
      assetType: asset.assetType,
      billing: override.billingType,
      customCents: override.customCents,
      backedUp: asset.backedUp,
      backupBytes: asset.backupBytes,
    });
}

async function addLineItems(db: CodexDb, inputs: Inputs, scope: Scope) {
  const table = db.t.lineItems;
  const items = await selectIn(
    scope.ids,
    (part) =>
      db.db
        .select()
        .from(table)
        .where(inArray(table.companyId, part as number[]))
        .orderBy(table.id),
    900,
  );
  for (const item of items) inputs.get(item.companyId)?.lineItems.push(item);
}

/**
 * Everything the engine needs for each company in one month, in a fixed number of queries
 * (aggregated in SQL), whether for one company or all of them.
 */
export async function loadBillInputs(
  db: CodexDb,
  year: number,
  month: number,
  only: Company[] | null,
): Promise<Map<number, BillInput>> {
  const companies = only ?? (await db.db.select().from(db.t.companies).orderBy(db.t.companies.accountNumber));
  const ids = companies.map((company) => company.id);
  const scope: Scope = { ids, forCompanies: (column) => (only ? inArray(column as never, ids) : undefined) };
  const inputs = await startInputs(db, companies, scope, year, month);
  if (ids.length === 0) return inputs;
  await addAssets(db, inputs, scope);
  await addUsers(db, inputs, scope);
  await addMinutes(db, inputs, scope, year, month);
  await addManualItems(db, inputs, scope);
  await addLineItems(db, inputs, scope);
  return inputs;
}
