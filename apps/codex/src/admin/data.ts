import { and, desc, eq, lt } from "drizzle-orm";
import type { CodexDb } from "../deps.ts";
import { countAll } from "../shared/data-common.ts";
import type { AuditQuery, ClearRecord, RecentChange } from "./json.ts";

/** The audit log, newest first, a page at a time (older pages by `before_id`). */
export async function auditPage(db: CodexDb, query: AuditQuery) {
  const audit = db.t.auditLog;
  const rows = await db.db
    .select()
    .from(audit)
    .where(
      and(
        query.entity ? eq(audit.entity, query.entity) : undefined,
        query.entity_id ? eq(audit.entityId, query.entity_id) : undefined,
        query.actor ? eq(audit.actor, query.actor) : undefined,
        query.before_id ? lt(audit.id, query.before_id) : undefined,
      ),
    )
    .orderBy(desc(audit.id))
    .limit(query.limit);
  return {
    items: rows.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: row.actor,
      action: row.action,
      entity: row.entity,
      entity_id: row.entityId,
      company_id: row.companyId,
      before: row.before,
      after: row.after,
      request_id: row.requestId,
    })),
    next_before_id: rows.length === query.limit ? rows[rows.length - 1]!.id : null,
  };
}

/** The latest changes, for the admin page. */
export function recentChanges(db: CodexDb, limit: number): Promise<RecentChange[]> {
  return db.db.select().from(db.t.auditLog).orderBy(desc(db.t.auditLog.id)).limit(limit);
}

/** The latest clears (their audit rows delete "all" of a kind). */
export function pastClears(db: CodexDb, limit: number): Promise<ClearRecord[]> {
  const audit = db.t.auditLog;
  return db.db
    .select({ at: audit.at, actor: audit.actor, entity: audit.entity, before: audit.before })
    .from(audit)
    .where(and(eq(audit.action, "delete"), eq(audit.entityId, "all")))
    .orderBy(desc(audit.id))
    .limit(limit);
}

/** How many rows each table holds, in one statement. */
export async function databaseStats(db: CodexDb): Promise<{ label: string; value: number }[]> {
  const tables = db.t;
  const labels = {
    companies: "Companies",
    contacts: "Contacts",
    locations: "Locations",
    assets: "Assets",
    tickets: "Tickets",
    ticketEntries: "Conversation entries",
    ticketTimeEntries: "Time entries",
    agents: "Agents",
    billingPlans: "Billing plans",
    acceptedBills: "Accepted bills",
    auditLog: "Audit log rows",
  } as const;
  const names = Object.keys(labels) as (keyof typeof labels)[];
  const totals = await countAll(db.db, Object.fromEntries(names.map((name) => [name, { table: tables[name] }])));
  return names.map((name) => ({ label: labels[name], value: totals[name] ?? 0 }));
}
