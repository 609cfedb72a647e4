import { z } from "zod";
import { and, eq, gte, inArray, lt } from "drizzle-orm";
import { jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import { COMPLIANCE_LEVELS } from "../db/schema.ts";
import {
  companyCreateSchema,
  companyJson,
  companyUpdateSchema,
  createCompany,
  deleteCompany,
  loadPlans,
  requireCompany,
  updateCompany,
  upsertCompanies,
} from "../data/companies.ts";
import { contactJson, companiesOfContacts } from "../data/contacts.ts";
import { assetJson, contactsOfAssets } from "../data/assets.ts";
import { ticketJson, type TicketViewer } from "../data/tickets.ts";
import {
  createLocation,
  deleteLocation,
  locationCreateSchema,
  locationJson,
  locationUpdateSchema,
  requireLocation,
  updateLocation,
} from "../data/locations.ts";
import { pageOf, pageQuery, staleCondition, staleQuery } from "../shared/data-pagination.ts";
import { selectIn } from "../shared/data-common.ts";
import { matchCondition } from "../search/data.ts";
import type { RouteTable } from "./registry.ts";
import { acctParam, actorOf, assertVisible, intParam, scopeCompanyId, ticketViewer } from "./scope.ts";

export const companyListQuery = z
  .object({
    q: z.string().max(200).optional(),
    compliance_level: z.enum(COMPLIANCE_LEVELS).optional(),
    billing_plan: z.string().max(100).optional(),
    stale: staleQuery,
    sort: z.enum(["name", "account_number", "updated_at"]).default("name"),
    ...pageQuery,
  })
  .strict();

const boolish = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const companiesBulkQuery = z
  .object({
    include_tickets: boolish.default(false),
    /** With include_tickets: only tickets updated in this year. */
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    stale: staleQuery,
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(500).optional(),
  })
  .strict();

/**
 * Companies with their assets, contacts and locations (and tickets) in one call, as the old
 * /api/companies/bulk answered, but a page at a time and in a fixed number of queries however
 * many companies a page holds (the old one made several per company).
 */
export async function companiesBulk(
  deps: Deps,
  q: z.infer<typeof companiesBulkQuery>,
  scope: number | null,
  viewer: TicketViewer,
) {
  const h = deps.db;
  const t = h.t;
  const page = await pageOf(h.db.select().from(t.companies).$dynamic(), {
    where: [scope === null ? undefined : eq(t.companies.id, scope), staleCondition(t.companies.staleSince, q.stale)],
    sortCol: t.companies.accountNumber,
    sortKey: (r) => r.accountNumber,
    idCol: t.companies.id,
    order: "asc",
    cursor: q.cursor,
    limit: q.limit,
  });
  const ids = page.items.map((c) => c.id);
  const within = <C>(col: C, part: number[]) => inArray(col as never, part);
  const assets = await selectIn(ids, (part) =>
    h.db
      .select()
      .from(t.assets)
      .where(and(within(t.assets.companyId, part as number[]), staleCondition(t.assets.staleSince, q.stale)))
      .orderBy(t.assets.hostname, t.assets.id),
  );
  const assetLinks = await contactsOfAssets(
    h,
    assets.map((a) => a.id),
  );
  const links = await selectIn(ids, (part) =>
    h.db
      .select()
      .from(t.contactCompanies)
      .where(within(t.contactCompanies.companyId, part as number[])),
  );
  const contacts = await selectIn([...new Set(links.map((l) => l.contactId))], (part) =>
    h.db
      .select()
      .from(t.contacts)
      .where(inArray(t.contacts.id, part as number[]))
      .orderBy(t.contacts.name, t.contacts.id),
  );
  const contactCompanies = await companiesOfContacts(
    h,
    contacts.map((c) => c.id),
    scope,
  );
  const locations = await selectIn(ids, (part) =>
    h.db
      .select()
      .from(t.locations)
      .where(within(t.locations.companyId, part as number[]))
      .orderBy(t.locations.name),
  );
  const tickets = q.include_tickets
    ? await selectIn(ids, (part) =>
        h.db
          .select()
          .from(t.tickets)
          .where(
            and(
              within(t.tickets.companyId, part as number[]),
              q.year ? gte(t.tickets.updatedAt, new Date(Date.UTC(q.year, 0, 1))) : undefined,
              q.year ? lt(t.tickets.updatedAt, new Date(Date.UTC(q.year + 1, 0, 1))) : undefined,
            ),
          )
          .orderBy(t.tickets.id),
      )
    : [];
  const plans = await loadPlans(h);
  const contactById = new Map(contacts.map((c) => [c.id, c]));
  return {
    items: page.items.map((c) => ({
      company: companyJson(c, plans),
      assets: assets
        .filter((a) => a.companyId === c.id)
        .map((a) => assetJson(a, c.accountNumber, assetLinks.get(a.id) ?? [])),
      contacts: links
        .filter((l) => l.companyId === c.id)
        .map((l) => contactById.get(l.contactId)!)
        .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id)
        .map((x) => contactJson(x, contactCompanies.get(x.id) ?? [])),
      locations: locations.filter((l) => l.companyId === c.id).map((l) => locationJson(l, c.accountNumber)),
      ...(q.include_tickets
        ? {
            tickets: tickets
              .filter((x) => x.companyId === c.id)
              .map((x) => ticketJson(x, c.accountNumber, null, viewer)),
          }
        : {}),
    })),
    next_cursor: page.next_cursor,
  };
}

export const bulkBody = z.object({ rows: z.array(z.unknown()).min(1, "Send at least one row.") }).strict();

export async function listCompanies(deps: Deps, query: z.infer<typeof companyListQuery>, scope: number | null) {
  const h = deps.db;
  const t = h.t.companies;
  const where = [
    scope === null ? undefined : eq(t.id, scope),
    query.q ? (matchCondition(h, "companies", query.q) ?? undefined) : undefined,
    query.compliance_level ? eq(t.complianceLevel, query.compliance_level) : undefined,
    query.billing_plan
      ? inArray(
          t.billingPlanId,
          h.db
            .select({ id: h.t.billingPlans.id })
            .from(h.t.billingPlans)
            .where(eq(h.t.billingPlans.name, query.billing_plan)),
        )
      : undefined,
    staleCondition(t.staleSince, query.stale),
  ];
  const sortCol = { name: t.name, account_number: t.accountNumber, updated_at: t.updatedAt }[query.sort];
  const page = await pageOf(h.db.select().from(t).$dynamic(), {
    where,
    sortCol,
    sortKey: (r) => ({ name: r.name, account_number: r.accountNumber, updated_at: r.updatedAt })[query.sort],
    idCol: t.id,
    order: query.order ?? (query.sort === "updated_at" ? "desc" : "asc"),
    cursor: query.cursor,
    limit: query.limit,
  });
  const plans = await loadPlans(h);
  return { items: page.items.map((r) => companyJson(r, plans)), next_cursor: page.next_cursor };
}

export function companyApi(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Companies";

  r.add(
    {
      method: "get",
      path: "/api/companies",
      access: "read",
      client: true,
      tag,
      summary: "List companies (filters, sorting, cursor pagination)",
      query: companyListQuery,
    },
    async (c) => {
      return c.json(await listCompanies(deps, queryParams(c, companyListQuery), await scopeCompanyId(c, deps)));
    },
  );

  r.add(
    {
      method: "post",
      path: "/api/companies",
      access: "data",
      tag,
      summary: "Create a company",
      body: companyCreateSchema,
      idempotent: true,
    },
    async (c) => {
      const row = await createCompany(h, await jsonBody(c, z.unknown()), actorOf(c));
      return c.json(companyJson(row, await loadPlans(h)), 201);
    },
  );

  r.add(
    {
      method: "post",
      path: "/api/companies/bulk",
      access: "data",
      tag,
      summary: "Create or update many companies (all or nothing, per-row errors)",
      body: bulkBody,
    },
    async (c) => {
      const body = await jsonBody(c, bulkBody);
      return c.json(await upsertCompanies(h, body.rows, actorOf(c)));
    },
  );

  r.add(
    {
      method: "get",
      path: "/api/companies/bulk",
      access: "read",
      client: true,
      tag,
      summary: "Companies with their assets, contacts, locations (and tickets), a page at a time",
      query: companiesBulkQuery,
    },
    async (c) =>
      c.json(
        await companiesBulk(deps, queryParams(c, companiesBulkQuery), await scopeCompanyId(c, deps), ticketViewer(c)),
      ),
  );

  r.add(
    { method: "get", path: "/api/companies/:acct", access: "read", client: true, tag, summary: "A company" },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      await assertVisible(c, deps, company.id, "company");
      return c.json(companyJson(company, await loadPlans(h)));
    },
  );

  r.add(
    {
      method: "put",
      path: "/api/companies/:acct",
      access: "data",
      tag,
      summary: "Update a company (only the fields sent)",
      body: companyUpdateSchema,
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const input = await jsonBody(c, companyUpdateSchema);
      return c.json(companyJson(await updateCompany(h, company, input, actorOf(c)), await loadPlans(h)));
    },
  );

  r.add(
    {
      method: "delete",
      path: "/api/companies/:acct",
      access: "admin",
      tag,
      summary: "Delete a company and everything of it",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      await deleteCompany(h, company, actorOf(c));
      return c.json({ message: `Deleted ${company.name}.` });
    },
  );

  const companyIn = async (c: Parameters<Parameters<RouteTable["add"]>[1]>[0]) => {
    const company = await requireCompany(h, acctParam(c));
    await assertVisible(c, deps, company.id, "company");
    return company;
  };

  const companyAssetsQuery = z.object({ stale: staleQuery }).strict();
  r.add(
    {
      method: "get",
      path: "/api/companies/:acct/assets",
      access: "read",
      client: true,
      tag,
      summary: "A company's assets (stale ones only when asked for)",
      query: companyAssetsQuery,
    },
    async (c) => {
      const company = await companyIn(c);
      const q = queryParams(c, companyAssetsQuery);
      const rows = await h.db
        .select()
        .from(h.t.assets)
        .where(and(eq(h.t.assets.companyId, company.id), staleCondition(h.t.assets.staleSince, q.stale)))
        .orderBy(h.t.assets.hostname, h.t.assets.id);
      const links = await contactsOfAssets(
        h,
        rows.map((a) => a.id),
      );
      return c.json({ items: rows.map((a) => assetJson(a, company.accountNumber, links.get(a.id) ?? [])) });
    },
  );

  const contactsOf = async (companyId: number, scope: number | null) => {
    const rows = await h.db
      .select()
      .from(h.t.contacts)
      .where(
        inArray(
          h.t.contacts.id,
          h.db
            .select({ id: h.t.contactCompanies.contactId })
            .from(h.t.contactCompanies)
            .where(eq(h.t.contactCompanies.companyId, companyId)),
        ),
      )
      .orderBy(h.t.contacts.name, h.t.contacts.id);
    const links = await companiesOfContacts(
      h,
      rows.map((x) => x.id),
      scope,
    );
    return rows.map((x) => contactJson(x, links.get(x.id) ?? []));
  };
  r.add(
    {
      method: "get",
      path: "/api/companies/:acct/contacts",
      access: "read",
      client: true,
      tag,
      summary: "A company's contacts",
    },
    async (c) => c.json({ items: await contactsOf((await companyIn(c)).id, await scopeCompanyId(c, deps)) }),
  );
  r.add(
    {
      method: "get",
      path: "/api/companies/:acct/users",
      access: "read",
      client: true,
      tag,
      summary: "A company's users (same as contacts)",
    },
    async (c) => c.json({ items: await contactsOf((await companyIn(c)).id, await scopeCompanyId(c, deps)) }),
  );

  const ticketsQuery = z
    .object({ year: z.coerce.number().int().min(2000).max(2100).optional(), ...pageQuery })
    .strict();
  r.add(
    {
      method: "get",
      path: "/api/companies/:acct/tickets",
      access: "read",
      client: true,
      tag,
      summary: "A company's tickets, newest first (optionally of one year)",
      query: ticketsQuery,
    },
    async (c) => {
      const company = await companyIn(c);
      const q = queryParams(c, ticketsQuery);
      const t = h.t.tickets;
      const page = await pageOf(h.db.select().from(t).$dynamic(), {
        where: [
          eq(t.companyId, company.id),
          // Column operators, so the dates are bound as each engine stores them (a raw sql`` date fails to bind).
          q.year ? gte(t.updatedAt, new Date(Date.UTC(q.year, 0, 1))) : undefined,
          q.year ? lt(t.updatedAt, new Date(Date.UTC(q.year + 1, 0, 1))) : undefined,
        ],
        sortCol: t.updatedAt,
        sortKey: (x) => x.updatedAt,
        idCol: t.id,
        order: q.order ?? "desc",
        cursor: q.cursor,
        limit: q.limit,
      });
      return c.json({
        items: page.items.map((x) => ticketJson(x, company.accountNumber, null, ticketViewer(c))),
        next_cursor: page.next_cursor,
      });
    },
  );

  r.add(
    {
      method: "get",
      path: "/api/companies/:acct/locations",
      access: "read",
      client: true,
      tag,
      summary: "A company's locations",
    },
    async (c) => {
      const company = await companyIn(c);
      const rows = await h.db
        .select()
        .from(h.t.locations)
        .where(eq(h.t.locations.companyId, company.id))
        .orderBy(h.t.locations.name);
      return c.json({ items: rows.map((l) => locationJson(l, company.accountNumber)) });
    },
  );

  r.add(
    {
      method: "post",
      path: "/api/companies/:acct/locations",
      access: "data",
      tag,
      summary: "Add a location",
      body: locationCreateSchema,
      idempotent: true,
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const row = await createLocation(h, company, await jsonBody(c, locationCreateSchema), actorOf(c));
      return c.json(locationJson(row, company.accountNumber), 201);
    },
  );

  r.add(
    {
      method: "put",
      path: "/api/companies/:acct/locations/:location_id",
      access: "data",
      tag,
      summary: "Update a location",
      body: locationUpdateSchema,
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const loc = await requireLocation(h, company, intParam(c, "location_id"));
      const row = await updateLocation(h, loc, await jsonBody(c, locationUpdateSchema), actorOf(c));
      return c.json(locationJson(row, company.accountNumber));
    },
  );

  r.add(
    {
      method: "delete",
      path: "/api/companies/:acct/locations/:location_id",
      access: "data",
      tag,
      summary: "Delete a location",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const loc = await requireLocation(h, company, intParam(c, "location_id"));
      await deleteLocation(h, loc, actorOf(c));
      return c.json({ message: `Deleted ${loc.name}.` });
    },
  );
}
