import { and, eq } from "drizzle-orm";
import { isUniqueViolation } from "@hivematrix/lib/db";
import { conflict, notFound, validationFailed } from "@hivematrix/lib/errors";
import type { BillingPlan } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { Actor } from "../../shared/data-audit.ts";
import { deleteRecord, insertRecord, updateRecord } from "../../shared/data-records.ts";
import { toColumns } from "../../shared/fields.ts";
import { type PlanInput, type PlanJson, planFields, planJson } from "./json.ts";

/** plan id → { category key → option value }. */
export async function planFeatureMap(db: CodexDb): Promise<Map<number, Record<string, string>>> {
  const { planFeatures, featureCategories, featureOptions } = db.t;
  const rows = await db.db
    .select({ planId: planFeatures.planId, key: featureCategories.key, value: featureOptions.value })
    .from(planFeatures)
    .innerJoin(featureCategories, eq(featureCategories.id, planFeatures.categoryId))
    .innerJoin(featureOptions, eq(featureOptions.id, planFeatures.optionId));
  const features = new Map<number, Record<string, string>>();
  for (const row of rows) {
    const plan = features.get(row.planId) ?? features.set(row.planId, {}).get(row.planId)!;
    plan[row.key] = row.value;
  }
  return features;
}

/** The plans, by name and term (only those of a name or term when asked), with their features. */
export async function listPlans(db: CodexDb, filter: { name?: string; term?: string } = {}): Promise<PlanJson[]> {
  const table = db.t.billingPlans;
  const rows = await db.db
    .select()
    .from(table)
    .where(
      and(
        filter.name ? eq(table.name, filter.name) : undefined,
        filter.term ? eq(table.term, filter.term as BillingPlan["term"]) : undefined,
      ),
    )
    .orderBy(table.name, table.term);
  const features = await planFeatureMap(db);
  return rows.map((plan) => planJson(plan, features.get(plan.id) ?? {}));
}

export async function requirePlan(db: CodexDb, id: number): Promise<BillingPlan> {
  const [row] = await db.db.select().from(db.t.billingPlans).where(eq(db.t.billingPlans.id, id));
  if (!row) throw notFound(`No billing plan ${id}.`);
  return row;
}

/** A plan as the API shows it, with its features. */
export async function planJsonOf(db: CodexDb, id: number): Promise<PlanJson> {
  return planJson(await requirePlan(db, id), (await planFeatureMap(db)).get(id) ?? {});
}

const duplicate = (name: string | undefined) =>
  conflict(`A plan "${name}" with this term already exists.`, [
    { field: "name", message: "A plan with this name and term already exists." },
  ]);

/** Whether any company is on the plan. */
async function inUse(db: CodexDb, plan: BillingPlan): Promise<boolean> {
  const companies = db.t.companies;
  const [used] = await db.db
    .select({ id: companies.id })
    .from(companies)
    .where(eq(companies.billingPlanId, plan.id))
    .limit(1);
  return Boolean(used);
}

export async function createPlan(db: CodexDb, input: PlanInput, actor: Actor): Promise<BillingPlan> {
  try {
    return await insertRecord<BillingPlan>(db, actor, {
      entity: "billing_plan",
      table: db.t.billingPlans,
      companyId: null,
      values: toColumns<BillingPlan>(planFields, input),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate(input.name);
    throw error;
  }
}

export async function updatePlan(
  db: CodexDb,
  plan: BillingPlan,
  input: Partial<PlanInput>,
  actor: Actor,
): Promise<BillingPlan> {
  const changes = toColumns<BillingPlan>(planFields, input);
  if (changes.term && plan.term !== changes.term && (await inUse(db, plan)))
    throw validationFailed([
      { field: "term", message: "Companies are on this plan; add a plan for the other term instead." },
    ]);
  try {
    return await updateRecord(db, actor, {
      entity: "billing_plan",
      table: db.t.billingPlans,
      companyId: null,
      current: plan,
      changes,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate(changes.name ?? plan.name);
    throw error;
  }
}

export async function deletePlan(db: CodexDb, plan: BillingPlan, actor: Actor): Promise<void> {
  if (await inUse(db, plan)) throw conflict("Companies are on this plan; move them to another plan first.");
  await deleteRecord(db, actor, { entity: "billing_plan", table: db.t.billingPlans, companyId: null, current: plan });
}
