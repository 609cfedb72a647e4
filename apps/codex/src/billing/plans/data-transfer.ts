import { and, eq, ne } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import { type BillingPlan, CONTRACT_TERMS } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { type Actor, type AuditRecord, writeAudit } from "../../shared/data-audit.ts";
import { changedFields } from "../../shared/data-common.ts";
import { RATE_FIELDS, type RateField } from "../engine/types.ts";
import { planFeatureMap } from "./data.ts";
import { featureCatalog } from "./data-features.ts";
import { PLANS_FORMAT, type PlansFile } from "./json.ts";

/**
 * Plans in bulk: copy one term's rates to the plan's other terms, and export every plan with
 * the feature catalog as JSON that `importPlans` (data-import.ts) takes back (another Codex, or
 * this one after edits in a text editor).
 */

/** The plan's rates (API names). */
export function ratesOf(plan: BillingPlan): Record<RateField, number> {
  return Object.fromEntries(Object.entries(RATE_FIELDS).map(([field, column]) => [field, plan[column]])) as Record<
    RateField,
    number
  >;
}

/** Rates (API names) as the plan's columns. */
export function rateColumns(rates: Record<RateField, number>): Partial<BillingPlan> {
  return Object.fromEntries(
    Object.entries(RATE_FIELDS).map(([field, column]) => [column, rates[field as RateField]]),
  ) as Partial<BillingPlan>;
}

/**
 * Applies `source`'s rates to every other term of the same plan name; with `createMissing`,
 * adds the terms the plan does not have yet (with the same support level and features).
 */
export async function copyTerms(
  db: CodexDb,
  source: BillingPlan,
  createMissing: boolean,
  actor: Actor,
): Promise<{ updated: string[]; created: string[]; unchanged: string[] }> {
  const table = db.t.billingPlans;
  const others = await db.db
    .select()
    .from(table)
    .where(and(eq(table.name, source.name), ne(table.id, source.id)));
  const rates = rateColumns(ratesOf(source));
  const features = (await planFeatureMap(db)).get(source.id) ?? {};
  const outcome = { updated: [] as string[], created: [] as string[], unchanged: [] as string[] };
  await transaction(db, async (tx) => {
    const audit: AuditRecord[] = [];
    for (const other of others) {
      const changes = changedFields(other, rates);
      if (Object.keys(changes).length === 0) {
        outcome.unchanged.push(other.term);
        continue;
      }
      const [row] = await tx
        .update(table)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(table.id, other.id))
        .returning();
      audit.push({ action: "update", entity: "billing_plan", entityId: other.id, before: other, after: row });
      outcome.updated.push(other.term);
    }
    if (createMissing) {
      const have = new Set([source.term, ...others.map((other) => other.term)]);
      for (const term of CONTRACT_TERMS.filter((candidate) => !have.has(candidate))) {
        const [row] = await tx
          .insert(table)
          .values({ name: source.name, term, supportLevel: source.supportLevel, ...rates } as typeof table.$inferInsert)
          .returning();
        const planFeatures = (
          await tx.select().from(db.t.planFeatures).where(eq(db.t.planFeatures.planId, source.id))
        ).map((feature) => ({ ...feature, planId: row!.id }));
        if (planFeatures.length) await tx.insert(db.t.planFeatures).values(planFeatures);
        audit.push({ action: "create", entity: "billing_plan", entityId: row!.id, after: { ...row, features } });
        outcome.created.push(term);
      }
    }
    await writeAudit(tx, db, actor, audit);
  });
  return outcome;
}

export async function exportPlans(db: CodexDb, now = new Date()): Promise<PlansFile> {
  const catalog = await featureCatalog(db);
  const features = await planFeatureMap(db);
  const plans = await db.db.select().from(db.t.billingPlans).orderBy(db.t.billingPlans.name, db.t.billingPlans.term);
  return {
    format: PLANS_FORMAT,
    version: 1,
    exported_at: now.toISOString(),
    feature_categories: catalog.map((category) => ({
      key: category.key,
      name: category.name,
      description: category.description,
      options: category.options.map((option) => ({
        value: option.value,
        display_name: option.display_name,
        description: option.description,
      })),
    })),
    plans: plans.map((plan) => ({
      name: plan.name,
      term: plan.term,
      support_level: plan.supportLevel,
      ...ratesOf(plan),
      features: features.get(plan.id) ?? {},
    })),
  };
}
