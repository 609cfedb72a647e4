import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { bulkBody, bulkResultSchema, jsonAnswer, jsonRequest, messageSchema } from "../shared/route-schemas.ts";
import { assertVisible, scopeCompanyId } from "../shared/client-scope.ts";
import { idParam } from "../shared/input.ts";
import { actorOf } from "../shared/request.ts";
import { createAsset, deleteAsset, requireAsset, updateAsset, upsertAssets } from "./data.ts";
import { assetJsonOf, listAssets } from "./data-lists.ts";
import { assetCreate, assetListQuery, assetSchema, assetUpdate } from "./json.ts";

const tags: [string] = ["Assets"];
const assetParams = z.object({ id: idParam });

const listRoute = apiRoute({
  method: "get",
  path: "/api/assets",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "List assets (filters, sorting, cursor pagination)",
  request: { query: assetListQuery },
  responses: {
    200: jsonAnswer(z.object({ items: z.array(assetSchema), next_cursor: z.string().nullable() }), "A page"),
  },
});

const createRoute = apiRoute({
  method: "post",
  path: "/api/assets",
  access: ACCESS.data,
  tags,
  summary: "Create an asset",
  idempotent: true,
  request: { body: jsonRequest(assetCreate) },
  responses: { 201: jsonAnswer(assetSchema, "The asset as stored") },
});

const bulkRoute = apiRoute({
  method: "post",
  path: "/api/assets/bulk",
  access: ACCESS.data,
  tags,
  summary: "Create or update many assets (all or nothing, per-row errors)",
  request: { body: jsonRequest(bulkBody("POST /api/assets")) },
  responses: { 200: jsonAnswer(bulkResultSchema, "Every row's outcome") },
});

const getRoute = apiRoute({
  method: "get",
  path: "/api/assets/{id}",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "An asset",
  request: { params: assetParams },
  responses: { 200: jsonAnswer(assetSchema, "The asset") },
});

const updateRoute = apiRoute({
  method: "put",
  path: "/api/assets/{id}",
  access: ACCESS.data,
  tags,
  summary: "Update an asset (only the fields sent)",
  request: { params: assetParams, body: jsonRequest(assetUpdate) },
  responses: { 200: jsonAnswer(assetSchema, "The asset as stored") },
});

const deleteRoute = apiRoute({
  method: "delete",
  path: "/api/assets/{id}",
  access: ACCESS.data,
  tags,
  summary: "Delete an asset",
  request: { params: assetParams },
  responses: { 200: jsonAnswer(messageSchema, "Deleted") },
});

export function assetsApi(routes: RouteTable, deps: Deps) {
  routes.api(listRoute, async (c) =>
    c.json(await listAssets(deps.db, c.req.valid("query"), await scopeCompanyId(c, deps)), 200),
  );

  routes.api(createRoute, async (c) => {
    const asset = await createAsset(deps.db, c.req.valid("json"), actorOf(c));
    return c.json(await assetJsonOf(deps.db, asset), 201);
  });

  routes.api(bulkRoute, async (c) => c.json(await upsertAssets(deps.db, c.req.valid("json").rows, actorOf(c)), 200));

  routes.api(getRoute, async (c) => {
    const asset = await requireAsset(deps.db, c.req.valid("param").id);
    await assertVisible(c, deps, asset.companyId, "asset");
    return c.json(await assetJsonOf(deps.db, asset), 200);
  });

  routes.api(updateRoute, async (c) => {
    const asset = await requireAsset(deps.db, c.req.valid("param").id);
    const updated = await updateAsset(deps.db, asset, c.req.valid("json"), actorOf(c));
    return c.json(await assetJsonOf(deps.db, updated), 200);
  });

  routes.api(deleteRoute, async (c) => {
    const asset = await requireAsset(deps.db, c.req.valid("param").id);
    await deleteAsset(deps.db, asset, actorOf(c));
    return c.json({ message: `Deleted ${asset.hostname}.` }, 200);
  });
}
