import { z } from "zod";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { notFound } from "@hivematrix/lib/errors";
import { jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import { requireCompany } from "../companies/data.ts";
import { requireAsset } from "../assets/data.ts";
import { companyFeatures, featureChoiceSchema, setFeatures } from "../data/plans.ts";
import {
  acceptBill,
  acceptSchema,
  billFor,
  billsCsv,
  billsFor,
  forClient,
  fromSnapshot,
  periodSchema,
  type BillView,
} from "../billing/bills.ts";
import { billingDashboard } from "../billing/dashboard.ts";
import { invoiceCsv, invoicesZip, quickbooksCsv } from "../billing/exports.ts";
import { acceptedByInvoice, archiveQuery, searchArchive } from "../billing/archive.ts";
import {
  assetOverrideSchema,
  companyOverrides,
  companyOverridesSchema,
  createLineItem,
  deleteLineItem,
  lineItemCreateSchema,
  lineItemJson,
  lineItemUpdateSchema,
  requireLineItem,
  setAssetOverride,
  setCompanyOverrides,
  setUserOverride,
  updateLineItem,
  userOverrideSchema,
} from "../billing/config.ts";
import type { RouteTable } from "./registry.ts";
import { acctParam, intParam } from "../shared/request.ts";
import { actorOf, isClient } from "../shared/request.ts";
import { assertVisible, scopeCompanyId } from "../shared/client-scope.ts";

/** A month, this one when left out. */
const optionalPeriod = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    month: z.coerce.number().int().min(1).max(12).optional(),
  })
  .strict();
const pad2 = (n: number) => String(n).padStart(2, "0");

/** A download: the file name says what it is; never cached. */
export function download(c: Context<AppEnv>, body: string | Uint8Array, type: string, filename: string): Response {
  c.header("Content-Disposition", `attachment; filename="${filename}"`);
  c.header("Cache-Control", "no-store");
  return c.body(body as string, 200, { "Content-Type": type });
}
const CSV = "text/csv; charset=utf-8";

export function billingApi(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Billing";
  const scopedCompanies = async (c: Context<AppEnv>) => {
    const scope = await scopeCompanyId(c, deps);
    return scope === null ? null : await h.db.select().from(h.t.companies).where(eq(h.t.companies.id, scope));
  };

  r.add(
    {
      method: "get",
      path: "/api/billing",
      access: "read",
      client: true,
      tag,
      summary: "Every company's bill for a month, in one call",
      query: periodSchema,
    },
    async (c) => {
      const q = queryParams(c, periodSchema);
      const bills = await billsFor(h, q.year, q.month, await scopedCompanies(c));
      return c.json({
        year: q.year,
        month: q.month,
        items: isClient(c) ? bills.map(forClient) : bills,
        total_cents: bills.reduce((s, b) => s + b.totals.total_cents, 0),
      });
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/billing/export.csv",
      access: "read",
      client: true,
      tag,
      summary: "A month's bills as CSV, one row per line",
      query: periodSchema,
      produces: "text/csv",
    },
    async (c) => {
      const q = queryParams(c, periodSchema);
      return download(
        c,
        billsCsv(await billsFor(h, q.year, q.month, await scopedCompanies(c))),
        CSV,
        `bills-${q.year}-${pad2(q.month)}.csv`,
      );
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/billing/invoices.zip",
      access: "staff",
      tag,
      summary: "Every company's invoice CSV for a month, as one ZIP (with summary.csv)",
      query: periodSchema,
      produces: "application/zip",
    },
    async (c) => {
      const q = queryParams(c, periodSchema);
      return download(
        c,
        invoicesZip(await billsFor(h, q.year, q.month)),
        "application/zip",
        `invoices-${q.year}-${pad2(q.month)}.zip`,
      );
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/billing/quickbooks.csv",
      access: "staff",
      tag,
      summary: "A month's bills as a QuickBooks Online invoice import CSV",
      query: periodSchema,
      produces: "text/csv",
    },
    async (c) => {
      const q = queryParams(c, periodSchema);
      return download(
        c,
        quickbooksCsv(await billsFor(h, q.year, q.month)),
        CSV,
        `quickbooks-invoices-${q.year}-${pad2(q.month)}.csv`,
      );
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/billing/dashboard",
      access: "staff",
      tag,
      summary: "Billing dashboard: clients, the month's revenue, active and expiring contracts, revenue by plan",
      query: optionalPeriod,
    },
    async (c) => {
      const q = queryParams(c, optionalPeriod);
      const now = new Date();
      const { dashboard } = await billingDashboard(
        h,
        q.year ?? now.getUTCFullYear(),
        q.month ?? now.getUTCMonth() + 1,
        now,
      );
      return c.json(dashboard);
    },
  );
  const companyBill = async (c: Context<AppEnv>): Promise<BillView> => {
    const company = await requireCompany(h, acctParam(c));
    await assertVisible(c, deps, company.id, "company");
    const q = queryParams(c, periodSchema);
    const bill = await billFor(h, company, q.year, q.month);
    return isClient(c) ? forClient(bill) : bill;
  };
  r.add(
    {
      method: "get",
      path: "/api/billing/:acct",
      access: "read",
      client: true,
      tag,
      summary: "A company's bill for a month (the accepted snapshot once accepted)",
      query: periodSchema,
    },
    async (c) => c.json(await companyBill(c)),
  );
  r.add(
    {
      method: "get",
      path: "/api/billing/:acct/invoice.csv",
      access: "read",
      client: true,
      tag,
      summary: "A company's invoice for a month as CSV",
      query: periodSchema,
      produces: "text/csv",
    },
    async (c) => {
      const bill = await companyBill(c);
      return download(c, invoiceCsv(bill), CSV, `${bill.invoice_number}.csv`);
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/billing/:acct/quickbooks.csv",
      access: "staff",
      tag,
      summary: "A company's bill for a month as a QuickBooks Online invoice import CSV",
      query: periodSchema,
      produces: "text/csv",
    },
    async (c) => {
      const bill = await companyBill(c);
      return download(c, quickbooksCsv([bill]), CSV, `${bill.invoice_number}-quickbooks.csv`);
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/billing/:acct/accept",
      access: "billing",
      tag,
      summary: "Accept a bill: store an immutable snapshot, invoice ACCT-YYYYMM",
      body: acceptSchema,
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const body = await jsonBody(c, acceptSchema);
      return c.json(await acceptBill(h, company, body.year, body.month, body.notes ?? null, actorOf(c)), 201);
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/invoices",
      access: "read",
      client: true,
      tag,
      summary:
        "Accepted bills (invoices), newest month first: by company (account number or part of the name), invoice number, year/month or a from–to range of months (YYYY-MM); cursor pages",
      query: archiveQuery,
    },
    async (c) => {
      return c.json(await searchArchive(h, queryParams(c, archiveQuery), await scopeCompanyId(c, deps)));
    },
  );
  const snapshot = async (c: Context<AppEnv>) => {
    const row = await acceptedByInvoice(h, c.req.param("invoice") ?? "");
    if (!row) throw notFound("No such invoice.");
    await assertVisible(c, deps, row.companyId, "invoice");
    const bill = fromSnapshot(row);
    return isClient(c) ? forClient(bill) : bill;
  };
  r.add(
    {
      method: "get",
      path: "/api/invoices/:invoice",
      access: "read",
      client: true,
      tag,
      summary: "One accepted bill's snapshot",
    },
    async (c) => c.json(await snapshot(c)),
  );
  r.add(
    {
      method: "get",
      path: "/api/invoices/:invoice/csv",
      access: "read",
      client: true,
      tag,
      summary: "One accepted bill as CSV, exactly as accepted",
      produces: "text/csv",
    },
    async (c) => {
      const bill = await snapshot(c);
      return download(c, invoiceCsv(bill), CSV, `${bill.invoice_number}.csv`);
    },
  );

  const overridesJson = async (companyId: number) => {
    const { overrides, parked } = await companyOverrides(h, companyId);
    return { ...overrides, parked };
  };
  r.add(
    {
      method: "get",
      path: "/api/companies/:acct/billing-overrides",
      access: "staff",
      tag,
      summary: "A company's rate overrides (null: the plan's rate), and `parked`: switched-off overrides' values",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      return c.json(await overridesJson(company.id));
    },
  );
  r.add(
    {
      method: "put",
      path: "/api/companies/:acct/billing-overrides",
      access: "billing",
      tag,
      summary: "Set rate overrides (number) or return to the plan (null, keeping the value under `parked`)",
      body: companyOverridesSchema,
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      await setCompanyOverrides(h, company, await jsonBody(c, companyOverridesSchema), actorOf(c));
      return c.json(await overridesJson(company.id));
    },
  );
  r.add(
    {
      method: "put",
      path: "/api/assets/:id/billing-override",
      access: "billing",
      tag,
      summary: "Bill an asset as another type, at no charge, or at a custom price",
      body: assetOverrideSchema,
    },
    async (c) => {
      const asset = await requireAsset(h, intParam(c, "id"));
      const body = await jsonBody(c, assetOverrideSchema);
      await setAssetOverride(h, asset.id, asset.companyId, body, actorOf(c));
      return c.json({ asset_id: asset.id, billing_type: body.billing_type, custom_cents: body.custom_cents ?? null });
    },
  );
  r.add(
    {
      method: "delete",
      path: "/api/assets/:id/billing-override",
      access: "billing",
      tag,
      summary: "Bill an asset by its type again",
    },
    async (c) => {
      const asset = await requireAsset(h, intParam(c, "id"));
      await setAssetOverride(h, asset.id, asset.companyId, null, actorOf(c));
      return c.json({ message: "Override removed." });
    },
  );
  r.add(
    {
      method: "put",
      path: "/api/companies/:acct/users/:contact_id/billing-override",
      access: "billing",
      tag,
      summary: "Bill a user as paid, free or at a custom price",
      body: userOverrideSchema,
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const body = await jsonBody(c, userOverrideSchema);
      await setUserOverride(h, company, intParam(c, "contact_id"), body, actorOf(c));
      return c.json({
        contact_id: intParam(c, "contact_id"),
        billing_type: body.billing_type,
        custom_cents: body.custom_cents ?? null,
      });
    },
  );
  r.add(
    {
      method: "delete",
      path: "/api/companies/:acct/users/:contact_id/billing-override",
      access: "billing",
      tag,
      summary: "Bill a user at the per-user rate again",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      await setUserOverride(h, company, intParam(c, "contact_id"), null, actorOf(c));
      return c.json({ message: "Override removed." });
    },
  );

  r.add(
    {
      method: "get",
      path: "/api/companies/:acct/line-items",
      access: "staff",
      tag,
      summary: "A company's extra charges",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const rows = await h.db
        .select()
        .from(h.t.lineItems)
        .where(eq(h.t.lineItems.companyId, company.id))
        .orderBy(h.t.lineItems.id);
      return c.json({ items: rows.map(lineItemJson) });
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/companies/:acct/line-items",
      access: "billing",
      tag,
      summary: "Add a monthly, one-off or yearly charge",
      body: lineItemCreateSchema,
      idempotent: true,
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      return c.json(
        lineItemJson(await createLineItem(h, company, await jsonBody(c, lineItemCreateSchema), actorOf(c))),
        201,
      );
    },
  );
  r.add(
    {
      method: "put",
      path: "/api/companies/:acct/line-items/:item_id",
      access: "billing",
      tag,
      summary: "Change a charge",
      body: lineItemUpdateSchema,
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const item = await requireLineItem(h, company, intParam(c, "item_id"));
      return c.json(lineItemJson(await updateLineItem(h, item, await jsonBody(c, lineItemUpdateSchema), actorOf(c))));
    },
  );
  r.add(
    {
      method: "delete",
      path: "/api/companies/:acct/line-items/:item_id",
      access: "billing",
      tag,
      summary: "Remove a charge",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      await deleteLineItem(h, await requireLineItem(h, company, intParam(c, "item_id")), actorOf(c));
      return c.json({ message: "Removed." });
    },
  );

  r.add(
    {
      method: "get",
      path: "/api/companies/:acct/features",
      access: "read",
      client: true,
      tag,
      summary: "A company's features (plan, with its overrides)",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      await assertVisible(c, deps, company.id, "company");
      return c.json({ items: await companyFeatures(deps.db, company.id, company.billingPlanId) });
    },
  );
  r.add(
    {
      method: "put",
      path: "/api/companies/:acct/features",
      access: "billing",
      tag,
      summary: "Override features for a company: { category key: option value | null }",
      body: featureChoiceSchema,
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      await setFeatures(h, { companyId: company.id }, await jsonBody(c, featureChoiceSchema), actorOf(c));
      return c.json({ items: await companyFeatures(deps.db, company.id, company.billingPlanId) });
    },
  );
}
