import type { Context } from "hono";
import { eq, inArray } from "drizzle-orm";
import type { AppEnv } from "@hivematrix/lib/app";
import { HttpError } from "@hivematrix/lib/errors";
import type { Deps } from "../deps.ts";
import { companyJson, loadPlans, upsertCompanies } from "../data/companies.ts";
import { companiesOfContacts, contactJson, upsertContacts } from "../data/contacts.ts";
import { assetJson, contactsOfAssets, upsertAssets } from "../data/assets.ts";
import { ASSET_COLUMNS, COMPANY_COLUMNS, CONTACT_COLUMNS, fromCsv } from "../data/csv.ts";
import { writeCsv } from "../shared/csv.ts";
import { BulkRejected, type BulkResult } from "../shared/data-bulk.ts";
import type { Actor } from "../shared/data-audit.ts";
import type { RouteTable } from "./registry.ts";
import { actorOf, scopeCompanyId } from "./scope.ts";
import { accountsOf } from "./api-assets.ts";

export type CsvKind = "companies" | "contacts" | "assets";

/** Every record of a kind the caller may see, as CSV (the import format). */
export async function exportCsv(deps: Deps, kind: CsvKind, scope: number | null): Promise<string> {
  const h = deps.db;
  const t = h.t;
  if (kind === "companies") {
    const rows = await h.db
      .select()
      .from(t.companies)
      .where(scope === null ? undefined : eq(t.companies.id, scope))
      .orderBy(t.companies.accountNumber);
    const plans = await loadPlans(h);
    return writeCsv(
      COMPANY_COLUMNS,
      rows.map((r) => companyJson(r, plans)),
    );
  }
  if (kind === "contacts") {
    const rows = await h.db
      .select()
      .from(t.contacts)
      .where(
        scope === null
          ? undefined
          : inArray(
              t.contacts.id,
              h.db
                .select({ id: t.contactCompanies.contactId })
                .from(t.contactCompanies)
                .where(eq(t.contactCompanies.companyId, scope)),
            ),
      )
      .orderBy(t.contacts.name, t.contacts.id);
    const links = await companiesOfContacts(
      h,
      rows.map((r) => r.id),
      scope,
    );
    return writeCsv(
      CONTACT_COLUMNS,
      rows.map((r) => contactJson(r, links.get(r.id) ?? [])),
    );
  }
  const rows = await h.db
    .select()
    .from(t.assets)
    .where(scope === null ? undefined : eq(t.assets.companyId, scope))
    .orderBy(t.assets.hostname, t.assets.id);
  const accounts = await accountsOf(deps, [...new Set(rows.map((a) => a.companyId))]);
  const links = await contactsOfAssets(
    h,
    rows.map((a) => a.id),
  );
  return writeCsv(
    ASSET_COLUMNS,
    rows.map((a) => assetJson(a, accounts.get(a.companyId)!, links.get(a.id) ?? [])),
  );
}

/** Imports CSV text through the bulk upsert: all rows or none; errors name the CSV line. */
export async function importCsv(deps: Deps, kind: CsvKind, text: string, actor: Actor): Promise<BulkResult> {
  const columns = { companies: COMPANY_COLUMNS, contacts: CONTACT_COLUMNS, assets: ASSET_COLUMNS }[kind];
  const rows = fromCsv(columns, text);
  if (rows.length === 0)
    throw new HttpError(422, "validation_failed", "The CSV has no rows.", [
      { field: "file", message: "No rows to import." },
    ]);
  const upsert = { companies: upsertCompanies, contacts: upsertContacts, assets: upsertAssets }[kind];
  try {
    return await upsert(deps.db, rows, actor);
  } catch (e) {
    if (e instanceof BulkRejected) {
      for (const r of e.result.results) (r as { line?: number }).line = r.index + 2;
    }
    throw e;
  }
}

export function csvApi(r: RouteTable, deps: Deps) {
  for (const kind of ["companies", "contacts", "assets"] as const) {
    const tag = kind[0]!.toUpperCase() + kind.slice(1);
    r.add(
      {
        method: "get",
        path: `/api/${kind}/export.csv`,
        access: "read",
        client: true,
        tag,
        summary: `Export ${kind} as CSV (the import format)`,
        produces: "text/csv",
      },
      async (c) => {
        const csv = await exportCsv(deps, kind, await scopeCompanyId(c, deps));
        c.header("Content-Disposition", `attachment; filename="${kind}.csv"`);
        c.header("Cache-Control", "no-store");
        return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8" });
      },
    );
    r.add(
      {
        method: "post",
        path: `/api/${kind}/import`,
        access: "data",
        tag,
        summary: `Import ${kind} from CSV (text/csv body): all rows or none`,
        bodyType: "text/csv",
      },
      async (c: Context<AppEnv>) => {
        if (!(c.req.header("content-type") ?? "").startsWith("text/csv"))
          throw new HttpError(415, "unsupported_media_type", "Send the body as text/csv.");
        return c.json(await importCsv(deps, kind, await c.req.text(), actorOf(c)));
      },
    );
  }
}
