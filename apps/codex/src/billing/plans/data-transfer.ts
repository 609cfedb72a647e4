import { z } from "zod";
import { and, eq, ne } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import { validationFailed } from "@hivematrix/lib/errors";
import type { FieldIssue } from "@hivematrix/lib/validate";
import type { CodexDb } from "../deps.ts";
import { CONTRACT_TERMS, type BillingPlan } from "../db/schema.ts";
import { changedFields } from "../shared/data-common.ts";
import { writeAudit, type Actor, type AuditRecord } from "../shared/data-audit.ts";
import {
  categoryCreateSchema,
  featureCatalog,
  planCreateSchema,
  planFeatureMap,
  RATE_FIELDS,
  type RateField,
} from "../data/plans.ts";

/**
 * Plans in bulk: copy one term's rates to the plan's other terms, and export every plan with
 * the feature catalog as JSON that `importPlans` takes back (another Codex, or this one after
 * edits in a text editor).
 */

export const copyTermsSchema = z.object({ create_missing: z.boolean().default(false) }).strict();

/** The plan's rates (API names). */
function ratesOf(p: BillingPlan): Record<RateField, number> {
  return Object.fromEntries(Object.entries(RATE_FIELDS).map(([api, col]) => [api, p[col]])) as Record<
    RateField,
    number
  >;
}
function rateColumns(rates: Record<RateField, number>): Partial<BillingPlan> {
  return Object.fromEntries(
    Object.entries(RATE_FIELDS).map(([api, col]) => [col, rates[api as RateField]]),
  ) as Partial<BillingPlan>;
}

/**
 * Applies `source`'s rates to every other term of the same plan name; with `createMissing`,
 * adds the terms the plan does not have yet (with the same support level and features).
 */
export async function copyTerms(
  h: CodexDb,
  source: BillingPlan,
  createMissing: boolean,
  actor: Actor,
): Promise<{ updated: string[]; created: string[]; unchanged: string[] }> {
  const t = h.t.billingPlans;
  const others = await h.db
    .select()
    .from(t)
    .where(and(eq(t.name, source.name), ne(t.id, source.id)));
  const rates = rateColumns(ratesOf(source));
  const features = (await planFeatureMap(h)).get(source.id) ?? {};
  const out = { updated: [] as string[], created: [] as string[], unchanged: [] as string[] };
  await transaction(h, async (tx) => {
    const audit: AuditRecord[] = [];
    for (const other of others) {
      const changes = changedFields(other, rates);
      if (Object.keys(changes).length === 0) {
        out.unchanged.push(other.term);
        continue;
      }
      const [row] = await tx
        .update(t)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(t.id, other.id))
        .returning();
      audit.push({ action: "update", entity: "billing_plan", entityId: other.id, before: other, after: row });
      out.updated.push(other.term);
    }
    if (createMissing) {
      const have = new Set([source.term, ...others.map((o) => o.term)]);
      for (const term of CONTRACT_TERMS.filter((x) => !have.has(x))) {
        const [row] = await tx
          .insert(t)
          .values({ name: source.name, term, supportLevel: source.supportLevel, ...rates } as typeof t.$inferInsert)
          .returning();
        const planFeatures = (
          await tx.select().from(h.t.planFeatures).where(eq(h.t.planFeatures.planId, source.id))
        ).map((f) => ({ ...f, planId: row!.id }));
        if (planFeatures.length) await tx.insert(h.t.planFeatures).values(planFeatures);
        audit.push({ action: "create", entity: "billing_plan", entityId: row!.id, after: { ...row, features } });
        out.created.push(term);
      }
    }
    await writeAudit(tx, h, actor, audit);
  });
  return out;
}

// ---- export / import ----

export const PLANS_FORMAT = "hivematrix-billing-plans";

const optionSchema = z
  .object({
    value: z.string().trim().min(1, "Required.").max(100),
    display_name: z.string().trim().min(1, "Required.").max(200),
    description: z.string().trim().max(500).nullable().optional(),
  })
  .strict();
const categorySchema = categoryCreateSchema
  .extend({
    description: z.string().trim().max(500).nullable().optional(),
    options: z.array(optionSchema).max(200).default([]),
  })
  .strict();
const planSchema = planCreateSchema
  .extend({ features: z.record(z.string().max(50), z.string().max(100)).default({}) })
  .strict();

export const plansFileSchema = z
  .object({
    format: z.literal(PLANS_FORMAT),
    version: z.literal(1),
    exported_at: z.string().max(50).optional(),
    feature_categories: z.array(categorySchema).max(500),
    plans: z.array(planSchema).max(2000),
  })
  .strict();
export type PlansFile = z.infer<typeof plansFileSchema>;

export async function exportPlans(h: CodexDb, now = new Date()): Promise<PlansFile> {
  const catalog = await featureCatalog(h);
  const features = await planFeatureMap(h);
  const plans = await h.db.select().from(h.t.billingPlans).orderBy(h.t.billingPlans.name, h.t.billingPlans.term);
  return {
    format: PLANS_FORMAT,
    version: 1,
    exported_at: now.toISOString(),
    feature_categories: catalog.map((c) => ({
      key: c.key,
      name: c.name,
      description: c.description,
      options: c.options.map((o) => ({ value: o.value, display_name: o.display_name, description: o.description })),
    })),
    plans: plans.map((p) => ({
      name: p.name,
      term: p.term,
      support_level: p.supportLevel,
      ...ratesOf(p),
      features: features.get(p.id) ?? {},
    })),
  };
}

export interface ImportSummary {
  categories: { created: number; updated: number };
  options: { created: number; updated: number };
  plans: { created: number; updated: number; unchanged: number };
}

/**
 * Imports a plans file: categories by key, options by (category, value) and plans by (name,
 * term) are created or updated; a plan's features become exactly the file's. Everything is
 * checked first (duplicates within the file, features naming unknown options) and every
 * problem is reported with its place in the file; then it is written in one transaction, or
 * nothing is.
 */
export async function importPlans(h: CodexDb, file: PlansFile, actor: Actor): Promise<ImportSummary> {
  const errors: FieldIssue[] = [];
  const existingCats = await h.db.select().from(h.t.featureCategories);
  const existingOpts = await h.db.select().from(h.t.featureOptions);
  /** category key → option values available after the import. */
  const available = new Map<string, Set<string>>();
  for (const c of existingCats)
    available.set(c.key, new Set(existingOpts.filter((o) => o.categoryId === c.id).map((o) => o.value)));
  const seenCats = new Set<string>();
  file.feature_categories.forEach((c, i) => {
    if (seenCats.has(c.key))
      errors.push({ field: `feature_categories.${i}.key`, message: `Category "${c.key}" appears twice in the file.` });
    seenCats.add(c.key);
    const values = available.get(c.key) ?? new Set<string>();
    const seenOpts = new Set<string>();
    c.options.forEach((o, j) => {
      if (seenOpts.has(o.value))
        errors.push({
          field: `feature_categories.${i}.options.${j}.value`,
          message: `Option "${o.value}" appears twice in ${c.key}.`,
        });
      seenOpts.add(o.value);
      values.add(o.value);
    });
    available.set(c.key, values);
  });
  const seenPlans = new Set<string>();
  file.plans.forEach((p, i) => {
    const key = `${p.name}\u0000${p.term}`;
    if (seenPlans.has(key))
      errors.push({ field: `plans.${i}.name`, message: `Plan "${p.name}" (${p.term}) appears twice in the file.` });
    seenPlans.add(key);
    for (const [cat, value] of Object.entries(p.features)) {
      const values = available.get(cat);
      if (!values)
        errors.push({
          field: `plans.${i}.features.${cat}`,
          message: `No feature category "${cat}" here or in the file.`,
        });
      else if (!values.has(value))
        errors.push({
          field: `plans.${i}.features.${cat}`,
          message: `"${value}" is not an option of ${cat} here or in the file.`,
        });
    }
  });
  if (errors.length) throw validationFailed(errors);

  const currentFeatures = await planFeatureMap(h);
  const summary: ImportSummary = {
    categories: { created: 0, updated: 0 },
    options: { created: 0, updated: 0 },
    plans: { created: 0, updated: 0, unchanged: 0 },
  };
  await transaction(h, async (tx) => {
    const t = h.t;
    const audit: AuditRecord[] = [];
    const catIds = new Map(existingCats.map((c) => [c.key, c.id]));
    const optIds = new Map(existingOpts.map((o) => [`${o.categoryId}\u0000${o.value}`, o.id]));
    for (const c of file.feature_categories) {
      const before = existingCats.find((x) => x.key === c.key);
      if (!before) {
        const [row] = await tx
          .insert(t.featureCategories)
          .values({ key: c.key, name: c.name, description: c.description ?? null })
          .returning();
        catIds.set(c.key, row!.id);
        audit.push({ action: "create", entity: "feature_category", entityId: row!.id, after: row });
        summary.categories.created++;
      } else {
        const changes = changedFields(before, { name: c.name, description: c.description ?? null });
        if (Object.keys(changes).length) {
          const [row] = await tx
            .update(t.featureCategories)
            .set(changes)
            .where(eq(t.featureCategories.id, before.id))
            .returning();
          audit.push({ action: "update", entity: "feature_category", entityId: before.id, before, after: row });
          summary.categories.updated++;
        }
      }
      const categoryId = catIds.get(c.key)!;
      for (const o of c.options) {
        const before = existingOpts.find((x) => x.categoryId === categoryId && x.value === o.value);
        if (!before) {
          const [row] = await tx
            .insert(t.featureOptions)
            .values({ categoryId, value: o.value, displayName: o.display_name, description: o.description ?? null })
            .returning();
          optIds.set(`${categoryId}\u0000${o.value}`, row!.id);
          audit.push({ action: "create", entity: "feature_option", entityId: row!.id, after: row });
          summary.options.created++;
        } else {
          const changes = changedFields(before, { displayName: o.display_name, description: o.description ?? null });
          if (Object.keys(changes).length) {
            const [row] = await tx
              .update(t.featureOptions)
              .set(changes)
              .where(eq(t.featureOptions.id, before.id))
              .returning();
            audit.push({ action: "update", entity: "feature_option", entityId: before.id, before, after: row });
            summary.options.updated++;
          }
        }
      }
    }
    const plans = await tx.select().from(t.billingPlans);
    for (const p of file.plans) {
      const cols = { supportLevel: p.support_level ?? "Billed Hourly", ...rateColumns(p) };
      const before = plans.find((x) => x.name === p.name && x.term === p.term);
      let planId: number;
      let changed = false;
      if (!before) {
        const [row] = await tx
          .insert(t.billingPlans)
          .values({ name: p.name, term: p.term, ...cols } as typeof t.billingPlans.$inferInsert)
          .returning();
        planId = row!.id;
        audit.push({
          action: "create",
          entity: "billing_plan",
          entityId: planId,
          after: { ...row, features: p.features },
        });
        summary.plans.created++;
      } else {
        planId = before.id;
        const changes = changedFields(before, cols);
        if (Object.keys(changes).length) {
          const [row] = await tx
            .update(t.billingPlans)
            .set({ ...changes, updatedAt: new Date() })
            .where(eq(t.billingPlans.id, planId))
            .returning();
          audit.push({ action: "update", entity: "billing_plan", entityId: planId, before, after: row });
          changed = true;
        }
        const had = currentFeatures.get(planId) ?? {};
        if (JSON.stringify(Object.entries(had).sort()) !== JSON.stringify(Object.entries(p.features).sort())) {
          audit.push({
            action: "update",
            entity: "billing_plan",
            entityId: planId,
            before: { features: had },
            after: { features: p.features },
          });
          changed = true;
        }
        if (changed) summary.plans.updated++;
        else summary.plans.unchanged++;
      }
      if (before && !changed) continue;
      await tx.delete(t.planFeatures).where(eq(t.planFeatures.planId, planId));
      const rows = Object.entries(p.features).map(([key, value]) => {
        const categoryId = catIds.get(key)!;
        return { planId, categoryId, optionId: optIds.get(`${categoryId}\u0000${value}`)! };
      });
      if (rows.length) await tx.insert(t.planFeatures).values(rows);
    }
    await writeAudit(tx, h, actor, audit);
  });
  return summary;
}
