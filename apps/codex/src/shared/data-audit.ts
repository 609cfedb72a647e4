import type { CodexDb } from "../deps.ts";
import { chunks, type Tx } from "./data-common.ts";
import { insertMany } from "./data-raw-sqlite.ts";

/** Who makes a change, for the audit log: a username, `service:<name>` or `sync:<provider>`. */
export interface Actor {
  name: string;
  requestId?: string | null;
}

export type AuditEntity =
  | "company"
  | "contact"
  | "location"
  | "asset"
  | "ticket"
  | "ticket_entry"
  | "ticket_time_entry"
  | "ticket_attachment"
  | "agent"
  | "billing_plan"
  | "feature_category"
  | "feature_option"
  | "company_billing_override"
  | "asset_billing_override"
  | "contact_billing_override"
  | "company_feature_override"
  | "line_item"
  | "accepted_bill"
  | "rmm_site_link"
  | "integration_setting"
  | "manual_asset"
  | "manual_user"
  | "billing_setting";

export interface AuditRecord {
  action: "create" | "update" | "delete";
  entity: AuditEntity;
  entityId: string | number;
  companyId?: number | null;
  before?: object | null;
  after?: object | null;
}

/** Rows go to the audit log as they are: the JSON column serialises dates as ISO strings. */
function plain(row: object | null | undefined): Record<string, unknown> | null {
  return (row ?? null) as Record<string, unknown> | null;
}

/** Writes audit rows inside the caller's transaction, in batches. */
export async function writeAudit(tx: Tx, db: CodexDb, actor: Actor, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const at = new Date();
  const rows = records.map((record) => ({
    at,
    actor: actor.name,
    action: record.action,
    entity: record.entity,
    entityId: String(record.entityId),
    companyId: record.companyId ?? null,
    before: plain(record.before),
    after: plain(record.after),
    requestId: actor.requestId ?? null,
  }));
  if (db.sqlite) insertMany(db.sqlite, db.t.auditLog, "audit_log", rows);
  else for (const part of chunks(rows, 200)) await tx.insert(db.t.auditLog).values(part);
}
