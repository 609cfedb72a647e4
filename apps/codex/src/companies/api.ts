import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { scopeCompanyId, visibleCompany } from "../shared/client-scope.ts";
import { entityRoutes } from "../shared/entity-routes.ts";
import { errorAnswer } from "../shared/route-schemas.ts";
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

const route = entityRoutes({
  path: "/api/companies",
  param: "acct",
  params: companyParams,
  tag: "Companies",
  one: "company",
  many: "companies",
  listQuery: companyListQuery,
  page: companyPageSchema,
  create: companyCreate,
  update: companyUpdate,
  json: companySchema,
  conflict: "The account number (or external id) is already used",
});

/** Deleting a company takes an admin: everything of it goes too. */
const deleteRoute = apiRoute({
  ...route.delete,
  access: ACCESS.admin,
  summary: "Delete a company and everything of it",
  responses: { ...route.delete.responses, 409: errorAnswer("It has accepted bills, which are kept for the records") },
});

export function companiesApi(routes: RouteTable, deps: Deps) {
  routes.api(route.list, async (c) =>
    c.json(await listCompanies(deps.db, c.req.valid("query"), await scopeCompanyId(c, deps)), 200),
  );

  routes.api(route.create, async (c) => {
    const company = await createCompany(deps.db, c.req.valid("json"), actorOf(c));
    return c.json(companyJson(company, await loadPlans(deps.db)), 201);
  });

  routes.api(route.bulk, async (c) =>
    c.json(await upsertCompanies(deps.db, c.req.valid("json").rows, actorOf(c)), 200),
  );

  routes.api(route.get, async (c) => {
    const company = await visibleCompany(c, deps, c.req.valid("param").acct);
    return c.json(companyJson(company, await loadPlans(deps.db)), 200);
  });

  routes.api(route.update, async (c) => {
    const company = await requireCompany(deps.db, c.req.valid("param").acct);
    const updated = await updateCompany(deps.db, company, c.req.valid("json"), actorOf(c));
    return c.json(companyJson(updated, await loadPlans(deps.db)), 200);
  });

  routes.api(deleteRoute, async (c) => {
    const company = await requireCompany(deps.db, c.req.valid("param").acct);
    await deps.attachments.remove(await deleteCompany(deps.db, company, actorOf(c)));
    return c.json({ message: `Deleted ${company.name}.` }, 200);
  });
}
