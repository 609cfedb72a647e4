import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import {
  bulkBody,
  bulkResultSchema,
  errorAnswer,
  jsonAnswer,
  jsonRequest,
  messageSchema,
} from "../shared/route-schemas.ts";
import { scopeCompanyId, visibleCompany } from "../shared/client-scope.ts";
import { actorOf } from "../shared/request.ts";
import {
  createCompany,
  deleteCompany,
  listCompanies,
  loadPlans,
  requireCompany,
  updateCompany,
  upsertCompanies,
} from "./data.ts";
import {
  companyCreate,
  companyJson,
  companyListQuery,
  companyPageSchema,
  companyParams,
  companySchema,
  companyUpdate,
} from "./json.ts";

const tags: [string] = ["Companies"];

const listRoute = apiRoute({
  method: "get",
  path: "/api/companies",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "List companies (filters, sorting, cursor pagination)",
  request: { query: companyListQuery },
  responses: { 200: jsonAnswer(companyPageSchema, "A page of companies") },
});

const createRoute = apiRoute({
  method: "post",
  path: "/api/companies",
  access: ACCESS.data,
  tags,
  summary: "Create a company",
  idempotent: true,
  request: { body: jsonRequest(companyCreate) },
  responses: {
    201: jsonAnswer(companySchema, "The company as stored"),
    409: errorAnswer("The account number (or external id) is already used"),
  },
});

const bulkRoute = apiRoute({
  method: "post",
  path: "/api/companies/bulk",
  access: ACCESS.data,
  tags,
  summary: "Create or update many companies (all or nothing, per-row errors)",
  request: { body: jsonRequest(bulkBody("POST /api/companies")) },
  responses: { 200: jsonAnswer(bulkResultSchema, "Every row's outcome") },
});

const getRoute = apiRoute({
  method: "get",
  path: "/api/companies/{acct}",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "A company",
  request: { params: companyParams },
  responses: { 200: jsonAnswer(companySchema, "The company") },
});

const updateRoute = apiRoute({
  method: "put",
  path: "/api/companies/{acct}",
  access: ACCESS.data,
  tags,
  summary: "Update a company (only the fields sent)",
  request: { params: companyParams, body: jsonRequest(companyUpdate) },
  responses: { 200: jsonAnswer(companySchema, "The company as stored") },
});

const deleteRoute = apiRoute({
  method: "delete",
  path: "/api/companies/{acct}",
  access: ACCESS.admin,
  tags,
  summary: "Delete a company and everything of it",
  request: { params: companyParams },
  responses: {
    200: jsonAnswer(messageSchema, "Deleted"),
    409: errorAnswer("It has accepted bills, which are kept for the records"),
  },
});

export function companiesApi(routes: RouteTable, deps: Deps) {
  routes.api(listRoute, async (c) =>
    c.json(await listCompanies(deps.db, c.req.valid("query"), await scopeCompanyId(c, deps)), 200),
  );

  routes.api(createRoute, async (c) => {
    const company = await createCompany(deps.db, c.req.valid("json"), actorOf(c));
    return c.json(companyJson(company, await loadPlans(deps.db)), 201);
  });

  routes.api(bulkRoute, async (c) => c.json(await upsertCompanies(deps.db, c.req.valid("json").rows, actorOf(c)), 200));

  routes.api(getRoute, async (c) => {
    const company = await visibleCompany(c, deps, c.req.valid("param").acct);
    return c.json(companyJson(company, await loadPlans(deps.db)), 200);
  });

  routes.api(updateRoute, async (c) => {
    const company = await requireCompany(deps.db, c.req.valid("param").acct);
    const updated = await updateCompany(deps.db, company, c.req.valid("json"), actorOf(c));
    return c.json(companyJson(updated, await loadPlans(deps.db)), 200);
  });

  routes.api(deleteRoute, async (c) => {
    const company = await requireCompany(deps.db, c.req.valid("param").acct);
    await deleteCompany(deps.db, company, actorOf(c));
    return c.json({ message: `Deleted ${company.name}.` }, 200);
  });
}
