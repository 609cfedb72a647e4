import { z } from "zod";

export const auditQuery = z
  .object({
    entity: z.string().max(50).optional(),
    entity_id: z.string().max(100).optional(),
    actor: z.string().max(200).optional(),
    before_id: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuery>;

const record = z.record(z.string(), z.unknown()).nullable();

const auditRowSchema = z
  .object({
    id: z.number().int(),
    at: z.iso.datetime(),
    actor: z.string(),
    action: z.string(),
    entity: z.string(),
    entity_id: z.string(),
    company_id: z.number().int().nullable(),
    before: record,
    after: record,
    request_id: z.string().nullable(),
  })
  .meta({ id: "AuditRow" });

export const auditPageSchema = z.object({
  items: z.array(auditRowSchema),
  /** Pass as before_id for the next (older) page; null on the last. */
  next_before_id: z.number().int().nullable(),
});

/** A change as the admin page lists it. */
export interface RecentChange {
  id: number;
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
}

/** A past clear, from its audit row: who, when, which kind and the counts. */
export interface ClearRecord {
  at: Date;
  actor: string;
  entity: string;
  before: Record<string, unknown> | null;
}

/**
 * The admin's "Clear data": deletes every ticket, asset, contact, company, agent or billing
 * plan (or all of them, which is everything the demo data adds).
 */
export const CLEAR_KINDS = ["tickets", "assets", "contacts", "companies", "agents", "plans", "all"] as const;
export type ClearKind = (typeof CLEAR_KINDS)[number];
export type ClearPart = Exclude<ClearKind, "all">;

// Companies before plans (a company's plan cannot go while it stays).
const PARTS: ClearPart[] = ["tickets", "assets", "contacts", "companies", "agents", "plans"];
export const partsOf = (kind: ClearKind): ClearPart[] => (kind === "all" ? PARTS : [kind]);

export const kindOf = (value: string | undefined): ClearKind | null =>
  (CLEAR_KINDS as readonly string[]).includes(value ?? "") ? (value as ClearKind) : null;

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

/** How many records a clear of `kind` deletes (cascades aside). */
export function clearTotal(plan: ClearPlan, kind: ClearKind): number {
  return partsOf(kind).reduce(
    (sum, part) => sum + (part === "plans" && kind === "all" ? plan.plansAfterCompanies : plan[part]),
    0,
  );
}

/** The words an admin types to confirm, e.g. "DELETE 1,000 ASSETS" or "DELETE 4,325 RECORDS". */
export function confirmPhrase(plan: ClearPlan, kind: ClearKind): string {
  const total = clearTotal(plan, kind).toLocaleString("en-US");
  return `DELETE ${total} ${kind === "all" ? "RECORDS" : kind.toUpperCase()}`;
}
