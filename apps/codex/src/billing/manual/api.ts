import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import { requireCompany } from "../../companies/data.ts";
import type { ManualAsset, ManualUser } from "../../db/schema.ts";
import type { Deps } from "../../deps.ts";
import { actorOf } from "../../shared/request.ts";
import { jsonAnswer, jsonRequest, messageSchema } from "../../shared/route-schemas.ts";
import { companyItemParams, companyParams } from "../input.ts";
import { createManual, deleteManual, listManual, type ManualKind, requireManual, updateManual } from "./data.ts";
import {
  manualAssetCreateSchema,
  manualAssetJson,
  manualAssetSchema,
  manualAssetUpdateSchema,
  manualUserCreateSchema,
  manualUserJson,
  manualUserSchema,
  manualUserUpdateSchema,
} from "./json.ts";

const tags: [string] = ["Billing"];

/** The four routes of one kind of record billed by hand. */
function manualRoutes<Create extends z.ZodType, Update extends z.ZodType, Json extends z.ZodType>(kind: {
  path: string;
  noun: string;
  create: Create;
  update: Update;
  json: Json;
}) {
  const base = `/api/companies/{acct}/${kind.path}`;
  const one = jsonAnswer(kind.json, `The ${kind.noun} as stored`);
  return {
    list: apiRoute({
      method: "get",
      path: base,
      access: ACCESS.staff,
      tags,
      summary: `A company's manual ${kind.noun}s (billed without being in Codex's lists)`,
      request: { params: companyParams },
      responses: { 200: jsonAnswer(z.object({ items: z.array(kind.json) }), `The ${kind.noun}s, oldest first`) },
    }),
    create: apiRoute({
      method: "post",
      path: base,
      access: ACCESS.billing,
      tags,
      summary: `Add a manual ${kind.noun}`,
      idempotent: true,
      request: { params: companyParams, body: jsonRequest(kind.create) },
      responses: { 201: one },
    }),
    update: apiRoute({
      method: "put",
      path: `${base}/{item_id}`,
      access: ACCESS.billing,
      tags,
      summary: `Change a manual ${kind.noun}`,
      request: { params: companyItemParams, body: jsonRequest(kind.update) },
      responses: { 200: one },
    }),
    delete: apiRoute({
      method: "delete",
      path: `${base}/{item_id}`,
      access: ACCESS.billing,
      tags,
      summary: `Remove a manual ${kind.noun}`,
      request: { params: companyItemParams },
      responses: { 200: jsonAnswer(messageSchema, "Removed") },
    }),
  };
}

const assetRoutes = manualRoutes({
  path: "manual-assets",
  noun: "device",
  create: manualAssetCreateSchema,
  update: manualAssetUpdateSchema,
  json: manualAssetSchema,
});
const userRoutes = manualRoutes({
  path: "manual-users",
  noun: "user",
  create: manualUserCreateSchema,
  update: manualUserUpdateSchema,
  json: manualUserSchema,
});

/** A company's devices and users billed by hand (Ledger's manual assets and users). */
export function manualApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  const companyOf = (acct: string) => requireCompany(db, acct);
  const itemOf = async (kind: ManualKind, param: { acct: string; item_id: number }) =>
    requireManual(db, kind, await companyOf(param.acct), param.item_id);
  const removed = { message: "Removed." };

  routes.api(assetRoutes.list, async (c) => {
    const company = await companyOf(c.req.valid("param").acct);
    return c.json({ items: (await listManual(db, "asset", company.id)).map(manualAssetJson) }, 200);
  });
  routes.api(userRoutes.list, async (c) => {
    const company = await companyOf(c.req.valid("param").acct);
    return c.json({ items: (await listManual(db, "user", company.id)).map(manualUserJson) }, 200);
  });

  routes.api(assetRoutes.create, async (c) => {
    const company = await companyOf(c.req.valid("param").acct);
    const row = await createManual(db, "asset", company, c.req.valid("json"), actorOf(c));
    return c.json(manualAssetJson(row as ManualAsset), 201);
  });
  routes.api(userRoutes.create, async (c) => {
    const company = await companyOf(c.req.valid("param").acct);
    const row = await createManual(db, "user", company, c.req.valid("json"), actorOf(c));
    return c.json(manualUserJson(row as ManualUser), 201);
  });

  routes.api(assetRoutes.update, async (c) => {
    const item = await itemOf("asset", c.req.valid("param"));
    const row = await updateManual(db, "asset", item, c.req.valid("json"), actorOf(c));
    return c.json(manualAssetJson(row as ManualAsset), 200);
  });
  routes.api(userRoutes.update, async (c) => {
    const item = await itemOf("user", c.req.valid("param"));
    const row = await updateManual(db, "user", item, c.req.valid("json"), actorOf(c));
    return c.json(manualUserJson(row as ManualUser), 200);
  });

  for (const [kind, route] of [
    ["asset", assetRoutes.delete],
    ["user", userRoutes.delete],
  ] as const)
    routes.api(route, async (c) => {
      await deleteManual(db, kind, await itemOf(kind, c.req.valid("param")), actorOf(c));
      return c.json(removed, 200);
    });
}
