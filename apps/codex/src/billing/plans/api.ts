import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { actorOf } from "../../shared/request.ts";
import { errorAnswer, jsonAnswer, jsonRequest, messageSchema } from "../../shared/route-schemas.ts";
import { createPlan, deletePlan, listPlans, planJsonOf, requirePlan, updatePlan } from "./data.ts";
import { setFeatures } from "./data-features.ts";
import { importPlans } from "./data-import.ts";
import { copyTerms, exportPlans } from "./data-transfer.ts";
import {
  copyTermsAnswer,
  copyTermsSchema,
  importSummarySchema,
  planCreateSchema,
  planListQuery,
  planParams,
  planSchema,
  plansFileSchema,
  planUpdateSchema,
} from "./json.ts";
import { featureChoiceSchema } from "./json-features.ts";

const tags: [string] = ["Billing plans"];
const onePlan = jsonAnswer(planSchema, "The plan, with its features");
const duplicate = errorAnswer("A plan with this name and term exists");

const route = {
  export: apiRoute({
    method: "get",
    path: "/api/billing-plans/export",
    access: ACCESS.admin,
    tags,
    summary: "Every plan and the feature catalog as one JSON file (the import format)",
    responses: { 200: jsonAnswer(plansFileSchema, "The file (a download)") },
  }),
  import: apiRoute({
    method: "post",
    path: "/api/billing-plans/import",
    access: ACCESS.admin,
    tags,
    summary: "Import plans and features from an export: created or updated, all or nothing (422 lists every problem)",
    request: { body: jsonRequest(plansFileSchema) },
    responses: { 200: jsonAnswer(importSummarySchema, "What was created, updated and left as it was") },
  }),
  copyTerms: apiRoute({
    method: "post",
    path: "/api/billing-plans/{id}/copy-terms",
    access: ACCESS.billing,
    tags,
    summary: "Apply this term's rates to the plan's other terms ({ create_missing: true } adds the terms it lacks)",
    request: { params: planParams, body: jsonRequest(copyTermsSchema) },
    responses: { 200: jsonAnswer(copyTermsAnswer, "The other terms, by what happened to them") },
  }),
  list: apiRoute({
    method: "get",
    path: "/api/billing-plans",
    access: ACCESS.staff,
    tags,
    summary: "List billing plans with their features",
    request: { query: planListQuery },
    responses: { 200: jsonAnswer(z.object({ items: z.array(planSchema) }), "The plans, by name and term") },
  }),
  create: apiRoute({
    method: "post",
    path: "/api/billing-plans",
    access: ACCESS.billing,
    tags,
    summary: "Create a billing plan",
    request: { body: jsonRequest(planCreateSchema) },
    responses: { 201: onePlan, 409: duplicate },
  }),
  get: apiRoute({
    method: "get",
    path: "/api/billing-plans/{id}",
    access: ACCESS.staff,
    tags,
    summary: "A billing plan",
    request: { params: planParams },
    responses: { 200: onePlan },
  }),
  update: apiRoute({
    method: "put",
    path: "/api/billing-plans/{id}",
    access: ACCESS.billing,
    tags,
    summary: "Update a billing plan",
    request: { params: planParams, body: jsonRequest(planUpdateSchema) },
    responses: { 200: onePlan, 409: duplicate },
  }),
  delete: apiRoute({
    method: "delete",
    path: "/api/billing-plans/{id}",
    access: ACCESS.billing,
    tags,
    summary: "Delete a billing plan no company uses",
    request: { params: planParams },
    responses: { 200: jsonAnswer(messageSchema, "Deleted"), 409: errorAnswer("Companies are on this plan") },
  }),
  features: apiRoute({
    method: "put",
    path: "/api/billing-plans/{id}/features",
    access: ACCESS.billing,
    tags,
    summary: "Set a plan's features: { category key: option value | null }",
    request: { params: planParams, body: jsonRequest(featureChoiceSchema) },
    responses: { 200: onePlan },
  }),
};

/** Billing plans: their rates and features, one at a time or all as one file. */
export function plansApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;

  // Before /api/billing-plans/{id}, which would take "export" and "import" for ids.
  routes.api(route.export, async (c) => {
    const file = await exportPlans(db);
    c.header("Content-Disposition", `attachment; filename="billing-plans-${file.exported_at!.slice(0, 10)}.json"`);
    c.header("Cache-Control", "no-store");
    return c.json(file, 200);
  });

  routes.api(route.import, async (c) => c.json(await importPlans(db, c.req.valid("json"), actorOf(c)), 200));

  routes.api(route.copyTerms, async (c) => {
    const plan = await requirePlan(db, c.req.valid("param").id);
    return c.json(await copyTerms(db, plan, c.req.valid("json").create_missing, actorOf(c)), 200);
  });

  routes.api(route.list, async (c) => c.json({ items: await listPlans(db, c.req.valid("query")) }, 200));

  routes.api(route.create, async (c) => {
    const plan = await createPlan(db, c.req.valid("json"), actorOf(c));
    return c.json(await planJsonOf(db, plan.id), 201);
  });

  routes.api(route.get, async (c) => c.json(await planJsonOf(db, c.req.valid("param").id), 200));

  routes.api(route.update, async (c) => {
    const plan = await requirePlan(db, c.req.valid("param").id);
    await updatePlan(db, plan, c.req.valid("json"), actorOf(c));
    return c.json(await planJsonOf(db, plan.id), 200);
  });

  routes.api(route.delete, async (c) => {
    const plan = await requirePlan(db, c.req.valid("param").id);
    await deletePlan(db, plan, actorOf(c));
    return c.json({ message: `Deleted ${plan.name} (${plan.term}).` }, 200);
  });

  routes.api(route.features, async (c) => {
    const plan = await requirePlan(db, c.req.valid("param").id);
    await setFeatures(db, { planId: plan.id }, c.req.valid("json"), actorOf(c));
    return c.json(await planJsonOf(db, plan.id), 200);
  });
}
