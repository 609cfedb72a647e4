import { and, count, eq, gte, inArray, lt, type SQL, sum } from "drizzle-orm";
import type { CodexDb } from "../../deps.ts";
import type { BillInput } from "../engine/types.ts";
import { monthStart } from "../months.ts";

/** The bill inputs being filled, by company id. */
export type Inputs = Map<number, BillInput>;

/** The companies being billed: their ids, and the condition that confines a query to them (none: all). */
export interface Scope {
  ids: number[];
  forCompanies(column: unknown): SQL | undefined;
}

/** Active contacts: paid at the per-user rate unless their billing is overridden. */
export async function addUsers(db: CodexDb, inputs: Inputs, scope: Scope) {
  const links = db.t.contactCompanies;
  const contacts = db.t.contacts;
  const overrides = db.t.contactBillingOverrides;
  const userOverrides = await db.db
    .select({ override: overrides, name: contacts.name, active: contacts.active })
    .from(overrides)
    .innerJoin(contacts, eq(contacts.id, overrides.contactId))
    .innerJoin(links, and(eq(links.contactId, overrides.contactId), eq(links.companyId, overrides.companyId)))
    .where(scope.forCompanies(overrides.companyId));
  for (const { override, name, active } of userOverrides)
    if (active)
      inputs.get(override.companyId)?.overriddenUsers.push({
        contactId: override.contactId,
        name,
        billing: override.billingType,
        customCents: override.customCents,
      });
  const users = await db.db
    .select({ companyId: links.companyId, count: count() })
    .from(links)
    .innerJoin(contacts, eq(contacts.id, links.contactId))
    .where(and(scope.forCompanies(links.companyId), eq(contacts.active, true)))
    .groupBy(links.companyId);
  for (const row of users) {
    const input = inputs.get(row.companyId);
    const special = userOverrides.filter((user) => user.override.companyId === row.companyId && user.active);
    if (input) input.paidUsers = Number(row.count) - special.length;
  }
}

/**
 * Whether earlier months can change a company's bill: only a yearly prepaid pool draws on them (a zero
 * pool stays zero whatever they hold), so they are read for pooled companies only.
 */
// Stryker disable next-line ConditionalExpression,EqualityOperator: reading months no pool uses only costs queries
const hasYearlyPool = (input: BillInput) => input.rates.prepaidMinutesYearly > 0;

/** Billable minutes logged this month, and in each earlier month of the year where a yearly pool needs them. */
export async function addMinutes(db: CodexDb, inputs: Inputs, scope: Scope, year: number, month: number) {
  const entries = db.t.ticketTimeEntries;
  const minutes = async (from: Date, to: Date, companyIds: number[] | null) =>
    db.db
      .select({ companyId: entries.companyId, minutes: sum(entries.minutes) })
      .from(entries)
      .where(
        and(
          // Stryker disable next-line ConditionalExpression: reading other billed companies' months changes no pool
          companyIds ? inArray(entries.companyId, companyIds) : scope.forCompanies(entries.companyId),
          eq(entries.billable, true),
          gte(entries.loggedAt, from),
          lt(entries.loggedAt, to),
        ),
      )
      .groupBy(entries.companyId);
  for (const row of await minutes(monthStart(year, month), monthStart(year, month + 1), null)) {
    const input = inputs.get(row.companyId);
    if (input) input.minutesThisMonth = Number(row.minutes ?? 0);
  }
  // Stryker disable next-line MethodExpression: reading months no pool uses (see hasYearlyPool) only costs queries
  const yearly = [...inputs.values()].filter(hasYearlyPool).map((input) => input.company.id);
  // Stryker disable next-line ArithmeticOperator: months of no time at the end draw nothing from the pool
  for (const input of inputs.values()) input.minutesEarlierMonths = Array.from({ length: month - 1 }, () => 0);
  // Stryker disable next-line ConditionalExpression: only saves queries; without pools they would fill nothing
  if (yearly.length === 0) return;
  for (let earlier = 1; earlier < month; earlier++)
    for (const row of await minutes(monthStart(year, earlier), monthStart(year, earlier + 1), yearly))
      inputs.get(row.companyId)!.minutesEarlierMonths[earlier - 1] = Number(row.minutes ?? 0);
}

/** Devices and users billed by hand. */
export async function addManualItems(db: CodexDb, inputs: Inputs, scope: Scope) {
  const { manualAssets: assets, manualUsers: users } = db.t;
  for (const { companyId, id, hostname, billingType, customCents } of await db.db
    .select()
    .from(assets)
    .where(scope.forCompanies(assets.companyId))
    .orderBy(assets.id))
    inputs.get(companyId)?.manualAssets.push({ id, hostname, billing: billingType, customCents });
  for (const { companyId, id, name, billingType, customCents } of await db.db
    .select()
    .from(users)
    .where(scope.forCompanies(users.companyId))
    .orderBy(users.id))
    inputs.get(companyId)?.manualUsers.push({ id, name, billing: billingType, customCents });
}
