import { z } from "zod";
import { eq, inArray } from "drizzle-orm";
import { jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import { ASSET_TYPES } from "../db/schema.ts";
import {
  assetCreateSchema,
  assetJson,
  assetUpdateSchema,
  contactsOfAssets,
  createAsset,
  deleteAsset,
  requireAsset,
  updateAsset,
  upsertAssets,
} from "../data/assets.ts";
import { pageOf, pageQuery, staleCondition, staleQuery } from "../shared/data-pagination.ts";
import { matchCondition } from "../search/data.ts";
import { accountNumberSchema } from "../shared/input.ts";
import { selectIn } from "../shared/data-common.ts";
import { bulkBody } from "./api-companies.ts";
import type { RouteTable } from "./registry.ts";
import { actorOf, assertVisible, intParam, scopeCompanyId } from "./scope.ts";

const boolish = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const assetListQuery = z
  .object({
    q: z.string().max(200).optional(),
    company: accountNumberSchema.optional(),
    asset_type: z.enum(ASSET_TYPES).optional(),
    online: boolish.optional(),
    stale: staleQuery,
    sort: z.enum(["hostname", "updated_at"]).default("hostname"),
    ...pageQuery,
  })
  .strict();

/** id → account number for the companies of some rows. */
export async function accountsOf(deps: Deps, ids: number[]): Promise<Map<number, string>> {
  const h = deps.db;
  const rows = await selectIn(ids, (part) =>
    h.db
      .select({ id: h.t.companies.id, acct: h.t.companies.accountNumber })
      .from(h.t.companies)
      .where(inArray(h.t.companies.id, part as number[])),
  );
  return new Map(rows.map((r) => [r.id, r.acct]));
}

export async function listAssets(deps: Deps, query: z.infer<typeof assetListQuery>, scope: number | null) {
  const h = deps.db;
  const t = h.t.assets;
  const page = await pageOf(h.db.select().from(t).$dynamic(), {
    where: [
      scope === null ? undefined : eq(t.companyId, scope),
      query.company
        ? inArray(
            t.companyId,
            h.db
              .select({ id: h.t.companies.id })
              .from(h.t.companies)
              .where(eq(h.t.companies.accountNumber, query.company)),
          )
        : undefined,
      query.q ? (matchCondition(h, "assets", query.q) ?? undefined) : undefined,
      query.asset_type ? eq(t.assetType, query.asset_type) : undefined,
      query.online === undefined ? undefined : eq(t.online, query.online),
      staleCondition(t.staleSince, query.stale),
    ],
    sortCol: query.sort === "hostname" ? t.hostname : t.updatedAt,
    sortKey: (r) => (query.sort === "hostname" ? r.hostname : r.updatedAt),
    idCol: t.id,
    order: query.order ?? (query.sort === "hostname" ? "asc" : "desc"),
    cursor: query.cursor,
    limit: query.limit,
  });
  const accounts = await accountsOf(
    deps,
    page.items.map((a) => a.companyId),
  );
  const links = await contactsOfAssets(
    h,
    page.items.map((a) => a.id),
  );
  return {
    items: page.items.map((a) => assetJson(a, accounts.get(a.companyId)!, links.get(a.id) ?? [])),
    next_cursor: page.next_cursor,
  };
}

export function assetApi(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Assets";
  const json = async (id: number) => {
    const a = await requireAsset(h, id);
    return assetJson(
      a,
      (await accountsOf(deps, [a.companyId])).get(a.companyId)!,
      (await contactsOfAssets(h, [id])).get(id) ?? [],
    );
  };

  r.add(
    {
      method: "get",
      path: "/api/assets",
      access: "read",
      client: true,
      tag,
      summary: "List assets (filters, sorting, cursor pagination)",
      query: assetListQuery,
    },
    async (c) => c.json(await listAssets(deps, queryParams(c, assetListQuery), await scopeCompanyId(c, deps))),
  );
  r.add(
    {
      method: "post",
      path: "/api/assets",
      access: "data",
      tag,
      summary: "Create an asset",
      body: assetCreateSchema,
      idempotent: true,
    },
    async (c) => {
      const row = await createAsset(h, await jsonBody(c, z.unknown()), actorOf(c));
      return c.json(await json(row.id), 201);
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/assets/bulk",
      access: "data",
      tag,
      summary: "Create or update many assets (all or nothing, per-row errors)",
      body: bulkBody,
    },
    async (c) => c.json(await upsertAssets(h, (await jsonBody(c, bulkBody)).rows, actorOf(c))),
  );
  r.add(
    { method: "get", path: "/api/assets/:id", access: "read", client: true, tag, summary: "An asset" },
    async (c) => {
      const asset = await requireAsset(h, intParam(c, "id"));
      await assertVisible(c, deps, asset.companyId, "asset");
      return c.json(await json(asset.id));
    },
  );
  r.add(
    {
      method: "put",
      path: "/api/assets/:id",
      access: "data",
      tag,
      summary: "Update an asset (only the fields sent)",
      body: assetUpdateSchema,
    },
    async (c) => {
      const asset = await requireAsset(h, intParam(c, "id"));
      await updateAsset(h, asset, await jsonBody(c, z.unknown()), actorOf(c));
      return c.json(await json(asset.id));
    },
  );
  r.add({ method: "delete", path: "/api/assets/:id", access: "data", tag, summary: "Delete an asset" }, async (c) => {
    const asset = await requireAsset(h, intParam(c, "id"));
    await deleteAsset(h, asset, actorOf(c));
    return c.json({ message: `Deleted ${asset.hostname}.` });
  });
}
