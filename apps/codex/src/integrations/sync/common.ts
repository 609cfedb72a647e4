import { and, eq, inArray, not, like } from "drizzle-orm";
import type { CodexDb } from "../../deps.ts";
import { BulkRejected, type BulkResult } from "../../shared/data-bulk.ts";
import { chunks, selectIn } from "../../shared/data-common.ts";
import type { Actor, AuditEntity } from "../../shared/data-audit.ts";
import type { JobReport } from "./report.ts";

/** Every sync writes as `sync:<provider>`, so the audit log tells its changes from people's. */
export const syncActor = (provider: string): Actor => ({ name: `sync:${provider}` });

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The fields people changed on synced records, and when they last did, read from the audit
 * log: every update by an actor that is not a sync. A sync leaves those fields alone, so a
 * local correction is not overwritten by the provider's copy. Field names are the API's.
 */
export async function locallyEditedFields(
  h: CodexDb,
  entity: AuditEntity,
  ids: number[],
): Promise<Map<number, Map<string, Date>>> {
  const t = h.t.auditLog;
  const rows = await selectIn(ids.map(String), (part) =>
    h.db
      .select({ entityId: t.entityId, at: t.at, before: t.before, after: t.after })
      .from(t)
      .where(
        and(
          eq(t.entity, entity),
          eq(t.action, "update"),
          inArray(t.entityId, part as string[]),
          not(like(t.actor, "sync:%")),
        ),
      ),
  );
  const out = new Map<number, Map<string, Date>>();
  for (const r of rows) {
    const before = r.before ?? {};
    const after = r.after ?? {};
    for (const key of Object.keys(after)) {
      if (key === "updatedAt" || key === "createdAt") continue;
      if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
      const id = Number(r.entityId);
      const fields = out.get(id) ?? out.set(id, new Map()).get(id)!;
      const field = snake(key);
      if (!fields.has(field) || fields.get(field)! < r.at) fields.set(field, r.at);
    }
  }
  return out;
}

export interface EditPolicy {
  /** Identity fields, always sent. */
  keep: readonly string[];
  /**
   * Workflow fields the provider owns (a ticket's status, assignee…): a local edit of one holds
   * only until the provider's record changes after it.
   */
  followProvider?: readonly string[];
  providerUpdatedAt?: Date | null;
}

/** Drops the locally edited fields from a sync row. */
export function withoutLocalEdits<T extends Record<string, unknown>>(
  row: T,
  edited: Map<string, Date> | undefined,
  policy: EditPolicy = { keep: ["external_id", "external_source"] },
): T {
  if (!edited?.size) return row;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const editedAt = edited.get(k);
    const providerNewer =
      editedAt && policy.followProvider?.includes(k) && policy.providerUpdatedAt && policy.providerUpdatedAt > editedAt;
    if (policy.keep.includes(k) || !editedAt || providerNewer) out[k] = v;
  }
  return out as T;
}

/**
 * Writes rows through a data function in batches. A batch the data layer rejects (one bad row
 * rejects its whole batch) is written again without the rows it named, and those rows are
 * counted and logged as errors: one bad record from a provider never blocks the rest.
 */
export async function upsertInBatches<R>(
  upsert: (rows: R[]) => Promise<BulkResult>,
  rows: R[],
  report: JobReport,
  label: string,
  describe: (row: R) => string,
  batchSize = 200,
): Promise<void> {
  for (const batch of chunks(rows, batchSize)) {
    let pending = batch;
    for (let attempt = 0; attempt < 2 && pending.length; attempt++) {
      try {
        const result = await upsert(pending);
        report.add(`${label}_created`, result.created);
        report.add(`${label}_updated`, result.updated);
        report.add(`${label}_unchanged`, result.unchanged);
        pending = [];
      } catch (e) {
        if (!(e instanceof BulkRejected) || attempt === 1) throw e;
        const bad = new Set<number>();
        for (const r of e.result.results) {
          if (r.status !== "error") continue;
          bad.add(r.index);
          report.add(`${label}_errors`);
          report.log(
            `${label} ${describe(pending[r.index]!)} skipped: ` +
              (r.errors ?? []).map((x) => `${x.field}: ${x.message}`).join("; "),
          );
        }
        pending = pending.filter((_, i) => !bad.has(i));
      }
    }
  }
}

/** ISO text of a provider timestamp (ISO string or epoch milliseconds); null when absent or unreadable. */
export function isoTime(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === "") return null;
  const d = typeof value === "number" ? new Date(value) : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** HTML to plain text for conversation bodies when the provider gives no text version. */
export function htmlToText(html: string | null | undefined): string {
  if (!html) return "";
  return html
    .replace(/<(br|\/p|\/div|\/li)[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A light email check so a provider's malformed address is dropped rather than rejecting its row. */
export function cleanEmail(value: string | null | undefined): string | null {
  const v = value?.trim().toLowerCase();
  return v && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) && v.length <= 254 ? v : null;
}
