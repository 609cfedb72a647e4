import { z } from "zod";
import { and, eq } from "drizzle-orm";
import { jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import { CONTRACT_TERMS } from "../db/schema.ts";
import {
  categoryCreateSchema,
  createCategory,
  createOption,
  createPlan,
  deleteCategory,
  deleteOption,
  deletePlan,
  featureCatalog,
  featureChoiceSchema,
  optionCreateSchema,
  planCreateSchema,
  planFeatureMap,
  planJson,
  planUpdateSchema,
  requirePlan,
  setFeatures,
  updatePlan,
} from "../data/plans.ts";
import { copyTerms, copyTermsSchema, exportPlans, importPlans, plansFileSchema } from "../billing/plan-transfer.ts";
import type { RouteTable } from "./registry.ts";
import { actorOf } from "../shared/request.ts";
import { intParam } from "../shared/request.ts";

const listQuery = z.object({ name: z.string().max(100).optional(), term: z.enum(CONTRACT_TERMS).optional() }).strict();

export function planApi(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Billing plans";
  const json = async (id: number) => planJson(await requirePlan(h, id), (await planFeatureMap(h)).get(id) ?? {});

  // Before /api/billing-plans/:id, which would take "export" as an id.
  r.add(
    {
      method: "get",
      path: "/api/billing-plans/export",
      access: "admin",
      tag,
      summary: "Every plan and the feature catalog as one JSON file (the import format)",
    },
    async (c) => {
      const file = await exportPlans(h);
      c.header("Content-Disposition", `attachment; filename="billing-plans-${file.exported_at!.slice(0, 10)}.json"`);
      c.header("Cache-Control", "no-store");
      return c.json(file);
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/billing-plans/import",
      access: "admin",
      tag,
      summary: "Import plans and features from an export: created or updated, all or nothing (422 lists every problem)",
      body: plansFileSchema,
    },
    async (c) => {
      return c.json(await importPlans(h, await jsonBody(c, plansFileSchema), actorOf(c)));
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/billing-plans/:id/copy-terms",
      access: "billing",
      tag,
      summary: "Apply this term's rates to the plan's other terms ({ create_missing: true } adds the terms it lacks)",
      body: copyTermsSchema,
    },
    async (c) => {
      const plan = await requirePlan(h, intParam(c, "id"));
      const body = await jsonBody(c, copyTermsSchema);
      return c.json(await copyTerms(h, plan, body.create_missing, actorOf(c)));
    },
  );

  r.add(
    {
      method: "get",
      path: "/api/billing-plans",
      access: "staff",
      tag,
      summary: "List billing plans with their features",
      query: listQuery,
    },
    async (c) => {
      const q = queryParams(c, listQuery);
      const t = h.t.billingPlans;
      const rows = await h.db
        .select()
        .from(t)
        .where(and(q.name ? eq(t.name, q.name) : undefined, q.term ? eq(t.term, q.term) : undefined))
        .orderBy(t.name, t.term);
      const features = await planFeatureMap(h);
      return c.json({ items: rows.map((p) => planJson(p, features.get(p.id) ?? {})) });
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/billing-plans",
      access: "billing",
      tag,
      summary: "Create a billing plan",
      body: planCreateSchema,
    },
    async (c) => {
      const plan = await createPlan(h, await jsonBody(c, planCreateSchema), actorOf(c));
      return c.json(await json(plan.id), 201);
    },
  );
  r.add({ method: "get", path: "/api/billing-plans/:id", access: "staff", tag, summary: "A billing plan" }, async (c) =>
    c.json(await json(intParam(c, "id"))),
  );
  r.add(
    {
      method: "put",
      path: "/api/billing-plans/:id",
      access: "billing",
      tag,
      summary: "Update a billing plan",
      body: planUpdateSchema,
    },
    async (c) => {
      const plan = await requirePlan(h, intParam(c, "id"));
      await updatePlan(h, plan, await jsonBody(c, planUpdateSchema), actorOf(c));
      return c.json(await json(plan.id));
    },
  );
  r.add(
    {
      method: "delete",
      path: "/api/billing-plans/:id",
      access: "billing",
      tag,
      summary: "Delete a billing plan no company uses",
    },
    async (c) => {
      const plan = await requirePlan(h, intParam(c, "id"));
      await deletePlan(h, plan, actorOf(c));
      return c.json({ message: `Deleted ${plan.name} (${plan.term}).` });
    },
  );
  r.add(
    {
      method: "put",
      path: "/api/billing-plans/:id/features",
      access: "billing",
      tag,
      summary: "Set a plan's features: { category key: option value | null }",
      body: featureChoiceSchema,
    },
    async (c) => {
      const plan = await requirePlan(h, intParam(c, "id"));
      await setFeatures(h, { planId: plan.id }, await jsonBody(c, featureChoiceSchema), actorOf(c));
      return c.json(await json(plan.id));
    },
  );

  const ftag = "Features";
  r.add(
    {
      method: "get",
      path: "/api/feature-options",
      access: "staff",
      tag: ftag,
      summary: "Feature categories with their options",
    },
    async (c) => c.json({ items: await featureCatalog(h) }),
  );
  r.add(
    {
      method: "post",
      path: "/api/feature-options",
      access: "billing",
      tag: ftag,
      summary: "Add an option to a feature category",
      body: optionCreateSchema,
    },
    async (c) => {
      const row = await createOption(h, await jsonBody(c, optionCreateSchema), actorOf(c));
      return c.json({ id: row.id, value: row.value, display_name: row.displayName, description: row.description }, 201);
    },
  );
  r.add(
    {
      method: "delete",
      path: "/api/feature-options/:id",
      access: "billing",
      tag: ftag,
      summary: "Delete a feature option",
    },
    async (c) => {
      await deleteOption(h, intParam(c, "id"), actorOf(c));
      return c.json({ message: "Deleted." });
    },
  );
  r.add(
    { method: "get", path: "/api/feature-categories", access: "staff", tag: ftag, summary: "Feature categories" },
    async (c) => c.json({ items: await featureCatalog(h) }),
  );
  r.add(
    {
      method: "post",
      path: "/api/feature-categories",
      access: "billing",
      tag: ftag,
      summary: "Add a feature category",
      body: categoryCreateSchema,
    },
    async (c) => {
      const row = await createCategory(h, await jsonBody(c, categoryCreateSchema), actorOf(c));
      return c.json({ id: row.id, key: row.key, name: row.name, description: row.description }, 201);
    },
  );
  r.add(
    {
      method: "delete",
      path: "/api/feature-categories/:id",
      access: "billing",
      tag: ftag,
      summary: "Delete a feature category and its options",
    },
    async (c) => {
      await deleteCategory(h, intParam(c, "id"), actorOf(c));
      return c.json({ message: "Deleted." });
    },
  );
}
