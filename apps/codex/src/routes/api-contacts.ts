import { z } from "zod";
import { eq, inArray } from "drizzle-orm";
import { jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import {
  companiesOfContacts,
  contactCreateSchema,
  contactJson,
  contactUpdateSchema,
  createContact,
  deleteContact,
  requireContact,
  updateContact,
  upsertContacts,
} from "../data/contacts.ts";
import { pageOf, pageQuery } from "../shared/data-pagination.ts";
import { matchCondition } from "../search/data.ts";
import { accountNumberSchema } from "../shared/input.ts";
import { bulkBody } from "./api-companies.ts";
import type { RouteTable } from "./registry.ts";
import { actorOf, assertVisibleAny, intParam, scopeCompanyId } from "./scope.ts";

const boolish = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const contactListQuery = z
  .object({
    q: z.string().max(200).optional(),
    company: accountNumberSchema.optional(),
    active: boolish.optional(),
    vip: boolish.optional(),
    sort: z.enum(["name", "updated_at"]).default("name"),
    ...pageQuery,
  })
  .strict();

export async function listContacts(deps: Deps, query: z.infer<typeof contactListQuery>, scope: number | null) {
  const h = deps.db;
  const t = h.t.contacts;
  const linkedTo = (companyId: number) =>
    inArray(
      t.id,
      h.db
        .select({ id: h.t.contactCompanies.contactId })
        .from(h.t.contactCompanies)
        .where(eq(h.t.contactCompanies.companyId, companyId)),
    );
  const companyFilter = query.company
    ? inArray(
        t.id,
        h.db
          .select({ id: h.t.contactCompanies.contactId })
          .from(h.t.contactCompanies)
          .innerJoin(h.t.companies, eq(h.t.companies.id, h.t.contactCompanies.companyId))
          .where(eq(h.t.companies.accountNumber, query.company)),
      )
    : undefined;
  const page = await pageOf(h.db.select().from(t).$dynamic(), {
    where: [
      scope === null ? undefined : linkedTo(scope),
      companyFilter,
      query.q ? (matchCondition(h, "contacts", query.q) ?? undefined) : undefined,
      query.active === undefined ? undefined : eq(t.active, query.active),
      query.vip === undefined ? undefined : eq(t.vip, query.vip),
    ],
    sortCol: query.sort === "name" ? t.name : t.updatedAt,
    sortKey: (r) => (query.sort === "name" ? r.name : r.updatedAt),
    idCol: t.id,
    order: query.order ?? (query.sort === "name" ? "asc" : "desc"),
    cursor: query.cursor,
    limit: query.limit,
  });
  const links = await companiesOfContacts(
    h,
    page.items.map((r) => r.id),
    scope,
  );
  return { items: page.items.map((r) => contactJson(r, links.get(r.id) ?? [])), next_cursor: page.next_cursor };
}

/** The ids of a contact's companies. */
export async function contactCompanyIds(deps: Deps, contactId: number): Promise<number[]> {
  const rows = await deps.db.db
    .select({ id: deps.db.t.contactCompanies.companyId })
    .from(deps.db.t.contactCompanies)
    .where(eq(deps.db.t.contactCompanies.contactId, contactId));
  return rows.map((r) => r.id);
}

export function contactApi(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Contacts";
  const json = async (id: number, scope: number | null = null) => {
    const row = await requireContact(h, id);
    return contactJson(row, (await companiesOfContacts(h, [id], scope)).get(id) ?? []);
  };

  r.add(
    {
      method: "get",
      path: "/api/contacts",
      access: "read",
      client: true,
      tag,
      summary: "List contacts (filters, sorting, cursor pagination)",
      query: contactListQuery,
    },
    async (c) => c.json(await listContacts(deps, queryParams(c, contactListQuery), await scopeCompanyId(c, deps))),
  );
  r.add(
    {
      method: "post",
      path: "/api/contacts",
      access: "data",
      tag,
      summary: "Create a contact",
      body: contactCreateSchema,
      idempotent: true,
    },
    async (c) => {
      const row = await createContact(h, await jsonBody(c, z.unknown()), actorOf(c));
      return c.json(await json(row.id), 201);
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/contacts/bulk",
      access: "data",
      tag,
      summary: "Create or update many contacts (all or nothing, per-row errors)",
      body: bulkBody,
    },
    async (c) => c.json(await upsertContacts(h, (await jsonBody(c, bulkBody)).rows, actorOf(c))),
  );
  r.add(
    { method: "get", path: "/api/contacts/:id", access: "read", client: true, tag, summary: "A contact" },
    async (c) => {
      const contact = await requireContact(h, intParam(c, "id"));
      await assertVisibleAny(c, deps, await contactCompanyIds(deps, contact.id), "contact");
      return c.json(await json(contact.id, await scopeCompanyId(c, deps)));
    },
  );
  r.add(
    {
      method: "put",
      path: "/api/contacts/:id",
      access: "data",
      tag,
      summary: "Update a contact (only the fields sent)",
      body: contactUpdateSchema,
    },
    async (c) => {
      const contact = await requireContact(h, intParam(c, "id"));
      await updateContact(h, contact, await jsonBody(c, z.unknown()), actorOf(c));
      return c.json(await json(contact.id));
    },
  );
  r.add(
    { method: "delete", path: "/api/contacts/:id", access: "data", tag, summary: "Delete a contact" },
    async (c) => {
      const contact = await requireContact(h, intParam(c, "id"));
      await deleteContact(h, contact, actorOf(c));
      return c.json({ message: `Deleted ${contact.name}.` });
    },
  );
}
