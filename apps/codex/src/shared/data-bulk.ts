import type { z } from "zod";
import { eq } from "drizzle-orm";
import { lockKey, transaction } from "@hivematrix/lib/db";
import { conflict, HttpError, validationFailed } from "@hivematrix/lib/errors";
import { issuesOf, type FieldIssue } from "@hivematrix/lib/validate";
import type { CodexDb } from "../deps.ts";
import { type Actor, type AuditEntity, type AuditRecord, writeAudit } from "./data-audit.ts";
import { changedFields, chunks, type Tx } from "./data-common.ts";
import { completeRow, insertMany, updateRow } from "./data-raw-sqlite.ts";

/** One row's outcome in a bulk write. */
export interface RowResult {
  index: number;
  /** The row's line in a CSV import. */
  line?: number;
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
  const count = (status: RowResult["status"]) => results.filter((result) => result.status === status).length;
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
    const checked = schema.safeParse(row);
    if (checked.success) {
      parsed.push(checked.data);
      results.push({ index, status: "unchanged" });
    } else {
      parsed.push(null);
      results.push({ index, status: "error", errors: issuesOf(checked.error) });
    }
  });
  return { parsed, results };
}

export function rowError(results: RowResult[], index: number, field: string, message: string) {
  const result = results[index]!;
  result.status = "error";
  delete result.id;
  (result.errors ??= []).push({ field, message });
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

type AnyRow = { id: number } & Record<string, unknown>;

/** Links as they were and are, e.g. `{ contactIds: [3] }` → `{ contactIds: [3, 7] }`. */
export interface LinkChange {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

export type Resolution<R> = { error: { field: string; message: string } } | { existing?: R; cols: Partial<R> };

export interface BulkSpec<R extends AnyRow, P> {
  entity: AuditEntity;
  // The concrete drizzle table of this engine (db.t.<name>).
  // biome-ignore lint/suspicious/noExplicitAny: a table of either engine, whose row type the spec states
  table: any;
  tableName: string;
  schema: z.ZodType<P>;
  /** Looks up what rows refer to (existing records, companies) before anything is decided. */
  load(rows: P[]): Promise<void>;
  /** Decides, per valid row, what to write; an error rejects the whole batch. */
  resolve(row: P, index: number): Resolution<R>;
  companyIdOf(row: R): number | null;
  /**
   * Writes link rows (contact↔company, asset↔contact) after the row; returns whether they
   * changed, or the links before and after for the audit row.
   */
  writeLinks?(tx: Tx, id: number, row: P, created: boolean): Promise<boolean | LinkChange>;
  /** Runs in the write's transaction after a row is created. */
  afterCreate?(tx: Tx, row: R, actor: Actor): Promise<void>;
  /** Runs in the write's transaction after a row's fields changed (`changes` holds the new values). */
  afterUpdate?(tx: Tx, before: R, changes: Partial<R>, actor: Actor): Promise<void>;
}

/**
 * The engine behind every `upsert*` function: checks every row first and writes nothing if any
 * is invalid (BulkRejected lists each row's errors); otherwise writes them all in one
 * transaction, inserting new rows in batches, updating only rows that changed, and writing an
 * audit row for each change. Writes of one kind run one after another (on Postgres too), each
 * deciding from what the previous ones left.
 */
export async function runBulk<R extends AnyRow, P>(
  db: CodexDb,
  actor: Actor,
  spec: BulkSpec<R, P>,
  rows: unknown[],
): Promise<BulkResult> {
  if (!Array.isArray(rows) || rows.length > MAX_BULK_ROWS)
    throw validationFailed([{ field: "rows", message: `Send an array of at most ${MAX_BULK_ROWS} rows.` }]);
  const { parsed, results } = parseRows(spec.schema, rows);
  return writeRows(db, actor, spec, parsed, results);
}

/** Writes checked rows (null: a row that failed its check, already an error in `results`). */
async function writeRows<R extends AnyRow, P>(
  db: CodexDb,
  actor: Actor,
  spec: BulkSpec<R, P>,
  parsed: (P | null)[],
  results: RowResult[],
): Promise<BulkResult> {
  await transaction(db, async (tx) => {
    // What exists is looked up inside the transaction, after every other write of this kind has
    // finished: two writers can then never both decide to create the same record.
    await lockKey(db, `codex:bulk:${spec.tableName}`);
    await spec.load(parsed.filter((row): row is Awaited<P> => row !== null) as P[]);
    const steps: ({ existing?: R; cols: Partial<R>; row: P } | null)[] = parsed.map((row, index) => {
      if (row === null) return null;
      const decided = spec.resolve(row as P, index);
      if ("error" in decided) {
        rowError(results, index, decided.error.field, decided.error.message);
        return null;
      }
      return { ...decided, row: row as P };
    });
    const check = summarize(results);
    if (!check.ok) throw new BulkRejected(check);
    const audits: AuditRecord[] = [];
    const now = new Date();
    const creates = steps.flatMap((step, index) => (step && !step.existing ? [{ step, index }] : []));
    for (const part of chunks(creates, 500)) {
      let inserted: R[];
      if (db.sqlite) {
        const full = part.map(({ step }) => completeRow(spec.table, { createdAt: now, updatedAt: now, ...step.cols }));
        const ids = insertMany(db.sqlite, spec.table, spec.tableName, full);
        inserted = full.map((row, at) => ({ ...row, id: ids[at] }) as unknown as R);
      } else {
        inserted = (await tx
          .insert(spec.table)
          .values(part.map(({ step }) => ({ createdAt: now, updatedAt: now, ...step.cols })))
          .returning()) as R[];
      }
      for (const [at, { step, index }] of part.entries()) {
        const row = inserted[at]!;
        results[index]!.status = "created";
        results[index]!.id = row.id;
        if (spec.writeLinks) await spec.writeLinks(tx, row.id, step.row, true);
        await spec.afterCreate?.(tx, row, actor);
        audits.push({
          action: "create",
          entity: spec.entity,
          entityId: row.id,
          companyId: spec.companyIdOf(row),
          after: row,
        });
      }
    }
    for (const [index, step] of steps.entries()) {
      const existing = step?.existing;
      if (!step || !existing) continue;
      const result = results[index]!;
      result.id = existing.id;
      const changes = changedFields(existing, step.cols);
      const linksChanged = spec.writeLinks ? await spec.writeLinks(tx, existing.id, step.row, false) : false;
      if (Object.keys(changes).length === 0 && !linksChanged) continue;
      if (db.sqlite) updateRow(db.sqlite, spec.table, spec.tableName, existing.id, { ...changes, updatedAt: now });
      else
        await tx
          .update(spec.table)
          .set({ ...changes, updatedAt: now })
          .where(eq(spec.table.id, existing.id));
      const after = { ...existing, ...changes, updatedAt: now } as R;
      if (Object.keys(changes).length) await spec.afterUpdate?.(tx, existing, changes, actor);
      result.status = "updated";
      // An update's audit row holds the fields that changed, before and after.
      const before = Object.fromEntries(Object.keys(changes).map((field) => [field, existing[field]]));
      const links = typeof linksChanged === "object" ? linksChanged : null;
      audits.push({
        action: "update",
        entity: spec.entity,
        entityId: existing.id,
        companyId: spec.companyIdOf(after),
        before: { ...before, ...links?.before },
        after: { ...changes, ...(links ? links.after : linksChanged ? { links: "changed" } : {}) },
      });
    }
    await writeAudit(tx, db, actor, audits);
  });
  return summarize(results);
}

/** One-row create/update through the bulk engine, with its errors as a plain 409/422. */
export function runOne<R extends AnyRow, P>(db: CodexDb, actor: Actor, spec: BulkSpec<R, P>, row: unknown) {
  return oneRow(() => runBulk(db, actor, spec, [row]));
}

/** As runOne, for a row its route's request schema already checked. */
export function writeOne<R extends AnyRow, P>(db: CodexDb, actor: Actor, spec: BulkSpec<R, P>, row: P) {
  return oneRow(() => writeRows(db, actor, spec, [row], [{ index: 0, status: "unchanged" }]));
}

async function oneRow(write: () => Promise<BulkResult>): Promise<number> {
  try {
    const result = await write();
    return result.results[0]!.id!;
  } catch (e) {
    if (e instanceof BulkRejected) {
      const errors = e.result.results[0]?.errors ?? [];
      if (errors.some((error) => /already used/i.test(error.message))) throw conflict(errors[0]!.message, errors);
      throw validationFailed(errors);
    }
    throw e;
  }
}
