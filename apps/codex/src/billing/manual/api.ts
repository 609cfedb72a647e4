import { jsonBody } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import { requireCompany } from "../companies/data.ts";
import { companyBillingSettings } from "../billing/settings.ts";
import {
  createManual,
  deleteManual,
  listManual,
  manualAssetCreateSchema,
  manualAssetJson,
  manualAssetUpdateSchema,
  manualUserCreateSchema,
  manualUserJson,
  manualUserUpdateSchema,
  requireManual,
  updateManual,
} from "../billing/manual.ts";
import type { ManualAsset, ManualUser } from "../db/schema.ts";
import type { RouteTable } from "./registry.ts";
import { acctParam, intParam } from "../shared/request.ts";
import { actorOf } from "../shared/request.ts";
import { companyFeatures } from "../data/plans.ts";

/** A company's billing settings in one read, and its manual assets and users (Ledger's). */
export function billingCompanyApi(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Billing";

  r.add(
    {
      method: "get",
      path: "/api/companies/:acct/billing-settings",
      access: "staff",
      tag,
      summary:
        "Everything that decides a company's bill: plan rates, overrides, asset and user billing, manual items, charges, features",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      return c.json({
        ...(await companyBillingSettings(h, company)),
        features: await companyFeatures(deps.db, company.id, company.billingPlanId),
      });
    },
  );

  const kinds = [
    {
      kind: "asset" as const,
      path: "manual-assets",
      noun: "device",
      create: manualAssetCreateSchema,
      update: manualAssetUpdateSchema,
      json: (m: ManualAsset | ManualUser) => manualAssetJson(m as ManualAsset),
    },
    {
      kind: "user" as const,
      path: "manual-users",
      noun: "user",
      create: manualUserCreateSchema,
      update: manualUserUpdateSchema,
      json: (m: ManualAsset | ManualUser) => manualUserJson(m as ManualUser),
    },
  ];
  for (const k of kinds) {
    const base = `/api/companies/:acct/${k.path}`;
    r.add(
      {
        method: "get",
        path: base,
        access: "staff",
        tag,
        summary: `A company's manual ${k.noun}s (billed without being in Codex's lists)`,
      },
      async (c) => {
        const company = await requireCompany(h, acctParam(c));
        const rows: (ManualAsset | ManualUser)[] =
          k.kind === "asset" ? await listManual(h, "asset", company.id) : await listManual(h, "user", company.id);
        return c.json({ items: rows.map((m) => k.json(m)) });
      },
    );
    r.add(
      {
        method: "post",
        path: base,
        access: "billing",
        tag,
        summary: `Add a manual ${k.noun}`,
        body: k.create,
        idempotent: true,
      },
      async (c) => {
        const company = await requireCompany(h, acctParam(c));
        const body = await jsonBody(c, k.create as typeof manualAssetCreateSchema);
        return c.json(k.json(await createManual(h, k.kind, company, body, actorOf(c))), 201);
      },
    );
    r.add(
      {
        method: "put",
        path: `${base}/:item_id`,
        access: "billing",
        tag,
        summary: `Change a manual ${k.noun}`,
        body: k.update,
      },
      async (c) => {
        const company = await requireCompany(h, acctParam(c));
        const item =
          k.kind === "asset"
            ? await requireManual(h, "asset", company, intParam(c, "item_id"))
            : await requireManual(h, "user", company, intParam(c, "item_id"));
        const body = await jsonBody(c, k.update as typeof manualAssetUpdateSchema);
        return c.json(k.json(await updateManual(h, k.kind, item, body, actorOf(c))));
      },
    );
    r.add(
      { method: "delete", path: `${base}/:item_id`, access: "billing", tag, summary: `Remove a manual ${k.noun}` },
      async (c) => {
        const company = await requireCompany(h, acctParam(c));
        const item =
          k.kind === "asset"
            ? await requireManual(h, "asset", company, intParam(c, "item_id"))
            : await requireManual(h, "user", company, intParam(c, "item_id"));
        await deleteManual(h, k.kind, item, actorOf(c));
        return c.json({ message: "Removed." });
      },
    );
  }
}
