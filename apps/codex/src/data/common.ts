import { z } from "zod";
import { and, eq, inArray, isNotNull, type SQL } from "drizzle-orm";
import type { Db } from "@hivematrix/lib/db";
import { HttpError } from "@hivematrix/lib/errors";
import { issuesOf, type FieldIssue } from "@hivematrix/lib/validate";
import type { CodexDb } from "../db/open.ts";
import type * as schema from "../db/schema.ts";
import { insertMany } from "./raw-sqlite.ts";

export type Tx = Db<typeof schema>;

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
export async function writeAudit(tx: Tx, h: CodexDb, actor: Actor, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const at = new Date();
  const rows = records.map((r) => ({
    at,
    actor: actor.name,
    action: r.action,
    entity: r.entity,
    entityId: String(r.entityId),
    companyId: r.companyId ?? null,
    before: plain(r.before),
    after: plain(r.after),
    requestId: actor.requestId ?? null,
  }));
  if (h.sqlite) insertMany(h.sqlite, h.t.auditLog, "audit_log", rows);
  else for (const part of chunks(rows, 200)) await tx.insert(h.t.auditLog).values(part);
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `fn` over `ids` in IN-list chunks (SQLite caps bound parameters) and concatenates. */
export async function selectIn<T>(
  ids: readonly (string | number)[],
  fn: (part: (string | number)[]) => Promise<T[]>,
  size = 500,
): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks([...new Set(ids)], size)) out.push(...(await fn(part)));
  return out;
}

export { inArray, type SQL };

/**
 * Existing rows of `table` with the rows' (external_source, external_id), keyed
 * "source\0id"; one indexed query per source and chunk.
 */
export async function existingByExternal<R extends { externalSource: string | null; externalId: string | null }>(
  h: CodexDb,
  // The concrete drizzle table of this engine (h.t.<name>), which has external_source/external_id columns.
  // biome-ignore lint/suspicious/noExplicitAny: a table of either engine, whose row type R states
  table: any,
  rows: { external_id?: string | null; external_source?: string | null }[],
): Promise<Map<string, R>> {
  const bySource = new Map<string, string[]>();
  for (const r of rows)
    if (r.external_id && r.external_source)
      (bySource.get(r.external_source) ?? bySource.set(r.external_source, []).get(r.external_source)!).push(
        r.external_id,
      );
  const out = new Map<string, R>();
  for (const [source, ids] of bySource) {
    const found = await selectIn(
      ids,
      (part) =>
        h.db
          .select()
          .from(table)
          .where(
            and(
              eq(table.externalSource, source),
              isNotNull(table.externalId),
              inArray(table.externalId, part as string[]),
            ),
          ) as Promise<R[]>,
    );
    for (const row of found) out.set(`${row.externalSource}\u0000${row.externalId}`, row);
  }
  return out;
}

/** The fields of `next` that differ from `current` (dates and JSON compared by value). */
export function changedFields<T extends Record<string, unknown>>(current: T, next: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined) continue;
    const cur = current[k];
    const same =
      v instanceof Date || cur instanceof Date
        ? String((cur as Date | null)?.valueOf()) === String((v as Date | null)?.valueOf())
        : JSON.stringify(cur) === JSON.stringify(v);
    if (!same) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

export function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---- input building blocks shared by the API, the pages and the bulk functions ----

const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

/** Optional free text; "" and null clear it. */
export const optText = (max = 500) => z.preprocess(emptyToNull, z.string().trim().max(max).nullable()).optional();
export const optEmail = () =>
  z
    .preprocess(
      emptyToNull,
      z
        .email("Not a valid email address.")
        .max(254)
        .transform((s) => s.toLowerCase())
        .nullable(),
    )
    .optional();
export const optDate = () =>
  z
    .preprocess(
      emptyToNull,
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")
        .refine(
          (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
          "Not a real date.",
        )
        .nullable(),
    )
    .optional();
export const optTimestamp = () =>
  z
    .preprocess(emptyToNull, z.union([z.iso.datetime({ offset: true }), z.iso.date()]).nullable())
    .optional()
    .transform((v) => (v === undefined ? undefined : v === null ? null : new Date(v)));
export const externalFields = {
  external_id: optText(100),
  external_source: optText(50),
};

export const accountNumberSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/, "Letters, digits, dots, dashes and underscores; up to 50.");

export function externalCheck(
  v: { external_id?: string | null; external_source?: string | null },
  ctx: z.RefinementCtx,
) {
  if (Boolean(v.external_id) !== Boolean(v.external_source)) {
    ctx.addIssue({
      code: "custom",
      path: [v.external_id ? "external_source" : "external_id"],
      message: "external_id and external_source go together.",
    });
  }
}

/** One row's outcome in a bulk write. */
export interface RowResult {
  index: number;
  status: "created" | "updated" | "unchanged" | "error";
  id?: number;
  errors?: FieldIssue[];
}

export interface BulkResult {
  ok: boolean;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  results: RowResult[];
}

export function summarize(results: RowResult[]): BulkResult {
  const count = (s: RowResult["status"]) => results.filter((r) => r.status === s).length;
  const errors = count("error");
  return {
    ok: errors === 0,
    created: count("created"),
    updated: count("updated"),
    unchanged: count("unchanged"),
    errors,
    results,
  };
}

/** Parses each row; returns the parsed rows or per-row errors. */
export function parseRows<S extends z.ZodType>(
  schema: S,
  rows: unknown[],
): { parsed: (z.infer<S> | null)[]; results: RowResult[] } {
  const parsed: (z.infer<S> | null)[] = [];
  const results: RowResult[] = [];
  rows.forEach((row, index) => {
    const r = schema.safeParse(row);
    if (r.success) {
      parsed.push(r.data);
      results.push({ index, status: "unchanged" });
    } else {
      parsed.push(null);
      results.push({ index, status: "error", errors: issuesOf(r.error) });
    }
  });
  return { parsed, results };
}

export function rowError(results: RowResult[], index: number, field: string, message: string) {
  const r = results[index]!;
  r.status = "error";
  delete r.id;
  (r.errors ??= []).push({ field, message });
}

/** Thrown when a bulk write is refused; the API turns it into 422 with every row's result. */
export class BulkRejected extends HttpError {
  constructor(readonly result: BulkResult) {
    super(
      422,
      "validation_failed",
      `${result.errors} of ${result.results.length} rows are invalid; nothing was written.`,
      result,
    );
  }
}

export const MAX_BULK_ROWS = 10_000;
