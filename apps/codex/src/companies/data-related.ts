import { and, count, desc, eq, gte, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import { contactsOfAssets } from "../assets/data.ts";
import { assetJson } from "../assets/json.ts";
import { companiesOfContacts } from "../contacts/data.ts";
import { contactJson } from "../contacts/json.ts";
import { companyFeatures } from "../billing/plans/data-features.ts";
import { ticketJson, type TicketViewer } from "../tickets/json.ts";
import type { Company } from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";
import { locationsOf } from "../locations/data.ts";
import { locationJson } from "../locations/json.ts";
import { selectIn } from "../shared/data-common.ts";
import { pageOf, staleCondition } from "../shared/data-pagination.ts";
import { loadPlans } from "./data.ts";
import { type CompaniesBulkQuery, type CompanyTicketsQuery, companyJson, type RelatedRows } from "./json.ts";

/** Tickets updated in `year` (UTC); column operators, so each engine binds the dates as it stores them. */
function updatedIn(db: CodexDb, year: number | undefined) {
  const t = db.t.tickets;
  if (!year) return [];
  return [gte(t.updatedAt, new Date(Date.UTC(year, 0, 1))), lt(t.updatedAt, new Date(Date.UTC(year + 1, 0, 1)))];
}

/**
 * Companies with their assets, contacts and locations (and tickets) in one call, as the old
 * /api/companies/bulk answered, but a page at a time and in a fixed number of queries however
 * many companies a page holds (the old one made several per company).
 */
export async function companiesBulk(
  db: CodexDb,
  query: CompaniesBulkQuery,
  scope: number | null,
  viewer: TicketViewer,
) {
  const t = db.t;
  const page = await pageOf(db.db.select().from(t.companies).$dynamic(), {
    where: [
      scope === null ? undefined : eq(t.companies.id, scope),
      staleCondition(t.companies.staleSince, query.stale),
    ],
    sortCol: t.companies.accountNumber,
    sortKey: (company) => company.accountNumber,
    idCol: t.companies.id,
    order: "asc",
    cursor: query.cursor,
    limit: query.limit,
  });
  const ids = page.items.map((company) => company.id);
  const assets = await selectIn(ids, (part) =>
    db.db
      .select()
      .from(t.assets)
      .where(and(inArray(t.assets.companyId, part as number[]), staleCondition(t.assets.staleSince, query.stale)))
      .orderBy(t.assets.hostname, t.assets.id),
  );
  const assetLinks = await contactsOfAssets(
    db,
    assets.map((asset) => asset.id),
  );
  const links = await selectIn(ids, (part) =>
    db.db
      .select()
      .from(t.contactCompanies)
      .where(inArray(t.contactCompanies.companyId, part as number[])),
  );
  const contacts = await selectIn([...new Set(links.map((link) => link.contactId))], (part) =>
    db.db
      .select()
      .from(t.contacts)
      .where(inArray(t.contacts.id, part as number[]))
      .orderBy(t.contacts.name, t.contacts.id),
  );
  const contactCompanies = await companiesOfContacts(
    db,
    contacts.map((contact) => contact.id),
    scope,
  );
  const locations = await selectIn(ids, (part) =>
    db.db
      .select()
      .from(t.locations)
      .where(inArray(t.locations.companyId, part as number[]))
      .orderBy(t.locations.name),
  );
  const tickets = query.include_tickets
    ? await selectIn(ids, (part) =>
        db.db
          .select()
          .from(t.tickets)
          .where(and(inArray(t.tickets.companyId, part as number[]), ...updatedIn(db, query.year)))
          .orderBy(t.tickets.id),
      )
    : [];
  const plans = await loadPlans(db);
  const contactById = new Map(contacts.map((contact) => [contact.id, contact]));
  return {
    items: page.items.map((company) => ({
      company: companyJson(company, plans),
      assets: assets
        .filter((asset) => asset.companyId === company.id)
        .map((asset) => assetJson(asset, company.accountNumber, assetLinks.get(asset.id) ?? [])),
      contacts: links
        .filter((link) => link.companyId === company.id)
        .map((link) => contactById.get(link.contactId)!)
        .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id)
        .map((contact) => contactJson(contact, contactCompanies.get(contact.id) ?? [])),
      locations: locations
        .filter((location) => location.companyId === company.id)
        .map((location) => locationJson(location, company.accountNumber)),
      ...(query.include_tickets
        ? {
            tickets: tickets
              .filter((ticket) => ticket.companyId === company.id)
              .map((ticket) => ticketJson(ticket, company.accountNumber, null, viewer)),
          }
        : {}),
    })),
    next_cursor: page.next_cursor,
  };
}

/** A company's tickets, newest first (optionally of one year), a page at a time. */
export async function companyTickets(db: CodexDb, company: Company, query: CompanyTicketsQuery, viewer: TicketViewer) {
  const t = db.t.tickets;
  const page = await pageOf(db.db.select().from(t).$dynamic(), {
    where: [eq(t.companyId, company.id), ...updatedIn(db, query.year)],
    sortCol: t.updatedAt,
    sortKey: (ticket) => ticket.updatedAt,
    idCol: t.id,
    order: query.order ?? "desc",
    cursor: query.cursor,
    limit: query.limit,
  });
  return {
    items: page.items.map((ticket) => ticketJson(ticket, company.accountNumber, null, viewer)),
    next_cursor: page.next_cursor,
  };
}

/** What a company's page shows besides the company itself. */
export async function relatedRows(db: CodexDb, company: Company): Promise<RelatedRows> {
  const t = db.t;
  const contacts = await db.db
    .select()
    .from(t.contacts)
    .where(
      inArray(
        t.contacts.id,
        db.db
          .select({ id: t.contactCompanies.contactId })
          .from(t.contactCompanies)
          .where(eq(t.contactCompanies.companyId, company.id)),
      ),
    )
    .orderBy(t.contacts.name);
  const assets = await db.db
    .select()
    .from(t.assets)
    .where(and(eq(t.assets.companyId, company.id), isNull(t.assets.staleSince)))
    .orderBy(t.assets.hostname)
    .limit(500);
  const [stale] = await db.db
    .select({ n: count() })
    .from(t.assets)
    .where(and(eq(t.assets.companyId, company.id), isNotNull(t.assets.staleSince)));
  const tickets = await db.db
    .select()
    .from(t.tickets)
    .where(eq(t.tickets.companyId, company.id))
    .orderBy(desc(t.tickets.updatedAt))
    .limit(10);
  return {
    contacts: contacts.map((contact) => ({
      id: contact.id,
      name: contact.name,
      email: contact.email,
      job_title: contact.jobTitle,
    })),
    assets: assets.map((asset) => ({
      id: asset.id,
      hostname: asset.hostname,
      asset_type: asset.assetType,
      operating_system: asset.operatingSystem,
      online: asset.online,
    })),
    staleAssets: Number(stale?.n ?? 0),
    locations: (await locationsOf(db, company.id)).map((location) => ({
      id: location.id,
      name: location.name,
      address: location.address,
      phone: location.phone,
    })),
    tickets: tickets.map((ticket) => ({
      id: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
      updated_at: ticket.updatedAt.toISOString(),
    })),
    features: (await companyFeatures(db, company.id, company.billingPlanId)).filter((feature) => feature.display_name),
  };
}
