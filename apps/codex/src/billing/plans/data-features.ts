import { and, eq } from "drizzle-orm";
import { isUniqueViolation, lockKey, transaction } from "@hivematrix/lib/db";
import { conflict, notFound, validationFailed } from "@hivematrix/lib/errors";
import type { CodexDb } from "../../deps.ts";
import { type Actor, writeAudit } from "../../shared/data-audit.ts";
import type { Tx } from "../../shared/data-common.ts";
import { deleteRecord, insertRecord } from "../../shared/data-records.ts";
import type { CategoryCreate, CompanyFeature, FeatureCatalog, FeatureChoices, OptionCreate } from "./json-features.ts";

/** Feature categories and their options; the choices plans include and companies override. */

export async function featureCatalog(db: CodexDb): Promise<FeatureCatalog> {
  const { featureCategories, featureOptions } = db.t;
  const categories = await db.db.select().from(featureCategories).orderBy(featureCategories.name);
  const options = await db.db.select().from(featureOptions).orderBy(featureOptions.displayName);
  return categories.map((category) => ({
    id: category.id,
    key: category.key,
    name: category.name,
    description: category.description,
    options: options
      .filter((option) => option.categoryId === category.id)
      .map((option) => ({
        id: option.id,
        value: option.value,
        display_name: option.displayName,
        description: option.description,
      })),
  }));
}

export async function createCategory(db: CodexDb, input: CategoryCreate, actor: Actor) {
  try {
    return await insertRecord<typeof db.t.featureCategories.$inferSelect>(db, actor, {
      entity: "feature_category",
      table: db.t.featureCategories,
      companyId: null,
      values: { key: input.key, name: input.name, description: input.description ?? null },
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(`A category "${input.key}" already exists.`, [{ field: "key", message: "Already exists." }]);
    throw error;
  }
}

export async function createOption(db: CodexDb, input: OptionCreate, actor: Actor) {
  const categories = db.t.featureCategories;
  const [category] = await db.db.select().from(categories).where(eq(categories.key, input.category));
  if (!category) throw validationFailed([{ field: "category", message: `No feature category "${input.category}".` }]);
  try {
    return await insertRecord<typeof db.t.featureOptions.$inferSelect>(db, actor, {
      entity: "feature_option",
      table: db.t.featureOptions,
      companyId: null,
      values: {
        categoryId: category.id,
        value: input.value,
        displayName: input.display_name ?? input.value,
        description: input.description ?? null,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(`"${input.value}" already exists in ${category.name}.`, [
        { field: "value", message: "Already exists." },
      ]);
    throw error;
  }
}

export async function deleteOption(db: CodexDb, id: number, actor: Actor) {
  const table = db.t.featureOptions;
  const [row] = await db.db.select().from(table).where(eq(table.id, id));
  if (!row) throw notFound(`No feature option ${id}.`);
  await deleteRecord(db, actor, { entity: "feature_option", table, companyId: null, current: row });
}

export async function deleteCategory(db: CodexDb, id: number, actor: Actor) {
  const table = db.t.featureCategories;
  const [row] = await db.db.select().from(table).where(eq(table.id, id));
  if (!row) throw notFound(`No feature category ${id}.`);
  await deleteRecord(db, actor, { entity: "feature_category", table, companyId: null, current: row });
}

/** Resolves { category key → option value } to ids, with field errors for unknown ones. */
async function resolveChoices(db: CodexDb, choices: FeatureChoices) {
  const categories = await db.db.select().from(db.t.featureCategories);
  const options = await db.db.select().from(db.t.featureOptions);
  const resolved: { categoryId: number; optionId: number | null; key: string }[] = [];
  const errors: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(choices)) {
    const category = categories.find((candidate) => candidate.key === key);
    if (!category) {
      errors.push({ field: key, message: `No feature category "${key}".` });
      continue;
    }
    if (value === null) {
      resolved.push({ categoryId: category.id, optionId: null, key });
      continue;
    }
    const option = options.find((candidate) => candidate.categoryId === category.id && candidate.value === value);
    if (!option) errors.push({ field: key, message: `"${value}" is not an option of ${category.name}.` });
    else resolved.push({ categoryId: category.id, optionId: option.id, key });
  }
  if (errors.length) throw validationFailed(errors);
  return resolved;
}

type Choice = Awaited<ReturnType<typeof resolveChoices>>[number];

async function writePlanChoice(tx: Tx, db: CodexDb, actor: Actor, planId: number, choice: Choice) {
  const table = db.t.planFeatures;
  const where = and(eq(table.planId, planId), eq(table.categoryId, choice.categoryId));
  const [before] = await tx.select().from(table).where(where);
  await tx.delete(table).where(where);
  if (choice.optionId !== null)
    await tx.insert(table).values({ planId, categoryId: choice.categoryId, optionId: choice.optionId });
  await writeAudit(tx, db, actor, [
    {
      action: "update",
      entity: "billing_plan",
      entityId: planId,
      before: { feature: choice.key, option_id: before?.optionId ?? null },
      after: { feature: choice.key, option_id: choice.optionId },
    },
  ]);
}

async function writeCompanyChoice(tx: Tx, db: CodexDb, actor: Actor, companyId: number, choice: Choice) {
  const table = db.t.companyFeatureOverrides;
  const where = and(eq(table.companyId, companyId), eq(table.categoryId, choice.categoryId));
  const [before] = await tx.select().from(table).where(where);
  await tx.delete(table).where(where);
  if (choice.optionId !== null)
    await tx.insert(table).values({ companyId, categoryId: choice.categoryId, optionId: choice.optionId });
  await writeAudit(tx, db, actor, [
    {
      action: choice.optionId === null ? "delete" : before ? "update" : "create",
      entity: "company_feature_override",
      entityId: `${companyId}:${choice.key}`,
      companyId,
      before: before ?? null,
      after: choice.optionId === null ? null : { feature: choice.key, option_id: choice.optionId },
    },
  ]);
}

/** Sets a plan's features (or, with companyId, a company's overrides of them). */
export async function setFeatures(
  db: CodexDb,
  target: { planId: number } | { companyId: number },
  choices: FeatureChoices,
  actor: Actor,
) {
  const resolved = await resolveChoices(db, choices);
  await transaction(db, async (tx) => {
    // Each choice replaces a row (delete, then insert): one writer per plan or company at a time.
    await lockKey(
      db,
      "planId" in target ? `codex:plan-features:${target.planId}` : `codex:company-features:${target.companyId}`,
    );
    for (const choice of resolved)
      if ("planId" in target) await writePlanChoice(tx, db, actor, target.planId, choice);
      else await writeCompanyChoice(tx, db, actor, target.companyId, choice);
  });
}

/** A company's features: its plan's options with its own overrides laid over them. */
export async function companyFeatures(
  db: CodexDb,
  companyId: number,
  planId: number | null,
): Promise<CompanyFeature[]> {
  const { featureCategories, featureOptions, planFeatures, companyFeatureOverrides } = db.t;
  const catalog = await db.db
    .select({ id: featureCategories.id, key: featureCategories.key, name: featureCategories.name })
    .from(featureCategories)
    .orderBy(featureCategories.name);
  const options = new Map((await db.db.select().from(featureOptions)).map((option) => [option.id, option]));
  const fromPlan = new Map(
    planId
      ? (await db.db.select().from(planFeatures).where(eq(planFeatures.planId, planId))).map((feature) => [
          feature.categoryId,
          feature.optionId,
        ])
      : [],
  );
  const own = new Map(
    (await db.db.select().from(companyFeatureOverrides).where(eq(companyFeatureOverrides.companyId, companyId))).map(
      (override) => [override.categoryId, override.optionId],
    ),
  );
  return catalog.map((category) => {
    const optionId = own.get(category.id) ?? fromPlan.get(category.id);
    const option = optionId ? options.get(optionId) : undefined;
    return {
      key: category.key,
      name: category.name,
      value: option?.value ?? null,
      display_name: option?.displayName ?? null,
      source: own.has(category.id) ? "override" : fromPlan.has(category.id) ? "plan" : "none",
    };
  });
}
