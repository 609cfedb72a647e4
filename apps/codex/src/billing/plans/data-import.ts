import { eq } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import { validationFailed } from "@hivematrix/lib/errors";
import type { FieldIssue } from "@hivematrix/lib/validate";
import type { featureCategories as categoriesTable, featureOptions as optionsTable } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { type Actor, type AuditRecord, writeAudit } from "../../shared/data-audit.ts";
import { changedFields, type Tx } from "../../shared/data-common.ts";
import { planFeatureMap } from "./data.ts";
import { rateColumns } from "./data-transfer.ts";
import type { ImportSummary, PlansFile } from "./json.ts";

type Category = typeof categoriesTable.$inferSelect;
type Option = typeof optionsTable.$inferSelect;

/** What the import writes against: the catalog as stored, and the ids of categories and options as it grows. */
interface Catalog {
  categories: Category[];
  options: Option[];
  categoryIds: Map<string, number>;
  /** "category id\0option value" → option id. */
  optionIds: Map<string, number>;
  /** plan id → its features as stored before the import. */
  planFeatures: Map<number, Record<string, string>>;
}

const optionKey = (categoryId: number, value: string) => `${categoryId}\u0000${value}`;

/** Every problem of the file against the catalog: duplicates within it, features naming unknown options. */
function problemsOf(file: PlansFile, catalog: Catalog): FieldIssue[] {
  const errors: FieldIssue[] = [];
  /** category key → option values available after the import. */
  const available = new Map<string, Set<string>>();
  for (const category of catalog.categories)
    available.set(
      category.key,
      new Set(catalog.options.filter((option) => option.categoryId === category.id).map((option) => option.value)),
    );
  const seenCategories = new Set<string>();
  file.feature_categories.forEach((category, index) => {
    const where = `feature_categories.${index}`;
    if (seenCategories.has(category.key))
      errors.push({ field: `${where}.key`, message: `Category "${category.key}" appears twice in the file.` });
    seenCategories.add(category.key);
    const values = available.get(category.key) ?? new Set<string>();
    const seenOptions = new Set<string>();
    category.options.forEach((option, optionIndex) => {
      if (seenOptions.has(option.value))
        errors.push({
          field: `${where}.options.${optionIndex}.value`,
          message: `Option "${option.value}" appears twice in ${category.key}.`,
        });
      seenOptions.add(option.value);
      values.add(option.value);
    });
    available.set(category.key, values);
  });
  const seenPlans = new Set<string>();
  file.plans.forEach((plan, index) => {
    const key = `${plan.name}\u0000${plan.term}`;
    if (seenPlans.has(key))
      errors.push({
        field: `plans.${index}.name`,
        message: `Plan "${plan.name}" (${plan.term}) appears twice in the file.`,
      });
    seenPlans.add(key);
    for (const [category, value] of Object.entries(plan.features)) {
      const values = available.get(category);
      const field = `plans.${index}.features.${category}`;
      if (!values) errors.push({ field, message: `No feature category "${category}" here or in the file.` });
      else if (!values.has(value))
        errors.push({ field, message: `"${value}" is not an option of ${category} here or in the file.` });
    }
  });
  return errors;
}

async function writeCatalog(tx: Tx, db: CodexDb, file: PlansFile, catalog: Catalog, audit: AuditRecord[]) {
  const { featureCategories, featureOptions } = db.t;
  const counts = { categories: { created: 0, updated: 0 }, options: { created: 0, updated: 0 } };
  for (const category of file.feature_categories) {
    const before = catalog.categories.find((stored) => stored.key === category.key);
    if (!before) {
      const [row] = await tx
        .insert(featureCategories)
        .values({ key: category.key, name: category.name, description: category.description ?? null })
        .returning();
      catalog.categoryIds.set(category.key, row!.id);
      audit.push({ action: "create", entity: "feature_category", entityId: row!.id, after: row });
      counts.categories.created++;
    } else {
      const changes = changedFields(before, { name: category.name, description: category.description ?? null });
      if (Object.keys(changes).length) {
        const [row] = await tx
          .update(featureCategories)
          .set(changes)
          .where(eq(featureCategories.id, before.id))
          .returning();
        audit.push({ action: "update", entity: "feature_category", entityId: before.id, before, after: row });
        counts.categories.updated++;
      }
    }
    const categoryId = catalog.categoryIds.get(category.key)!;
    for (const option of category.options) {
      const before = catalog.options.find(
        (stored) => stored.categoryId === categoryId && stored.value === option.value,
      );
      const columns = { displayName: option.display_name, description: option.description ?? null };
      if (!before) {
        const [row] = await tx
          .insert(featureOptions)
          .values({ categoryId, value: option.value, ...columns })
          .returning();
        catalog.optionIds.set(optionKey(categoryId, option.value), row!.id);
        audit.push({ action: "create", entity: "feature_option", entityId: row!.id, after: row });
        counts.options.created++;
      } else {
        const changes = changedFields(before, columns);
        if (Object.keys(changes).length) {
          const [row] = await tx
            .update(featureOptions)
            .set(changes)
            .where(eq(featureOptions.id, before.id))
            .returning();
          audit.push({ action: "update", entity: "feature_option", entityId: before.id, before, after: row });
          counts.options.updated++;
        }
      }
    }
  }
  return counts;
}

async function writePlans(tx: Tx, db: CodexDb, file: PlansFile, catalog: Catalog, audit: AuditRecord[]) {
  const { billingPlans, planFeatures } = db.t;
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const plans = await tx.select().from(billingPlans);
  for (const plan of file.plans) {
    const columns = { supportLevel: plan.support_level ?? "Billed Hourly", ...rateColumns(plan) };
    const before = plans.find((stored) => stored.name === plan.name && stored.term === plan.term);
    let planId: number;
    let changed = false;
    if (!before) {
      const [row] = await tx
        .insert(billingPlans)
        .values({ name: plan.name, term: plan.term, ...columns } as typeof billingPlans.$inferInsert)
        .returning();
      planId = row!.id;
      audit.push({
        action: "create",
        entity: "billing_plan",
        entityId: planId,
        after: { ...row, features: plan.features },
      });
      counts.created++;
    } else {
      planId = before.id;
      const changes = changedFields(before, columns);
      if (Object.keys(changes).length) {
        const [row] = await tx
          .update(billingPlans)
          .set({ ...changes, updatedAt: new Date() })
          .where(eq(billingPlans.id, planId))
          .returning();
        audit.push({ action: "update", entity: "billing_plan", entityId: planId, before, after: row });
        changed = true;
      }
      const had = catalog.planFeatures.get(planId) ?? {};
      if (JSON.stringify(Object.entries(had).sort()) !== JSON.stringify(Object.entries(plan.features).sort())) {
        audit.push({
          action: "update",
          entity: "billing_plan",
          entityId: planId,
          before: { features: had },
          after: { features: plan.features },
        });
        changed = true;
      }
      if (changed) counts.updated++;
      else counts.unchanged++;
    }
    if (before && !changed) continue;
    await tx.delete(planFeatures).where(eq(planFeatures.planId, planId));
    const rows = Object.entries(plan.features).map(([key, value]) => {
      const categoryId = catalog.categoryIds.get(key)!;
      return { planId, categoryId, optionId: catalog.optionIds.get(optionKey(categoryId, value))! };
    });
    if (rows.length) await tx.insert(planFeatures).values(rows);
  }
  return counts;
}

/**
 * Imports a plans file: categories by key, options by (category, value) and plans by (name,
 * term) are created or updated; a plan's features become exactly the file's. Everything is
 * checked first (duplicates within the file, features naming unknown options) and every
 * problem is reported with its place in the file; then it is written in one transaction, or
 * nothing is.
 */
export async function importPlans(db: CodexDb, file: PlansFile, actor: Actor): Promise<ImportSummary> {
  const categories = await db.db.select().from(db.t.featureCategories);
  const options = await db.db.select().from(db.t.featureOptions);
  const catalog: Catalog = {
    categories,
    options,
    categoryIds: new Map(categories.map((category) => [category.key, category.id])),
    optionIds: new Map(options.map((option) => [optionKey(option.categoryId, option.value), option.id])),
    planFeatures: new Map(),
  };
  const errors = problemsOf(file, catalog);
  if (errors.length) throw validationFailed(errors);
  catalog.planFeatures = await planFeatureMap(db);
  return transaction(db, async (tx) => {
    const audit: AuditRecord[] = [];
    const written = await writeCatalog(tx, db, file, catalog, audit);
    const plans = await writePlans(tx, db, file, catalog, audit);
    await writeAudit(tx, db, actor, audit);
    return { ...written, plans };
  });
}
