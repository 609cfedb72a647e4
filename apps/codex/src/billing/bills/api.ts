import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import { requireCompany } from "../../companies/data.ts";
import type { Deps } from "../../deps.ts";
import { scopeCompanyId, visibleCompany } from "../../shared/client-scope.ts";
import { actorOf, isClient } from "../../shared/request.ts";
import { errorAnswer, jsonAnswer, jsonRequest } from "../../shared/route-schemas.ts";
import { CSV_TYPE, csvFile, download, ZIP_TYPE, zipFile } from "../files.ts";
import { companyParams } from "../input.ts";
import { pad2 } from "../months.ts";
import { acceptBill, billFor, billsFor, companiesWithId } from "./data.ts";
import { billingDashboard } from "./data-dashboard.ts";
import { billsCsv, invoiceCsv, invoicesZip, quickbooksCsv } from "./exports.ts";
import {
  acceptSchema,
  billSchema,
  dashboardSchema,
  forClient,
  monthBillsSchema,
  optionalPeriod,
  type Period,
  periodSchema,
} from "./json.ts";

const tags: [string] = ["Billing"];

/** A month's bills, of every company or one company, read or downloaded. */
const monthGet = { method: "get" as const, tags, request: { query: periodSchema } };
const companyGet = { method: "get" as const, tags, request: { params: companyParams, query: periodSchema } };

const route = {
  month: apiRoute({
    ...monthGet,
    access: ACCESS.readWithClientScope,
    path: "/api/billing",
    summary: "Every company's bill for a month, in one call",
    responses: { 200: jsonAnswer(monthBillsSchema, "The month's bills and their total") },
  }),
  monthCsv: apiRoute({
    ...monthGet,
    access: ACCESS.readWithClientScope,
    path: "/api/billing/export.csv",
    summary: "A month's bills as CSV, one row per line",
    responses: { 200: csvFile("The month's bills") },
  }),
  monthZip: apiRoute({
    ...monthGet,
    access: ACCESS.staff,
    path: "/api/billing/invoices.zip",
    summary: "Every company's invoice CSV for a month, as one ZIP (with summary.csv)",
    responses: { 200: zipFile("One CSV per invoice, and summary.csv") },
  }),
  monthQuickbooks: apiRoute({
    ...monthGet,
    access: ACCESS.staff,
    path: "/api/billing/quickbooks.csv",
    summary: "A month's bills as a QuickBooks Online invoice import CSV",
    responses: { 200: csvFile("QuickBooks Online's invoice import") },
  }),
  dashboard: apiRoute({
    method: "get",
    path: "/api/billing/dashboard",
    access: ACCESS.staff,
    tags,
    summary: "Billing dashboard: clients, the month's revenue, active and expiring contracts, revenue by plan",
    request: { query: optionalPeriod },
    responses: { 200: jsonAnswer(dashboardSchema, "The month's figures") },
  }),
  company: apiRoute({
    ...companyGet,
    access: ACCESS.readWithClientScope,
    path: "/api/billing/{acct}",
    summary: "A company's bill for a month (the accepted snapshot once accepted)",
    responses: { 200: jsonAnswer(billSchema, "The bill") },
  }),
  companyCsv: apiRoute({
    ...companyGet,
    access: ACCESS.readWithClientScope,
    path: "/api/billing/{acct}/invoice.csv",
    summary: "A company's invoice for a month as CSV",
    responses: { 200: csvFile("The invoice") },
  }),
  companyQuickbooks: apiRoute({
    ...companyGet,
    access: ACCESS.staff,
    path: "/api/billing/{acct}/quickbooks.csv",
    summary: "A company's bill for a month as a QuickBooks Online invoice import CSV",
    responses: { 200: csvFile("QuickBooks Online's invoice import") },
  }),
  accept: apiRoute({
    method: "post",
    path: "/api/billing/{acct}/accept",
    access: ACCESS.billing,
    tags,
    summary: "Accept a bill: store an immutable snapshot, invoice ACCT-YYYYMM",
    request: { params: companyParams, body: jsonRequest(acceptSchema) },
    responses: {
      201: jsonAnswer(billSchema, "The accepted bill"),
      409: errorAnswer("The bill was accepted already"),
    },
  }),
};

/**
 * Bills over the API: a month's for every company, and one company's. The month files' fixed
 * paths come before `{acct}`, which would otherwise take them for account numbers.
 */
export function billsApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  const monthBills = async (c: Context<AppEnv>, period: Period) =>
    billsFor(db, period.year, period.month, await companiesWithId(db, await scopeCompanyId(c, deps)));
  const fileName = (name: string, period: Period) => `${name}-${period.year}-${pad2(period.month)}`;

  routes.api(route.month, async (c) => {
    const period = c.req.valid("query");
    const bills = await monthBills(c, period);
    return c.json(
      {
        ...period,
        items: isClient(c) ? bills.map(forClient) : bills,
        total_cents: bills.reduce((sum, bill) => sum + bill.totals.total_cents, 0),
      },
      200,
    );
  });

  routes.api(route.monthCsv, async (c) => {
    const period = c.req.valid("query");
    return download(c, billsCsv(await monthBills(c, period)), CSV_TYPE, `${fileName("bills", period)}.csv`);
  });

  routes.api(route.monthZip, async (c) => {
    const period = c.req.valid("query");
    const bills = await billsFor(db, period.year, period.month);
    return download(c, invoicesZip(bills), ZIP_TYPE, `${fileName("invoices", period)}.zip`);
  });

  routes.api(route.monthQuickbooks, async (c) => {
    const period = c.req.valid("query");
    const bills = await billsFor(db, period.year, period.month);
    return download(c, quickbooksCsv(bills), CSV_TYPE, `${fileName("quickbooks-invoices", period)}.csv`);
  });

  routes.api(route.dashboard, async (c) => {
    const query = c.req.valid("query");
    const now = new Date();
    const year = query.year ?? now.getUTCFullYear();
    const month = query.month ?? now.getUTCMonth() + 1;
    return c.json((await billingDashboard(db, year, month, now)).dashboard, 200);
  });

  /** The company's bill, if the caller may see it; without the overrides for a client. */
  const companyBill = async (c: Context<AppEnv>, acct: string, period: Period) => {
    const bill = await billFor(db, await visibleCompany(c, deps, acct), period.year, period.month);
    return isClient(c) ? forClient(bill) : bill;
  };

  routes.api(route.company, async (c) =>
    c.json(await companyBill(c, c.req.valid("param").acct, c.req.valid("query")), 200),
  );

  routes.api(route.companyCsv, async (c) => {
    const bill = await companyBill(c, c.req.valid("param").acct, c.req.valid("query"));
    return download(c, invoiceCsv(bill), CSV_TYPE, `${bill.invoice_number}.csv`);
  });

  routes.api(route.companyQuickbooks, async (c) => {
    const bill = await companyBill(c, c.req.valid("param").acct, c.req.valid("query"));
    return download(c, quickbooksCsv([bill]), CSV_TYPE, `${bill.invoice_number}-quickbooks.csv`);
  });

  routes.api(route.accept, async (c) => {
    const company = await requireCompany(db, c.req.valid("param").acct);
    const body = c.req.valid("json");
    return c.json(await acceptBill(db, company, body.year, body.month, body.notes ?? null, actorOf(c)), 201);
  });
}
