import { z } from "zod";
import { and, desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { notFound } from "@hivematrix/lib/errors";
import { jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { CodexDeps } from "../context.ts";
import { requireCompany } from "../data/companies.ts";
import { requireAsset } from "../data/assets.ts";
import { featureChoiceSchema, setFeatures } from "../data/plans.ts";
import { acceptBill, acceptSchema, billFor, billsCsv, billsFor, periodSchema } from "../billing/bills.ts";
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
import { actorOf, assertVisible, intParam, scopeCompanyId } from "./scope.ts";

const acctOf = (c: Context<AppEnv>) => decodeURIComponent(c.req.param("acct") ?? "");
const invoicesQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional(), month: z.coerce.number().int().min(1).max(12).optional(), company: z.string().max(50).optional() }).strict();

/** A company's features: its plan's options with its own overrides laid over them. */
export async function companyFeatures(deps: CodexDeps, companyId: number, planId: number | null) {
  const h = deps.db;
  const t = h.t;
  const catalog = await h.db.select({ id: t.featureCategories.id, key: t.featureCategories.key, name: t.featureCategories.name }).from(t.featureCategories).orderBy(t.featureCategories.name);
  const options = new Map((await h.db.select().from(t.featureOptions)).map((o) => [o.id, o]));
  const fromPlan = new Map(planId ? (await h.db.select().from(t.planFeatures).where(eq(t.planFeatures.planId, planId))).map((p) => [p.categoryId, p.optionId]) : []);
  const own = new Map((await h.db.select().from(t.companyFeatureOverrides).where(eq(t.companyFeatureOverrides.companyId, companyId))).map((p) => [p.categoryId, p.optionId]));
  return catalog.map((cat) => {
    const optionId = own.get(cat.id) ?? fromPlan.get(cat.id);
    const option = optionId ? options.get(optionId) : undefined;
    return { key: cat.key, name: cat.name, value: option?.value ?? null, display_name: option?.displayName ?? null, source: own.has(cat.id) ? "override" : fromPlan.has(cat.id) ? "plan" : "none" };
  });
}

export function billingApi(r: RouteTable, deps: CodexDeps) {
  const h = deps.db;
  const tag = "Billing";
  const scopedCompanies = async (c: Context<AppEnv>) => {
    const scope = await scopeCompanyId(c, deps);
    return scope === null ? null : await h.db.select().from(h.t.companies).where(eq(h.t.companies.id, scope));
  };

  r.add({ method: "get", path: "/api/billing", access: "read", client: true, tag, summary: "Every company's bill for a month, in one call", query: periodSchema }, async (c) => {
    const q = queryParams(c, periodSchema);
    const bills = await billsFor(h, q.year, q.month, await scopedCompanies(c));
    return c.json({ year: q.year, month: q.month, items: bills, total_cents: bills.reduce((s, b) => s + b.totals.total_cents, 0) });
  });
  r.add({ method: "get", path: "/api/billing/export.csv", access: "read", client: true, tag, summary: "A month's bills as CSV, one row per line", query: periodSchema, produces: "text/csv" }, async (c) => {
    const q = queryParams(c, periodSchema);
    const csv = billsCsv(await billsFor(h, q.year, q.month, await scopedCompanies(c)));
    c.header("Content-Disposition", `attachment; filename="bills-${q.year}-${String(q.month).padStart(2, "0")}.csv"`);
    c.header("Cache-Control", "no-store");
    return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8" });
  });
  r.add({ method: "get", path: "/api/billing/:acct", access: "read", client: true, tag, summary: "A company's bill for a month (the accepted snapshot once accepted)", query: periodSchema }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    await assertVisible(c, deps, company.id, "company");
    const q = queryParams(c, periodSchema);
    return c.json(await billFor(h, company, q.year, q.month));
  });
  r.add({ method: "post", path: "/api/billing/:acct/accept", access: "billing", tag, summary: "Accept a bill: store an immutable snapshot, invoice ACCT-YYYYMM", body: acceptSchema }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    const body = await jsonBody(c, acceptSchema);
    return c.json(await acceptBill(h, company, body.year, body.month, body.notes ?? null, actorOf(c)), 201);
  });
  r.add({ method: "get", path: "/api/invoices", access: "read", client: true, tag, summary: "Accepted bills (invoices), newest first", query: invoicesQuery }, async (c) => {
    const q = queryParams(c, invoicesQuery);
    const scope = await scopeCompanyId(c, deps);
    const t = h.t.acceptedBills;
    const rows = await h.db
      .select()
      .from(t)
      .where(and(scope === null ? undefined : eq(t.companyId, scope), q.year ? eq(t.year, q.year) : undefined, q.month ? eq(t.month, q.month) : undefined, q.company ? eq(t.accountNumber, q.company) : undefined))
      .orderBy(desc(t.year), desc(t.month), t.accountNumber)
      .limit(1000);
    return c.json({ items: rows.map((a) => ({ invoice_number: a.invoiceNumber, account_number: a.accountNumber, year: a.year, month: a.month, total_cents: a.totalCents, accepted_at: a.acceptedAt.toISOString(), accepted_by: a.acceptedBy, notes: a.notes })) });
  });
  r.add({ method: "get", path: "/api/invoices/:invoice", access: "read", client: true, tag, summary: "One accepted bill's snapshot" }, async (c) => {
    const [row] = await h.db.select().from(h.t.acceptedBills).where(eq(h.t.acceptedBills.invoiceNumber, c.req.param("invoice") ?? ""));
    if (!row) throw notFound("No such invoice.");
    await assertVisible(c, deps, row.companyId, "invoice");
    return c.json({ ...row.snapshot, accepted: { invoice_number: row.invoiceNumber, accepted_at: row.acceptedAt.toISOString(), accepted_by: row.acceptedBy, notes: row.notes } });
  });

  r.add({ method: "get", path: "/api/companies/:acct/billing-overrides", access: "staff", tag, summary: "A company's rate overrides (null: the plan's rate)" }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    return c.json(await companyOverrides(h, company.id));
  });
  r.add({ method: "put", path: "/api/companies/:acct/billing-overrides", access: "billing", tag, summary: "Set rate overrides (number) or return to the plan (null)", body: companyOverridesSchema }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    await setCompanyOverrides(h, company, await jsonBody(c, companyOverridesSchema), actorOf(c));
    return c.json(await companyOverrides(h, company.id));
  });
  r.add({ method: "put", path: "/api/assets/:id/billing-override", access: "billing", tag, summary: "Bill an asset as another type, at no charge, or at a custom price", body: assetOverrideSchema }, async (c) => {
    const asset = await requireAsset(h, intParam(c, "id"));
    const body = await jsonBody(c, assetOverrideSchema);
    await setAssetOverride(h, asset.id, asset.companyId, body, actorOf(c));
    return c.json({ asset_id: asset.id, billing_type: body.billing_type, custom_cents: body.custom_cents ?? null });
  });
  r.add({ method: "delete", path: "/api/assets/:id/billing-override", access: "billing", tag, summary: "Bill an asset by its type again" }, async (c) => {
    const asset = await requireAsset(h, intParam(c, "id"));
    await setAssetOverride(h, asset.id, asset.companyId, null, actorOf(c));
    return c.json({ message: "Override removed." });
  });
  r.add({ method: "put", path: "/api/companies/:acct/users/:contact_id/billing-override", access: "billing", tag, summary: "Bill a user as paid, free or at a custom price", body: userOverrideSchema }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    const body = await jsonBody(c, userOverrideSchema);
    await setUserOverride(h, company, intParam(c, "contact_id"), body, actorOf(c));
    return c.json({ contact_id: intParam(c, "contact_id"), billing_type: body.billing_type, custom_cents: body.custom_cents ?? null });
  });
  r.add({ method: "delete", path: "/api/companies/:acct/users/:contact_id/billing-override", access: "billing", tag, summary: "Bill a user at the per-user rate again" }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    await setUserOverride(h, company, intParam(c, "contact_id"), null, actorOf(c));
    return c.json({ message: "Override removed." });
  });

  r.add({ method: "get", path: "/api/companies/:acct/line-items", access: "staff", tag, summary: "A company's extra charges" }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    const rows = await h.db.select().from(h.t.lineItems).where(eq(h.t.lineItems.companyId, company.id)).orderBy(h.t.lineItems.id);
    return c.json({ items: rows.map(lineItemJson) });
  });
  r.add({ method: "post", path: "/api/companies/:acct/line-items", access: "billing", tag, summary: "Add a monthly, one-off or yearly charge", body: lineItemCreateSchema }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    return c.json(lineItemJson(await createLineItem(h, company, await jsonBody(c, lineItemCreateSchema), actorOf(c))), 201);
  });
  r.add({ method: "put", path: "/api/companies/:acct/line-items/:item_id", access: "billing", tag, summary: "Change a charge", body: lineItemUpdateSchema }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    const item = await requireLineItem(h, company, intParam(c, "item_id"));
    return c.json(lineItemJson(await updateLineItem(h, item, await jsonBody(c, lineItemUpdateSchema), actorOf(c))));
  });
  r.add({ method: "delete", path: "/api/companies/:acct/line-items/:item_id", access: "billing", tag, summary: "Remove a charge" }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    await deleteLineItem(h, await requireLineItem(h, company, intParam(c, "item_id")), actorOf(c));
    return c.json({ message: "Removed." });
  });

  r.add({ method: "get", path: "/api/companies/:acct/features", access: "read", client: true, tag, summary: "A company's features (plan, with its overrides)" }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    await assertVisible(c, deps, company.id, "company");
    return c.json({ items: await companyFeatures(deps, company.id, company.billingPlanId) });
  });
  r.add({ method: "put", path: "/api/companies/:acct/features", access: "billing", tag, summary: "Override features for a company: { category key: option value | null }", body: featureChoiceSchema }, async (c) => {
    const company = await requireCompany(h, acctOf(c));
    await setFeatures(h, { companyId: company.id }, await jsonBody(c, featureChoiceSchema), actorOf(c));
    return c.json({ items: await companyFeatures(deps, company.id, company.billingPlanId) });
  });
}
