import { and, count, inArray, isNotNull, notInArray } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import type { CodexDb } from "../deps.ts";
import { writeAudit, type Actor, type AuditRecord } from "../shared/data-audit.ts";
import type { Tx } from "../shared/data-common.ts";

/**
 * The admin's "Clear data": deletes every ticket, asset, contact, company, agent or billing
 * plan (or all of them, which is everything the demo data adds) in one transaction, with one
 * audit row per kind holding the counts. Companies with accepted bills are never deleted: an
 * accepted bill is the record of what was invoiced, so its company stays (with its locations,
 * billing setup and plan) and the summary says how many were kept.
 */
export const CLEAR_KINDS = ["tickets", "assets", "contacts", "companies", "agents", "plans", "all"] as const;
export type ClearKind = (typeof CLEAR_KINDS)[number];
type Part = Exclude<ClearKind, "all">;

export interface ClearPlan {
  tickets: number;
  assets: number;
  contacts: number;
  /** Companies that would be deleted (those without accepted bills)… */
  companies: number;
  /** …and those kept because they have accepted bills. */
  companiesKept: number;
  agents: number;
  /** Billing plans no company is on (what clearing plans deletes)… */
  plans: number;
  /** …and those no company with accepted bills is on (what clearing everything deletes, companies first). */
  plansAfterCompanies: number;
}

// Companies before plans (a company's plan cannot go while it stays).
const PARTS: Part[] = ["tickets", "assets", "contacts", "companies", "agents", "plans"];
const partsOf = (kind: ClearKind): Part[] => (kind === "all" ? PARTS : [kind]);
const ENTITY = {
  tickets: "ticket",
  assets: "asset",
  contacts: "contact",
  companies: "company",
  agents: "agent",
  plans: "billing_plan",
} as const;

async function n(q: Promise<{ n: number }[]>): Promise<number> {
  return Number((await q)[0]?.n ?? 0);
}

/** The plans some company is on; with `billedOnly`, only companies with accepted bills (those a clear keeps). */
function plansInUse(q: Tx | CodexDb["db"], h: CodexDb, billedOnly: boolean) {
  const t = h.t;
  const billed = q.selectDistinct({ id: t.acceptedBills.companyId }).from(t.acceptedBills);
  return q
    .selectDistinct({ id: t.companies.billingPlanId })
    .from(t.companies)
    .where(and(isNotNull(t.companies.billingPlanId), billedOnly ? inArray(t.companies.id, billed) : undefined));
}

/** What each kind of clear would delete right now. */
export async function clearPlan(h: CodexDb): Promise<ClearPlan> {
  const t = h.t;
  const billed = h.db.selectDistinct({ id: t.acceptedBills.companyId }).from(t.acceptedBills);
  const plansOutside = (billedOnly: boolean) =>
    n(
      h.db
        .select({ n: count() })
        .from(t.billingPlans)
        .where(notInArray(t.billingPlans.id, plansInUse(h.db, h, billedOnly))),
    );
  return {
    tickets: await n(h.db.select({ n: count() }).from(t.tickets)),
    assets: await n(h.db.select({ n: count() }).from(t.assets)),
    contacts: await n(h.db.select({ n: count() }).from(t.contacts)),
    companies: await n(h.db.select({ n: count() }).from(t.companies).where(notInArray(t.companies.id, billed))),
    companiesKept: await n(h.db.select({ n: count() }).from(t.companies).where(inArray(t.companies.id, billed))),
    agents: await n(h.db.select({ n: count() }).from(t.agents)),
    plans: await plansOutside(false),
    plansAfterCompanies: await plansOutside(true),
  };
}

/** How many records a clear of `kind` deletes (cascades aside). */
export function clearTotal(plan: ClearPlan, kind: ClearKind): number {
  return partsOf(kind).reduce(
    (sum, p) => sum + (p === "plans" && kind === "all" ? plan.plansAfterCompanies : plan[p]),
    0,
  );
}

/** The words an admin types to confirm, e.g. "DELETE 1,000 ASSETS" or "DELETE 4,325 RECORDS". */
export function confirmPhrase(plan: ClearPlan, kind: ClearKind): string {
  const total = clearTotal(plan, kind).toLocaleString("en-US");
  return `DELETE ${total} ${kind === "all" ? "RECORDS" : kind.toUpperCase()}`;
}

/** Deletes one kind inside the transaction; returns what the audit row records. */
async function clearPart(tx: Tx, h: CodexDb, part: Part): Promise<Record<string, number>> {
  const t = h.t;
  const c = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0);
  if (part === "tickets") {
    const summary = {
      deleted: await c(tx.select({ n: count() }).from(t.tickets)),
      conversation_entries: await c(tx.select({ n: count() }).from(t.ticketEntries)),
      time_entries: await c(tx.select({ n: count() }).from(t.ticketTimeEntries)),
    };
    await tx.delete(t.tickets);
    return summary;
  }
  if (part === "assets") {
    const summary = {
      deleted: await c(tx.select({ n: count() }).from(t.assets)),
      contact_links: await c(tx.select({ n: count() }).from(t.assetContacts)),
      billing_overrides: await c(tx.select({ n: count() }).from(t.assetBillingOverrides)),
    };
    await tx.delete(t.assets);
    return summary;
  }
  if (part === "contacts") {
    const summary = {
      deleted: await c(tx.select({ n: count() }).from(t.contacts)),
      company_links: await c(tx.select({ n: count() }).from(t.contactCompanies)),
      billing_overrides: await c(tx.select({ n: count() }).from(t.contactBillingOverrides)),
    };
    await tx.delete(t.contacts);
    return summary;
  }
  if (part === "agents") {
    const summary = {
      deleted: await c(tx.select({ n: count() }).from(t.agents)),
      with_idp_identity: await c(tx.select({ n: count() }).from(t.agents).where(isNotNull(t.agents.idpUserId))),
      assigned_tickets: await c(tx.select({ n: count() }).from(t.tickets).where(isNotNull(t.tickets.assigneeId))),
    };
    await tx.delete(t.agents);
    return summary;
  }
  if (part === "plans") {
    const doomedPlans = notInArray(t.billingPlans.id, plansInUse(tx, h, false));
    const summary = { deleted: await c(tx.select({ n: count() }).from(t.billingPlans).where(doomedPlans)) };
    await tx.delete(t.billingPlans).where(doomedPlans);
    // The feature catalog goes with the plans, except what a remaining plan or company still uses.
    const unusedCategories = and(
      notInArray(t.featureCategories.id, tx.select({ id: t.planFeatures.categoryId }).from(t.planFeatures)),
      notInArray(
        t.featureCategories.id,
        tx.select({ id: t.companyFeatureOverrides.categoryId }).from(t.companyFeatureOverrides),
      ),
    );
    const catalog = {
      feature_categories: await c(tx.select({ n: count() }).from(t.featureCategories).where(unusedCategories)),
      feature_options: await c(
        tx
          .select({ n: count() })
          .from(t.featureOptions)
          .where(
            inArray(
              t.featureOptions.categoryId,
              tx.select({ id: t.featureCategories.id }).from(t.featureCategories).where(unusedCategories),
            ),
          ),
      ),
    };
    await tx.delete(t.featureCategories).where(unusedCategories);
    return { ...summary, ...catalog };
  }
  const billed = tx.selectDistinct({ id: t.acceptedBills.companyId }).from(t.acceptedBills);
  const doomed = tx.select({ id: t.companies.id }).from(t.companies).where(notInArray(t.companies.id, billed));
  const summary = {
    deleted: await c(tx.select({ n: count() }).from(t.companies).where(notInArray(t.companies.id, billed))),
    kept_with_accepted_bills: await c(
      tx.select({ n: count() }).from(t.companies).where(inArray(t.companies.id, billed)),
    ),
    locations: await c(tx.select({ n: count() }).from(t.locations).where(inArray(t.locations.companyId, doomed))),
    assets: await c(tx.select({ n: count() }).from(t.assets).where(inArray(t.assets.companyId, doomed))),
    tickets: await c(tx.select({ n: count() }).from(t.tickets).where(inArray(t.tickets.companyId, doomed))),
    line_items: await c(tx.select({ n: count() }).from(t.lineItems).where(inArray(t.lineItems.companyId, doomed))),
    manual_assets: await c(
      tx.select({ n: count() }).from(t.manualAssets).where(inArray(t.manualAssets.companyId, doomed)),
    ),
    manual_users: await c(
      tx.select({ n: count() }).from(t.manualUsers).where(inArray(t.manualUsers.companyId, doomed)),
    ),
  };
  await tx.delete(t.companies).where(notInArray(t.companies.id, billed));
  return summary;
}

/**
 * Clears `kind` in one transaction; one audit row per kind deleted, with the counts. Deleting a
 * large install's tickets takes longer than the statement timeout, so it runs without it.
 */
export async function clearData(
  h: CodexDb,
  kind: ClearKind,
  actor: Actor,
): Promise<Record<Part, Record<string, number>>> {
  return transaction(
    h,
    async (tx) => {
      const out = {} as Record<Part, Record<string, number>>;
      const audits: AuditRecord[] = [];
      // Tickets and assets first, so a company's own rows are counted under their kind.
      for (const part of partsOf(kind)) {
        out[part] = await clearPart(tx, h, part);
        audits.push({
          action: "delete",
          entity: ENTITY[part],
          entityId: "all",
          before: { clear_data: kind, ...out[part] },
          after: null,
        });
      }
      await writeAudit(tx, h, actor, audits);
      return out;
    },
    { longRunning: true },
  );
}
