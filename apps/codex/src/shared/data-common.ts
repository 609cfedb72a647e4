import { and, count, eq, inArray, isNotNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "@hivematrix/lib/db";
import type * as schema from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";

/** Query helpers every data module shares. */

export type Tx = Db<typeof schema>;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The rows of `table` whose `column` is one of `values`, in IN-list chunks. */
export function rowsWhereIn<R>(
  db: CodexDb,
  // A table of either engine (db.t.<name>) and one of its columns; R is its row type.
  // biome-ignore lint/suspicious/noExplicitAny: a table of either engine
  table: any,
  // biome-ignore lint/suspicious/noExplicitAny: a column of that table
  column: any,
  values: readonly (string | number)[],
): Promise<R[]> {
  return selectIn(values, (part) => db.db.select().from(table).where(inArray(column, part)) as Promise<R[]>);
}

/** id → name of the rows of `table` (agents, contacts) with these ids. */
export async function namesById(
  db: CodexDb,
  table: CodexDb["t"]["agents"] | CodexDb["t"]["contacts"],
  ids: readonly number[],
): Promise<Map<number, string>> {
  const rows = await selectIn(ids, (part) =>
    db.db
      .select({ id: table.id, name: table.name })
      .from(table)
      .where(inArray(table.id, part as number[])),
  );
  return new Map(rows.map((row) => [row.id, row.name]));
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

/**
 * Existing rows of `table` with the rows' (external_source, external_id), keyed
 * "source\0id"; one indexed query per source and chunk.
 */
export async function existingByExternal<R extends { externalSource: string | null; externalId: string | null }>(
  db: CodexDb,
  // The concrete drizzle table of this engine (db.t.<name>), which has external_source/external_id columns.
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
        db.db
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

/** One count of `countAll`: the rows of a table, or those matching `where`. */
export interface CountOf {
  // A table of either engine (db.t.<name>).
  // biome-ignore lint/suspicious/noExplicitAny: a table of either engine
  table: any;
  where?: SQL;
}

/** Several counts in one statement (a UNION ALL of one count each), by the names they were asked under. */
export async function countAll<K extends string>(query: Tx, counts: Record<K, CountOf>): Promise<Record<K, number>> {
  const names = Object.keys(counts) as K[];
  const selects = names.map((name, index) =>
    query
      .select({ index: sql<number>`${sql.raw(String(index))}`.mapWith(Number), total: count() })
      .from(counts[name].table)
      .where(counts[name].where),
  );
  // biome-ignore lint/suspicious/noExplicitAny: each UNION ALL step is a builder of its own type
  const union = selects.slice(1).reduce<any>((all, next) => all.unionAll(next), selects[0]);
  const rows = (await union) as { index: number; total: number }[];
  const totals = new Map(rows.map((row) => [row.index, Number(row.total)]));
  return Object.fromEntries(names.map((name, index) => [name, totals.get(index) ?? 0])) as Record<K, number>;
}
