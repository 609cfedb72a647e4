import type { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import { requireAsset } from "../../assets/data.ts";
import { requireCompany } from "../../companies/data.ts";
import type { Deps } from "../../deps.ts";
import { visibleCompany } from "../../shared/client-scope.ts";
import { actorOf } from "../../shared/request.ts";
import { jsonAnswer, jsonRequest, messageSchema } from "../../shared/route-schemas.ts";
import { companyParams } from "../input.ts";
import { companyFeatures, setFeatures } from "../plans/data-features.ts";
import { companyFeaturesSchema, featureChoiceSchema } from "../plans/json-features.ts";
import { overridesJson, setAssetOverride, setCompanyOverrides, setUserOverride } from "./data.ts";
import {
  assetOverrideAnswer,
  assetOverrideSchema,
  assetParams,
  companyOverridesSchema,
  contactParams,
  overridesSchema,
  userOverrideAnswer,
  userOverrideSchema,
} from "./json.ts";

const tags: [string] = ["Billing"];
const overrides = jsonAnswer(overridesSchema, "The company's rate overrides");
const removed = jsonAnswer(messageSchema, "Removed");
const features = jsonAnswer(companyFeaturesSchema, "The company's features, by category name");

/** Setting one record's billing override (PUT), and removing it (DELETE). */
function overrideRoutes<Params extends z.ZodObject, Body extends z.ZodType, Answer extends z.ZodType>(record: {
  path: string;
  params: Params;
  body: Body;
  answer: Answer;
  set: string;
  remove: string;
}) {
  const common = { path: record.path, access: ACCESS.billing, tags };
  return {
    set: apiRoute({
      ...common,
      method: "put",
      summary: record.set,
      request: { params: record.params, body: jsonRequest(record.body) },
      responses: { 200: jsonAnswer(record.answer, "How it is billed now") },
    }),
    remove: apiRoute({
      ...common,
      method: "delete",
      summary: record.remove,
      request: { params: record.params },
      responses: { 200: removed },
    }),
  };
}

const route = {
  overrides: apiRoute({
    method: "get",
    path: "/api/companies/{acct}/billing-overrides",
    access: ACCESS.staff,
    tags,
    summary: "A company's rate overrides (null: the plan's rate), and `parked`: switched-off overrides' values",
    request: { params: companyParams },
    responses: { 200: overrides },
  }),
  setOverrides: apiRoute({
    method: "put",
    path: "/api/companies/{acct}/billing-overrides",
    access: ACCESS.billing,
    tags,
    summary: "Set rate overrides (number) or return to the plan (null, keeping the value under `parked`)",
    request: { params: companyParams, body: jsonRequest(companyOverridesSchema) },
    responses: { 200: overrides },
  }),
  asset: overrideRoutes({
    path: "/api/assets/{id}/billing-override",
    params: assetParams,
    body: assetOverrideSchema,
    answer: assetOverrideAnswer,
    set: "Bill an asset as another type, at no charge, or at a custom price",
    remove: "Bill an asset by its type again",
  }),
  user: overrideRoutes({
    path: "/api/companies/{acct}/users/{contact_id}/billing-override",
    params: contactParams,
    body: userOverrideSchema,
    answer: userOverrideAnswer,
    set: "Bill a user as paid, free or at a custom price",
    remove: "Bill a user at the per-user rate again",
  }),
  features: apiRoute({
    method: "get",
    path: "/api/companies/{acct}/features",
    access: ACCESS.readWithClientScope,
    tags,
    summary: "A company's features (plan, with its overrides)",
    request: { params: companyParams },
    responses: { 200: features },
  }),
  setFeatures: apiRoute({
    method: "put",
    path: "/api/companies/{acct}/features",
    access: ACCESS.billing,
    tags,
    summary: "Override features for a company: { category key: option value | null }",
    request: { params: companyParams, body: jsonRequest(featureChoiceSchema) },
    responses: { 200: features },
  }),
};

/** How a company is billed differently from its plan: its rates, devices, users and features. */
export function overridesApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;

  routes.api(route.overrides, async (c) => {
    const company = await requireCompany(db, c.req.valid("param").acct);
    return c.json(await overridesJson(db, company.id), 200);
  });

  routes.api(route.setOverrides, async (c) => {
    const company = await requireCompany(db, c.req.valid("param").acct);
    await setCompanyOverrides(db, company, c.req.valid("json"), actorOf(c));
    return c.json(await overridesJson(db, company.id), 200);
  });

  routes.api(route.asset.set, async (c) => {
    const asset = await requireAsset(db, c.req.valid("param").id);
    const body = c.req.valid("json");
    await setAssetOverride(db, asset.id, asset.companyId, body, actorOf(c));
    return c.json(
      { asset_id: asset.id, billing_type: body.billing_type, custom_cents: body.custom_cents ?? null },
      200,
    );
  });

  routes.api(route.asset.remove, async (c) => {
    const asset = await requireAsset(db, c.req.valid("param").id);
    await setAssetOverride(db, asset.id, asset.companyId, null, actorOf(c));
    return c.json({ message: "Override removed." }, 200);
  });

  routes.api(route.user.set, async (c) => {
    const { acct, contact_id: contactId } = c.req.valid("param");
    const company = await requireCompany(db, acct);
    const body = c.req.valid("json");
    await setUserOverride(db, company, contactId, body, actorOf(c));
    return c.json(
      { contact_id: contactId, billing_type: body.billing_type, custom_cents: body.custom_cents ?? null },
      200,
    );
  });

  routes.api(route.user.remove, async (c) => {
    const { acct, contact_id: contactId } = c.req.valid("param");
    await setUserOverride(db, await requireCompany(db, acct), contactId, null, actorOf(c));
    return c.json({ message: "Override removed." }, 200);
  });

  routes.api(route.features, async (c) => {
    const company = await visibleCompany(c, deps, c.req.valid("param").acct);
    return c.json({ items: await companyFeatures(db, company.id, company.billingPlanId) }, 200);
  });

  routes.api(route.setFeatures, async (c) => {
    const company = await requireCompany(db, c.req.valid("param").acct);
    await setFeatures(db, { companyId: company.id }, c.req.valid("json"), actorOf(c));
    return c.json({ items: await companyFeatures(db, company.id, company.billingPlanId) }, 200);
  });
}
