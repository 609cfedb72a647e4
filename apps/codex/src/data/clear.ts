import { count, inArray, notInArray } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import type { CodexDb } from "../db/open.ts";
import { writeAudit, type Actor, type AuditRecord, type Tx } from "./common.ts";

/**
 * The admin's "Clear data": deletes every company, contact, asset or ticket (or all four) in
 * one transaction, with one audit row per kind holding the counts. Companies with accepted
 * bills are never deleted: an accepted bill is the record of what was invoiced, so its company
 * stays (with its locations and billing setup) and the summary says how many were kept.
 */
export const CLEAR_KINDS = ["tickets", "assets", "contacts", "companies", "all"] as const;
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
}

const PARTS: Part[] = ["tickets", "assets", "contacts", "companies"];
const partsOf = (kind: ClearKind): Part[] => (kind === "all" ? PARTS : [kind]);
const ENTITY = { tickets: "ticket", assets: "asset", contacts: "contact", companies: "company" } as const;

async function n(q: Promise<{ n: number }[]>): Promise<number> {
  return Number((await q)[0]?.n ?? 0);
}

/** What each kind of clear would delete right now. */
export async function clearPlan(h: CodexDb): Promise<ClearPlan> {
  const t = h.t;
  const billed = h.db.selectDistinct({ id: t.acceptedBills.companyId }).from(t.acceptedBills);
  return {
    tickets: await n(h.db.select({ n: count() }).from(t.tickets)),
    assets: await n(h.db.select({ n: count() }).from(t.assets)),
    contacts: await n(h.db.select({ n: count() }).from(t.contacts)),
    companies: await n(h.db.select({ n: count() }).from(t.companies).where(notInArray(t.companies.id, billed))),
    companiesKept: await n(h.db.select({ n: count() }).from(t.companies).where(inArray(t.companies.id, billed))),
  };
}

/** How many records a clear of `kind` deletes (cascades aside). */
export function clearTotal(plan: ClearPlan, kind: ClearKind): number {
  return partsOf(kind).reduce((sum, p) => sum + plan[p], 0);
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
