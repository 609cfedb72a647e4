import { and, inArray, isNotNull, notInArray } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import type { CodexDb } from "../deps.ts";
import { allStorageKeys } from "../tickets/attachments/data.ts";
import { type AuditRecord, type Actor, writeAudit } from "../shared/data-audit.ts";
import { type CountOf, countAll, type Tx } from "../shared/data-common.ts";
import { type ClearKind, type ClearPart, type ClearPlan, partsOf } from "./json.ts";

/**
 * The admin's "Clear data", in one transaction with one audit row per kind holding the counts.
 * Companies with accepted bills are never deleted: an accepted bill is the record of what was
 * invoiced, so its company stays (with its locations, billing setup and plan) and the summary
 * says how many were kept.
 */

type Counts = Record<string, CountOf>;

const ENTITY = {
  tickets: "ticket",
  assets: "asset",
  contacts: "contact",
  companies: "company",
  agents: "agent",
  plans: "billing_plan",
} as const;

/** The companies with accepted bills (those a clear keeps). */
const billedCompanies = (query: Tx, db: CodexDb) =>
  query.selectDistinct({ id: db.t.acceptedBills.companyId }).from(db.t.acceptedBills);

/** The plans some company is on; with `billedOnly`, only companies with accepted bills (those a clear keeps). */
function plansInUse(query: Tx, db: CodexDb, billedOnly: boolean) {
  const companies = db.t.companies;
  return query
    .selectDistinct({ id: companies.billingPlanId })
    .from(companies)
    .where(
      and(
        isNotNull(companies.billingPlanId),
        billedOnly ? inArray(companies.id, billedCompanies(query, db)) : undefined,
      ),
    );
}

/** What each kind of clear would delete right now, in one statement. */
export function clearPlan(db: CodexDb): Promise<ClearPlan> {
  const tables = db.t;
  const billed = billedCompanies(db.db, db);
  const plansOutside = (billedOnly: boolean) => ({
    table: tables.billingPlans,
    where: notInArray(tables.billingPlans.id, plansInUse(db.db, db, billedOnly)),
  });
  return countAll(db.db, {
    tickets: { table: tables.tickets },
    assets: { table: tables.assets },
    contacts: { table: tables.contacts },
    companies: { table: tables.companies, where: notInArray(tables.companies.id, billed) },
    companiesKept: { table: tables.companies, where: inArray(tables.companies.id, billed) },
    agents: { table: tables.agents },
    plans: plansOutside(false),
    plansAfterCompanies: plansOutside(true),
  });
}

/** The billing plans no company is on, and then the feature catalog no remaining plan or company uses. */
async function clearPlans(tx: Tx, db: CodexDb): Promise<Record<string, number>> {
  const tables = db.t;
  const doomedPlans = notInArray(tables.billingPlans.id, plansInUse(tx, db, false));
  const summary = await countAll(tx, { deleted: { table: tables.billingPlans, where: doomedPlans } });
  await tx.delete(tables.billingPlans).where(doomedPlans);
  const unusedCategories = and(
    notInArray(
      tables.featureCategories.id,
      tx.select({ id: tables.planFeatures.categoryId }).from(tables.planFeatures),
    ),
    notInArray(
      tables.featureCategories.id,
      tx.select({ id: tables.companyFeatureOverrides.categoryId }).from(tables.companyFeatureOverrides),
    ),
  );
  const unused = tx.select({ id: tables.featureCategories.id }).from(tables.featureCategories).where(unusedCategories);
  const catalog = await countAll(tx, {
    feature_categories: { table: tables.featureCategories, where: unusedCategories },
    feature_options: { table: tables.featureOptions, where: inArray(tables.featureOptions.categoryId, unused) },
  });
  await tx.delete(tables.featureCategories).where(unusedCategories);
  return { ...summary, ...catalog };
}

/** Every company without accepted bills, counting what goes with it. */
async function clearCompanies(tx: Tx, db: CodexDb): Promise<Record<string, number>> {
  const tables = db.t;
  const billed = billedCompanies(tx, db);
  const doomed = tx
    .select({ id: tables.companies.id })
    .from(tables.companies)
    .where(notInArray(tables.companies.id, billed));
  const ofDoomed = (table: typeof tables.locations | typeof tables.assets | typeof tables.tickets) => ({
    table,
    where: inArray(table.companyId, doomed),
  });
  const summary = await countAll(tx, {
    deleted: { table: tables.companies, where: notInArray(tables.companies.id, billed) },
    kept_with_accepted_bills: { table: tables.companies, where: inArray(tables.companies.id, billed) },
    locations: ofDoomed(tables.locations),
    assets: ofDoomed(tables.assets),
    tickets: ofDoomed(tables.tickets),
    line_items: { table: tables.lineItems, where: inArray(tables.lineItems.companyId, doomed) },
    manual_assets: { table: tables.manualAssets, where: inArray(tables.manualAssets.companyId, doomed) },
    manual_users: { table: tables.manualUsers, where: inArray(tables.manualUsers.companyId, doomed) },
  });
  await tx.delete(tables.companies).where(notInArray(tables.companies.id, billed));
  return summary;
}

/** Deletes one kind inside the transaction; returns what the audit row records. */
async function clearPart(tx: Tx, db: CodexDb, part: ClearPart): Promise<Record<string, number>> {
  const tables = db.t;
  if (part === "plans") return clearPlans(tx, db);
  if (part === "companies") return clearCompanies(tx, db);
  // A kind's own table, and what goes with it that its audit row counts.
  const linked = (table: CountOf["table"], counts: Record<string, CountOf["table"]>) => ({
    table,
    counts: Object.fromEntries(Object.entries(counts).map(([name, other]) => [name, { table: other }])) as Counts,
  });
  const simple: Record<Exclude<ClearPart, "plans" | "companies">, { table: CountOf["table"]; counts: Counts }> = {
    tickets: linked(tables.tickets, {
      conversation_entries: tables.ticketEntries,
      time_entries: tables.ticketTimeEntries,
    }),
    assets: linked(tables.assets, {
      contact_links: tables.assetContacts,
      billing_overrides: tables.assetBillingOverrides,
    }),
    contacts: linked(tables.contacts, {
      company_links: tables.contactCompanies,
      billing_overrides: tables.contactBillingOverrides,
    }),
    agents: {
      table: tables.agents,
      counts: {
        with_idp_identity: { table: tables.agents, where: isNotNull(tables.agents.idpUserId) },
        assigned_tickets: { table: tables.tickets, where: isNotNull(tables.tickets.assigneeId) },
      },
    },
  };
  const { table, counts } = simple[part];
  const summary = await countAll(tx, { deleted: { table }, ...counts });
  await tx.delete(table);
  return summary;
}

/**
 * Clears `kind` in one transaction; one audit row per kind deleted, with the counts. Deleting a
 * large install's tickets takes longer than the statement timeout, so it runs without it.
 * `files` are the storage keys of the attachments that went with the tickets, for the store.
 */
export async function clearData(
  db: CodexDb,
  kind: ClearKind,
  actor: Actor,
): Promise<{ counts: Record<ClearPart, Record<string, number>>; files: string[] }> {
  return transaction(
    db,
    async (tx) => {
      const filesBefore = await allStorageKeys(tx, db);
      const out = {} as Record<ClearPart, Record<string, number>>;
      const audits: AuditRecord[] = [];
      // Tickets and assets first, so a company's own rows are counted under their kind.
      for (const part of partsOf(kind)) {
        out[part] = await clearPart(tx, db, part);
        audits.push({
          action: "delete",
          entity: ENTITY[part],
          entityId: "all",
          before: { clear_data: kind, ...out[part] },
          after: null,
        });
      }
      await writeAudit(tx, db, actor, audits);
      const filesAfter = await allStorageKeys(tx, db);
      return { counts: out, files: [...filesBefore].filter((key) => !filesAfter.has(key)) };
    },
    { longRunning: true },
  );
}
