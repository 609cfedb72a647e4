import { z } from "zod";
import { and, eq } from "drizzle-orm";
import { lockKey, transaction } from "@hivematrix/lib/db";
import { conflict, notFound, validationFailed } from "@hivematrix/lib/errors";
import { isUniqueViolation } from "@hivematrix/lib/db";
import type { CodexDb } from "../deps.ts";
import { CONTRACT_TERMS, type BillingPlan } from "../db/schema.ts";
import { changedFields, dropUndefined } from "../shared/data-common.ts";
import { optText } from "../shared/input.ts";
import { writeAudit, type Actor } from "../shared/data-audit.ts";

const money = z.number().int("Whole cents.").min(0).max(100_000_000);
const minutes = z.number().int().min(0).max(1_000_000);

const planFields = {
  name: z.string().trim().min(1, "Required.").max(100),
  term: z.enum(CONTRACT_TERMS),
  support_level: z.string().trim().min(1).max(100).optional(),
  per_user_cents: money,
  per_workstation_cents: money,
  per_server_cents: money,
  per_vm_cents: money,
  per_switch_cents: money,
  per_firewall_cents: money,
  per_hour_cents: money,
  prepaid_minutes_monthly: minutes.default(0),
  prepaid_minutes_yearly: minutes.default(0),
  backup_base_workstation_cents: money,
  backup_base_server_cents: money,
  backup_included_tb: z.number().int().min(0).max(10_000),
  backup_per_tb_cents: money,
};
export const planCreateSchema = z.object(planFields).strict();
export const planUpdateSchema = z.object(planFields).partial().strict();
export type PlanInput = z.infer<typeof planCreateSchema>;

/** The rate fields of a plan, as API names → column names (overrides use the same names). */
export const RATE_FIELDS = {
  per_user_cents: "perUserCents",
  per_workstation_cents: "perWorkstationCents",
  per_server_cents: "perServerCents",
  per_vm_cents: "perVmCents",
  per_switch_cents: "perSwitchCents",
  per_firewall_cents: "perFirewallCents",
  per_hour_cents: "perHourCents",
  prepaid_minutes_monthly: "prepaidMinutesMonthly",
  prepaid_minutes_yearly: "prepaidMinutesYearly",
  backup_base_workstation_cents: "backupBaseWorkstationCents",
  backup_base_server_cents: "backupBaseServerCents",
  backup_included_tb: "backupIncludedTb",
  backup_per_tb_cents: "backupPerTbCents",
} as const;
export type RateField = keyof typeof RATE_FIELDS;

function toColumns(i: Partial<PlanInput>): Partial<BillingPlan> {
  const out: Record<string, unknown> = dropUndefined({ name: i.name, term: i.term, supportLevel: i.support_level });
  for (const [api, col] of Object.entries(RATE_FIELDS))
    if (i[api as RateField] !== undefined) out[col] = i[api as RateField];
  return out as Partial<BillingPlan>;
}

export function planJson(p: BillingPlan, features: Record<string, string> = {}) {
  const rates = Object.fromEntries(Object.entries(RATE_FIELDS).map(([api, col]) => [api, p[col]]));
  return {
    id: p.id,
    name: p.name,
    term: p.term,
    support_level: p.supportLevel,
    ...rates,
    features,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  } as unknown as {
    id: number;
    name: string;
    term: string;
    support_level: string;
    features: Record<string, string>;
  } & Record<RateField, number>;
}

/** plan id → { category key → option value }. */
export async function planFeatureMap(h: CodexDb): Promise<Map<number, Record<string, string>>> {
  const rows = await h.db
    .select({ planId: h.t.planFeatures.planId, key: h.t.featureCategories.key, value: h.t.featureOptions.value })
    .from(h.t.planFeatures)
    .innerJoin(h.t.featureCategories, eq(h.t.featureCategories.id, h.t.planFeatures.categoryId))
    .innerJoin(h.t.featureOptions, eq(h.t.featureOptions.id, h.t.planFeatures.optionId));
  const out = new Map<number, Record<string, string>>();
  for (const r of rows) (out.get(r.planId) ?? out.set(r.planId, {}).get(r.planId)!)[r.key] = r.value;
  return out;
}

export async function requirePlan(h: CodexDb, id: number): Promise<BillingPlan> {
  const [row] = await h.db.select().from(h.t.billingPlans).where(eq(h.t.billingPlans.id, id));
  if (!row) throw notFound(`No billing plan ${id}.`);
  return row;
}

const duplicate = (i: { name?: string; term?: string }) =>
  conflict(`A plan "${i.name}" with this term already exists.`, [
    { field: "name", message: "A plan with this name and term already exists." },
  ]);

export async function createPlan(h: CodexDb, input: PlanInput, actor: Actor): Promise<BillingPlan> {
  try {
    return await transaction(h, async (tx) => {
      const [row] = await tx
        .insert(h.t.billingPlans)
        .values(toColumns(input) as typeof h.t.billingPlans.$inferInsert)
        .returning();
      await writeAudit(tx, h, actor, [{ action: "create", entity: "billing_plan", entityId: row!.id, after: row }]);
      return row!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate(input);
    throw e;
  }
}

export async function updatePlan(
  h: CodexDb,
  plan: BillingPlan,
  input: Partial<PlanInput>,
  actor: Actor,
): Promise<BillingPlan> {
  const changes = changedFields(plan, toColumns(input));
  if (Object.keys(changes).length === 0) return plan;
  if (changes.term && plan.term !== changes.term) {
    const [used] = await h.db
      .select({ id: h.t.companies.id })
      .from(h.t.companies)
      .where(eq(h.t.companies.billingPlanId, plan.id))
      .limit(1);
    if (used)
      throw validationFailed([
        { field: "term", message: "Companies are on this plan; add a plan for the other term instead." },
      ]);
  }
  try {
    return await transaction(h, async (tx) => {
      const [row] = await tx
        .update(h.t.billingPlans)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(h.t.billingPlans.id, plan.id))
        .returning();
      await writeAudit(tx, h, actor, [
        { action: "update", entity: "billing_plan", entityId: plan.id, before: plan, after: row },
      ]);
      return row!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate({ name: changes.name ?? plan.name });
    throw e;
  }
}

export async function deletePlan(h: CodexDb, plan: BillingPlan, actor: Actor): Promise<void> {
  const [used] = await h.db
    .select({ id: h.t.companies.id })
    .from(h.t.companies)
    .where(eq(h.t.companies.billingPlanId, plan.id))
    .limit(1);
  if (used) throw conflict("Companies are on this plan; move them to another plan first.");
  await transaction(h, async (tx) => {
    await tx.delete(h.t.billingPlans).where(eq(h.t.billingPlans.id, plan.id));
    await writeAudit(tx, h, actor, [{ action: "delete", entity: "billing_plan", entityId: plan.id, before: plan }]);
  });
}

// ---- feature categories and options ----

export const categoryCreateSchema = z
  .object({
    key: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,49}$/, "Lower-case letters, digits and underscores."),
    name: z.string().trim().min(1, "Required.").max(100),
    description: optText(500),
  })
  .strict();
export const optionCreateSchema = z
  .object({
    category: z.string().trim().min(1).max(50),
    value: z.string().trim().min(1, "Required.").max(100),
    display_name: z.string().trim().min(1).max(200).optional(),
    description: optText(500),
  })
  .strict();
/** category key → option value; null removes the category from the plan (or the override). */
export const featureChoiceSchema = z.record(z.string().max(50), z.string().max(100).nullable());

export async function featureCatalog(h: CodexDb) {
  const cats = await h.db.select().from(h.t.featureCategories).orderBy(h.t.featureCategories.name);
  const opts = await h.db.select().from(h.t.featureOptions).orderBy(h.t.featureOptions.displayName);
  return cats.map((c) => ({
    id: c.id,
    key: c.key,
    name: c.name,
    description: c.description,
    options: opts
      .filter((o) => o.categoryId === c.id)
      .map((o) => ({ id: o.id, value: o.value, display_name: o.displayName, description: o.description })),
  }));
}

export async function createCategory(h: CodexDb, input: z.infer<typeof categoryCreateSchema>, actor: Actor) {
  try {
    return await transaction(h, async (tx) => {
      const [row] = await tx
        .insert(h.t.featureCategories)
        .values({ key: input.key, name: input.name, description: input.description ?? null })
        .returning();
      await writeAudit(tx, h, actor, [{ action: "create", entity: "feature_category", entityId: row!.id, after: row }]);
      return row!;
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw conflict(`A category "${input.key}" already exists.`, [{ field: "key", message: "Already exists." }]);
    throw e;
  }
}

export async function createOption(h: CodexDb, input: z.infer<typeof optionCreateSchema>, actor: Actor) {
  const [cat] = await h.db.select().from(h.t.featureCategories).where(eq(h.t.featureCategories.key, input.category));
  if (!cat) throw validationFailed([{ field: "category", message: `No feature category "${input.category}".` }]);
  try {
    return await transaction(h, async (tx) => {
      const [row] = await tx
        .insert(h.t.featureOptions)
        .values({
          categoryId: cat.id,
          value: input.value,
          displayName: input.display_name ?? input.value,
          description: input.description ?? null,
        })
        .returning();
      await writeAudit(tx, h, actor, [{ action: "create", entity: "feature_option", entityId: row!.id, after: row }]);
      return row!;
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw conflict(`"${input.value}" already exists in ${cat.name}.`, [
        { field: "value", message: "Already exists." },
      ]);
    throw e;
  }
}

export async function deleteOption(h: CodexDb, id: number, actor: Actor) {
  const [row] = await h.db.select().from(h.t.featureOptions).where(eq(h.t.featureOptions.id, id));
  if (!row) throw notFound(`No feature option ${id}.`);
  await transaction(h, async (tx) => {
    await tx.delete(h.t.featureOptions).where(eq(h.t.featureOptions.id, id));
    await writeAudit(tx, h, actor, [{ action: "delete", entity: "feature_option", entityId: id, before: row }]);
  });
}

export async function deleteCategory(h: CodexDb, id: number, actor: Actor) {
  const [row] = await h.db.select().from(h.t.featureCategories).where(eq(h.t.featureCategories.id, id));
  if (!row) throw notFound(`No feature category ${id}.`);
  await transaction(h, async (tx) => {
    await tx.delete(h.t.featureCategories).where(eq(h.t.featureCategories.id, id));
    await writeAudit(tx, h, actor, [{ action: "delete", entity: "feature_category", entityId: id, before: row }]);
  });
}

/** Resolves { category key → option value } to ids, with field errors for unknown ones. */
async function resolveChoices(h: CodexDb, choices: Record<string, string | null>) {
  const cats = await h.db.select().from(h.t.featureCategories);
  const opts = await h.db.select().from(h.t.featureOptions);
  const out: { categoryId: number; optionId: number | null; key: string }[] = [];
  const errors: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(choices)) {
    const cat = cats.find((c) => c.key === key);
    if (!cat) {
      errors.push({ field: key, message: `No feature category "${key}".` });
      continue;
    }
    if (value === null) {
      out.push({ categoryId: cat.id, optionId: null, key });
      continue;
    }
    const opt = opts.find((o) => o.categoryId === cat.id && o.value === value);
    if (!opt) errors.push({ field: key, message: `"${value}" is not an option of ${cat.name}.` });
    else out.push({ categoryId: cat.id, optionId: opt.id, key });
  }
  if (errors.length) throw validationFailed(errors);
  return out;
}

/** Sets a plan's features (or, with companyId, a company's overrides of them). */
export async function setFeatures(
  h: CodexDb,
  target: { planId: number } | { companyId: number },
  choices: Record<string, string | null>,
  actor: Actor,
) {
  const resolved = await resolveChoices(h, choices);
  await transaction(h, async (tx) => {
    // Each choice replaces a row (delete, then insert): one writer per plan or company at a time.
    await lockKey(
      h,
      "planId" in target ? `codex:plan-features:${target.planId}` : `codex:company-features:${target.companyId}`,
    );
    for (const r of resolved) {
      if ("planId" in target) {
        const where = and(eq(h.t.planFeatures.planId, target.planId), eq(h.t.planFeatures.categoryId, r.categoryId));
        const [before] = await tx.select().from(h.t.planFeatures).where(where);
        await tx.delete(h.t.planFeatures).where(where);
        if (r.optionId !== null)
          await tx
            .insert(h.t.planFeatures)
            .values({ planId: target.planId, categoryId: r.categoryId, optionId: r.optionId });
        await writeAudit(tx, h, actor, [
          {
            action: "update",
            entity: "billing_plan",
            entityId: target.planId,
            before: { feature: r.key, option_id: before?.optionId ?? null },
            after: { feature: r.key, option_id: r.optionId },
          },
        ]);
      } else {
        const where = and(
          eq(h.t.companyFeatureOverrides.companyId, target.companyId),
          eq(h.t.companyFeatureOverrides.categoryId, r.categoryId),
        );
        const [before] = await tx.select().from(h.t.companyFeatureOverrides).where(where);
        await tx.delete(h.t.companyFeatureOverrides).where(where);
        if (r.optionId !== null)
          await tx
            .insert(h.t.companyFeatureOverrides)
            .values({ companyId: target.companyId, categoryId: r.categoryId, optionId: r.optionId });
        await writeAudit(tx, h, actor, [
          {
            action: r.optionId === null ? "delete" : before ? "update" : "create",
            entity: "company_feature_override",
            entityId: `${target.companyId}:${r.key}`,
            companyId: target.companyId,
            before: before ?? null,
            after: r.optionId === null ? null : { feature: r.key, option_id: r.optionId },
          },
        ]);
      }
    }
  });
}

/** A company's features: its plan's options with its own overrides laid over them. */
export async function companyFeatures(db: CodexDb, companyId: number, planId: number | null) {
  const t = db.t;
  const catalog = await db.db
    .select({ id: t.featureCategories.id, key: t.featureCategories.key, name: t.featureCategories.name })
    .from(t.featureCategories)
    .orderBy(t.featureCategories.name);
  const options = new Map((await db.db.select().from(t.featureOptions)).map((option) => [option.id, option]));
  const fromPlan = new Map(
    planId
      ? (await db.db.select().from(t.planFeatures).where(eq(t.planFeatures.planId, planId))).map((feature) => [
          feature.categoryId,
          feature.optionId,
        ])
      : [],
  );
  const own = new Map(
    (
      await db.db.select().from(t.companyFeatureOverrides).where(eq(t.companyFeatureOverrides.companyId, companyId))
    ).map((override) => [override.categoryId, override.optionId]),
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
