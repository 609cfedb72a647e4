import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { scopeCompanyId } from "../../shared/client-scope.ts";
import { jsonAnswer } from "../../shared/route-schemas.ts";
import { billSchema } from "../bills/json.ts";
import { invoiceCsv } from "../bills/exports.ts";
import { CSV_TYPE, csvFile, download } from "../files.ts";
import { searchArchive, visibleInvoice } from "./data.ts";
import { archivePageSchema, archiveQuery, invoiceParams } from "./json.ts";

const tags: [string] = ["Billing"];
/** Every archive route is a read, of what the caller may see. */
const read = { method: "get" as const, access: ACCESS.readWithClientScope, tags };
const invoiceRead = { ...read, request: { params: invoiceParams } };

const route = {
  search: apiRoute({
    ...read,
    path: "/api/invoices",
    summary:
      "Accepted bills (invoices), newest month first: by company (account number or part of the name), invoice" +
      " number, year/month or a from–to range of months (YYYY-MM); cursor pages",
    request: { query: archiveQuery },
    responses: { 200: jsonAnswer(archivePageSchema, "A page of accepted bills") },
  }),
  invoice: apiRoute({
    ...invoiceRead,
    path: "/api/invoices/{invoice}",
    summary: "One accepted bill's snapshot",
    responses: { 200: jsonAnswer(billSchema, "The bill, exactly as accepted") },
  }),
  invoiceCsv: apiRoute({
    ...invoiceRead,
    path: "/api/invoices/{invoice}/csv",
    summary: "One accepted bill as CSV, exactly as accepted",
    responses: { 200: csvFile("The invoice") },
  }),
};

/** The archive of accepted bills (invoices): search them, read one, download one. */
export function archiveApi(routes: RouteTable, deps: Deps) {
  routes.api(route.search, async (c) =>
    c.json(await searchArchive(deps.db, c.req.valid("query"), await scopeCompanyId(c, deps)), 200),
  );

  routes.api(route.invoice, async (c) => c.json(await visibleInvoice(c, deps, c.req.valid("param").invoice), 200));

  routes.api(route.invoiceCsv, async (c) => {
    const bill = await visibleInvoice(c, deps, c.req.valid("param").invoice);
    return download(c, invoiceCsv(bill), CSV_TYPE, `${bill.invoice_number}.csv`);
  });
}
