import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { assetsOfCompany } from "../assets/data-lists.ts";
import { assetSchema } from "../assets/json.ts";
import { contactsOfCompany } from "../contacts/data-lists.ts";
import { contactSchema } from "../contacts/json.ts";
import type { Deps } from "../deps.ts";
import { jsonAnswer } from "../shared/route-schemas.ts";
import { scopeCompanyId, visibleCompany } from "../shared/client-scope.ts";
import { staleQuery } from "../shared/data-pagination.ts";
import { ticketViewer } from "../shared/request.ts";
import { companiesBulk, companyTickets } from "./data-related.ts";
import { companiesBulkQuery, companiesBulkSchema, companyParams, companyTicketsQuery } from "./json.ts";
import { ticketPageSchema } from "../tickets/json.ts";

const tags: [string] = ["Companies"];
const contactList = jsonAnswer(z.object({ items: z.array(contactSchema) }), "The contacts, by name");

const bulkRoute = apiRoute({
  method: "get",
  path: "/api/companies/bulk",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "Companies with their assets, contacts, locations (and tickets), a page at a time",
  request: { query: companiesBulkQuery },
  responses: { 200: jsonAnswer(companiesBulkSchema, "A page of companies with their records") },
});

const assetsRoute = apiRoute({
  method: "get",
  path: "/api/companies/{acct}/assets",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "A company's assets (stale ones only when asked for)",
  request: { params: companyParams, query: z.object({ stale: staleQuery }).strict() },
  responses: { 200: jsonAnswer(z.object({ items: z.array(assetSchema) }), "The assets, by hostname") },
});

const contactsRoute = apiRoute({
  method: "get",
  path: "/api/companies/{acct}/contacts",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "A company's contacts",
  request: { params: companyParams },
  responses: { 200: contactList },
});

const usersRoute = apiRoute({
  method: "get",
  path: "/api/companies/{acct}/users",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "A company's users (same as contacts)",
  request: { params: companyParams },
  responses: { 200: contactList },
});

const ticketsRoute = apiRoute({
  method: "get",
  path: "/api/companies/{acct}/tickets",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "A company's tickets, newest first (optionally of one year)",
  request: { params: companyParams, query: companyTicketsQuery },
  responses: { 200: jsonAnswer(ticketPageSchema, "A page of tickets") },
});

/** What a company holds: its records in one call, or one kind at a time. */
export function companyRecordsApi(routes: RouteTable, deps: Deps) {
  routes.api(bulkRoute, async (c) => {
    const scope = await scopeCompanyId(c, deps);
    return c.json(await companiesBulk(deps.db, c.req.valid("query"), scope, ticketViewer(c)), 200);
  });

  routes.api(assetsRoute, async (c) => {
    const company = await visibleCompany(c, deps, c.req.valid("param").acct);
    return c.json({ items: await assetsOfCompany(deps.db, company.id, c.req.valid("query").stale) }, 200);
  });

  for (const route of [contactsRoute, usersRoute])
    routes.api(route, async (c) => {
      const company = await visibleCompany(c, deps, c.req.valid("param").acct);
      return c.json({ items: await contactsOfCompany(deps.db, company.id, await scopeCompanyId(c, deps)) }, 200);
    });

  routes.api(ticketsRoute, async (c) => {
    const company = await visibleCompany(c, deps, c.req.valid("param").acct);
    return c.json(await companyTickets(deps.db, company, c.req.valid("query"), ticketViewer(c)), 200);
  });
}
