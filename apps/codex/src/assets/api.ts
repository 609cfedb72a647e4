import { z } from "zod";
import type { RouteTable } from "@hivematrix/lib/route-table";
import type { Deps } from "../deps.ts";
import { assertVisible, scopeCompanyId } from "../shared/client-scope.ts";
import { entityRoutes } from "../shared/entity-routes.ts";
import { idParam } from "../shared/input.ts";
import { actorOf } from "../shared/request.ts";
import { createAsset, deleteAsset, requireAsset, updateAsset, upsertAssets } from "./data.ts";
import { assetJsonOf, listAssets } from "./data-lists.ts";
import { assetCreate, assetListQuery, assetSchema, assetUpdate } from "./json.ts";

const route = entityRoutes({
  path: "/api/assets",
  param: "id",
  params: z.object({ id: idParam }),
  tag: "Assets",
  one: "asset",
  many: "assets",
  listQuery: assetListQuery,
  page: z.object({ items: z.array(assetSchema), next_cursor: z.string().nullable() }),
  create: assetCreate,
  update: assetUpdate,
  json: assetSchema,
  conflict: "Another asset of the company has this hostname (or external id)",
});

export function assetsApi(routes: RouteTable, deps: Deps) {
  routes.api(route.list, async (c) =>
    c.json(await listAssets(deps.db, c.req.valid("query"), await scopeCompanyId(c, deps)), 200),
  );

  routes.api(route.create, async (c) => {
    const asset = await createAsset(deps.db, c.req.valid("json"), actorOf(c));
    return c.json(await assetJsonOf(deps.db, asset), 201);
  });

  routes.api(route.bulk, async (c) => c.json(await upsertAssets(deps.db, c.req.valid("json").rows, actorOf(c)), 200));

  routes.api(route.get, async (c) => {
    const asset = await requireAsset(deps.db, c.req.valid("param").id);
    await assertVisible(c, deps, asset.companyId, "asset");
    return c.json(await assetJsonOf(deps.db, asset), 200);
  });

  routes.api(route.update, async (c) => {
    const asset = await requireAsset(deps.db, c.req.valid("param").id);
    const updated = await updateAsset(deps.db, asset, c.req.valid("json"), actorOf(c));
    return c.json(await assetJsonOf(deps.db, updated), 200);
  });

  routes.api(route.delete, async (c) => {
    const asset = await requireAsset(deps.db, c.req.valid("param").id);
    await deleteAsset(deps.db, asset, actorOf(c));
    return c.json({ message: `Deleted ${asset.hostname}.` }, 200);
  });
}
