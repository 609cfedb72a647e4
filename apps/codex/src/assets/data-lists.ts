import { and, eq } from "drizzle-orm";
import type { Asset } from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";
import { accountsOf, ofCompanyNamed } from "../companies/data.ts";
import { matchCondition } from "../search/data.ts";
import { pageOf, type StaleFilter, staleCondition } from "../shared/data-pagination.ts";
import { contactsOfAssets } from "./data.ts";
import { type AssetListQuery, assetJson } from "./json.ts";

/** Assets as the API shows them: with their company's account number and who uses them. */
async function assetsJson(db: CodexDb, rows: Asset[]) {
  const accounts = await accountsOf(
    db,
    rows.map((asset) => asset.companyId),
  );
  const links = await contactsOfAssets(
    db,
    rows.map((asset) => asset.id),
  );
  return rows.map((asset) => assetJson(asset, accounts.get(asset.companyId)!, links.get(asset.id) ?? []));
}

/** One page of assets; `scope` confines it to a client's company. */
export async function listAssets(db: CodexDb, query: AssetListQuery, scope: number | null) {
  const t = db.t.assets;
  const page = await pageOf(db.db.select().from(t).$dynamic(), {
    where: [
      scope === null ? undefined : eq(t.companyId, scope),
      query.company ? ofCompanyNamed(db, t.companyId, query.company) : undefined,
      query.q ? (matchCondition(db, "assets", query.q) ?? undefined) : undefined,
      query.asset_type ? eq(t.assetType, query.asset_type) : undefined,
      query.online === undefined ? undefined : eq(t.online, query.online),
      staleCondition(t.staleSince, query.stale),
    ],
    sortCol: query.sort === "hostname" ? t.hostname : t.updatedAt,
    sortKey: (row) => (query.sort === "hostname" ? row.hostname : row.updatedAt),
    idCol: t.id,
    order: query.order ?? (query.sort === "hostname" ? "asc" : "desc"),
    cursor: query.cursor,
    limit: query.limit,
  });
  return { items: await assetsJson(db, page.items), next_cursor: page.next_cursor };
}

/** A company's assets by hostname (stale ones as `stale` asks). */
export async function assetsOfCompany(db: CodexDb, companyId: number, stale: StaleFilter) {
  const t = db.t.assets;
  const rows = await db.db
    .select()
    .from(t)
    .where(and(eq(t.companyId, companyId), staleCondition(t.staleSince, stale)))
    .orderBy(t.hostname, t.id);
  return assetsJson(db, rows);
}

/** Every asset a request may see, by hostname (CSV exports). */
export async function allAssets(db: CodexDb, scope: number | null) {
  const t = db.t.assets;
  const rows = await db.db
    .select()
    .from(t)
    .where(scope === null ? undefined : eq(t.companyId, scope))
    .orderBy(t.hostname, t.id);
  return assetsJson(db, rows);
}

/** An asset as the API shows it. */
export async function assetJsonOf(db: CodexDb, asset: Asset) {
  return (await assetsJson(db, [asset]))[0]!;
}
