import { type AnyColumn, and, count, eq, gte, inArray, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import { CLOSED_STATUSES } from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";
import { type CountOf, countAll } from "../shared/data-common.ts";
import type { DashboardData } from "./json.ts";

const WEEK = 7 * 86_400_000;

/** Monday 00:00 UTC of the week containing `date`. */
function weekStart(date: Date): Date {
  const day = (date.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day));
}

/** The figures at the top, in one statement; for a client, of their company only. */
async function counts(db: CodexDb, scope: number | null): Promise<DashboardData["counts"]> {
  const tables = db.t;
  const own = (column: AnyColumn) => (scope === null ? undefined : eq(column, scope));
  const contactsOfScope =
    scope === null
      ? undefined
      : inArray(
          tables.contacts.id,
          db.db
            .select({ id: tables.contactCompanies.contactId })
            .from(tables.contactCompanies)
            .where(eq(tables.contactCompanies.companyId, scope)),
        );
  const staffOnly: Record<string, CountOf> =
    scope === null ? { agents: { table: tables.agents }, plans: { table: tables.billingPlans } } : {};
  const totals: Record<string, number> = await countAll(db.db, {
    companies: { table: tables.companies, where: and(own(tables.companies.id), isNull(tables.companies.staleSince)) },
    contacts: { table: tables.contacts, where: contactsOfScope },
    assets: { table: tables.assets, where: and(own(tables.assets.companyId), isNull(tables.assets.staleSince)) },
    tickets: {
      table: tables.tickets,
      where: and(own(tables.tickets.companyId), notInArray(tables.tickets.status, [...CLOSED_STATUSES])),
    },
    ...staffOnly,
  });
  const figures = [
    { label: scope === null ? "Companies" : "Company", value: totals.companies ?? 0, href: "/companies" },
    { label: "Contacts", value: totals.contacts ?? 0, href: "/contacts" },
    { label: "Assets", value: totals.assets ?? 0, href: "/assets" },
    { label: "Open tickets", value: totals.tickets ?? 0, href: "/tickets?open=true" },
  ];
  if (scope === null)
    figures.push(
      { label: "Agents", value: totals.agents ?? 0, href: "/agents" },
      { label: "Billing plans", value: totals.plans ?? 0, href: "/billing/plans" },
    );
  return figures;
}

/**
 * Tickets opened and closed in each of the last `weeks` weeks (Monday to Monday, UTC), in one
 * statement: one conditional count per week and column over the tickets of those weeks.
 */
async function ticketWeeks(db: CodexDb, scope: number | null, weeks: number): Promise<DashboardData["weeks"]> {
  const tickets = db.t.tickets;
  const first = weekStart(new Date(Date.now() - (weeks - 1) * WEEK));
  const bounds = Array.from({ length: weeks }, (_, index) => {
    const from = new Date(first.getTime() + index * WEEK);
    return { from, to: new Date(from.getTime() + WEEK) };
  });
  // Column operators, so each engine binds the dates as it stores them.
  const within = (column: AnyColumn, from: Date, to: Date) =>
    sql<number>`coalesce(sum(case when ${and(gte(column, from), lt(column, to))} then 1 else 0 end), 0)`.mapWith(
      Number,
    );
  const columns = Object.fromEntries(
    bounds.flatMap(({ from, to }, index) => [
      [`opened${index}`, within(tickets.createdAt, from, to)],
      [`closed${index}`, within(tickets.closedAt, from, to)],
    ]),
  );
  const [row] = await db.db
    .select(columns)
    .from(tickets)
    .where(
      and(
        scope === null ? undefined : eq(tickets.companyId, scope),
        or(gte(tickets.createdAt, first), gte(tickets.closedAt, first)),
      ),
    );
  const totals = (row ?? {}) as Record<string, number>;
  return bounds.map(({ from }, index) => ({
    week: from.toISOString().slice(5, 10),
    opened: totals[`opened${index}`] ?? 0,
    closed: totals[`closed${index}`] ?? 0,
  }));
}

/** Assets by type, in one grouped statement. */
async function assetTypes(db: CodexDb, scope: number | null): Promise<DashboardData["assetTypes"]> {
  const assets = db.t.assets;
  const types = await db.db
    .select({ type: assets.assetType, total: count() })
    .from(assets)
    .where(and(scope === null ? undefined : eq(assets.companyId, scope), isNull(assets.staleSince)))
    .groupBy(assets.assetType)
    .orderBy(assets.assetType);
  return types.map((type) => ({ label: type.type, value: Number(type.total) }));
}

/**
 * Counts and chart data; for a client, of their company only: one statement for the figures
 * and one per chart. Stale companies and assets (gone from the PSA or RMM) are left out, as
 * the lists leave them out.
 */
export async function dashboardData(db: CodexDb, scope: number | null, weeks = 12): Promise<DashboardData> {
  return {
    counts: await counts(db, scope),
    weeks: await ticketWeeks(db, scope, weeks),
    assetTypes: await assetTypes(db, scope),
  };
}
