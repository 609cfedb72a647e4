import { eq, inArray } from "drizzle-orm";
import type { CodexDb } from "../deps.ts";
import { matchCondition } from "../search/data.ts";
import { pageOf } from "../shared/data-pagination.ts";
import { companiesOfContacts, requireContact } from "./data.ts";
import { type ContactListQuery, contactJson } from "./json.ts";

/** The contacts linked to a company, as a subquery of ids. */
function linkedTo(db: CodexDb, companyId: number) {
  return inArray(
    db.t.contacts.id,
    db.db
      .select({ id: db.t.contactCompanies.contactId })
      .from(db.t.contactCompanies)
      .where(eq(db.t.contactCompanies.companyId, companyId)),
  );
}

/** One page of contacts as the API shows them; `scope` confines them (and their companies) to a client's company. */
export async function listContacts(db: CodexDb, query: ContactListQuery, scope: number | null) {
  const t = db.t.contacts;
  const ofCompany = query.company
    ? inArray(
        t.id,
        db.db
          .select({ id: db.t.contactCompanies.contactId })
          .from(db.t.contactCompanies)
          .innerJoin(db.t.companies, eq(db.t.companies.id, db.t.contactCompanies.companyId))
          .where(eq(db.t.companies.accountNumber, query.company)),
      )
    : undefined;
  const page = await pageOf(db.db.select().from(t).$dynamic(), {
    where: [
      scope === null ? undefined : linkedTo(db, scope),
      ofCompany,
      query.q ? (matchCondition(db, "contacts", query.q) ?? undefined) : undefined,
      query.active === undefined ? undefined : eq(t.active, query.active),
      query.vip === undefined ? undefined : eq(t.vip, query.vip),
    ],
    sortCol: query.sort === "name" ? t.name : t.updatedAt,
    sortKey: (row) => (query.sort === "name" ? row.name : row.updatedAt),
    idCol: t.id,
    order: query.order ?? (query.sort === "name" ? "asc" : "desc"),
    cursor: query.cursor,
    limit: query.limit,
  });
  const links = await companiesOfContacts(
    db,
    page.items.map((row) => row.id),
    scope,
  );
  return { items: page.items.map((row) => contactJson(row, links.get(row.id) ?? [])), next_cursor: page.next_cursor };
}

/** A company's contacts by name, each with the companies `scope` may see. */
export async function contactsOfCompany(db: CodexDb, companyId: number, scope: number | null) {
  const rows = await db.db
    .select()
    .from(db.t.contacts)
    .where(linkedTo(db, companyId))
    .orderBy(db.t.contacts.name, db.t.contacts.id);
  const links = await companiesOfContacts(
    db,
    rows.map((row) => row.id),
    scope,
  );
  return rows.map((row) => contactJson(row, links.get(row.id) ?? []));
}

/** Every contact a request may see, by name (CSV exports). */
export async function allContacts(db: CodexDb, scope: number | null) {
  const t = db.t.contacts;
  const rows = await db.db
    .select()
    .from(t)
    .where(scope === null ? undefined : linkedTo(db, scope))
    .orderBy(t.name, t.id);
  const links = await companiesOfContacts(
    db,
    rows.map((row) => row.id),
    scope,
  );
  return rows.map((row) => contactJson(row, links.get(row.id) ?? []));
}

/** The ids of a contact's companies. */
export async function contactCompanyIds(db: CodexDb, contactId: number): Promise<number[]> {
  const rows = await db.db
    .select({ id: db.t.contactCompanies.companyId })
    .from(db.t.contactCompanies)
    .where(eq(db.t.contactCompanies.contactId, contactId));
  return rows.map((row) => row.id);
}

/** A contact as the API shows it, with the companies `scope` may see. */
export async function contactJsonOf(db: CodexDb, id: number, scope: number | null = null) {
  const contact = await requireContact(db, id);
  return contactJson(contact, (await companiesOfContacts(db, [id], scope)).get(id) ?? []);
}
