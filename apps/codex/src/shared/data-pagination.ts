import { z } from "zod";
import { and, asc, desc, eq, gt, isNotNull, isNull, lt, or, type SQL } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";
import { badRequest } from "@hivematrix/lib/errors";

/** Query fields every list endpoint takes: cursor pagination and sorting. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  order: z.enum(["asc", "desc"]).optional(),
};

/**
 * Records a complete sync no longer found (companies, assets) are hidden unless asked for:
 * `include` lists them too, `only` lists just them.
 */
export const staleQuery = z.enum(["exclude", "include", "only"]).default("exclude");
export type StaleFilter = z.infer<typeof staleQuery>;

export function staleCondition(col: AnyColumn, filter: StaleFilter): SQL | undefined {
  return filter === "exclude" ? isNull(col) : filter === "only" ? isNotNull(col) : undefined;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

function encode(value: unknown, id: number): string {
  const v = value instanceof Date ? { d: value.getTime() } : value;
  return Buffer.from(JSON.stringify([v, id])).toString("base64url");
}

function decode(cursor: string): [unknown, number] {
  try {
    const [v, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, number];
    if (!Number.isInteger(id)) throw new Error("bad id");
    const value = v && typeof v === "object" && "d" in v ? new Date((v as { d: number }).d) : v;
    return [value, id];
  } catch {
    throw badRequest("The cursor is not one this API gave out.", [{ field: "cursor", message: "Invalid cursor." }]);
  }
}

/**
 * One page of a keyset-paginated query: rows ordered by `sortCol` then id, starting after the
 * cursor. The sort column must be NOT NULL so (value, id) pairs order totally.
 */
export async function pageOf<R extends { id: number }>(
  // A select builder over one table: db.select().from(t) (or with a join), before where/order.
  query: { where(w: SQL | undefined): { orderBy(...c: SQL[]): { limit(n: number): Promise<R[]> } } },
  o: {
    where: (SQL | undefined)[];
    sortCol: AnyColumn;
    sortKey: (row: R) => unknown;
    idCol: AnyColumn;
    order: "asc" | "desc";
    cursor?: string;
    limit: number;
  },
): Promise<Page<R>> {
  const conds = [...o.where];
  if (o.cursor) {
    const [v, id] = decode(o.cursor);
    const cmp = o.order === "asc" ? gt : lt;
    conds.push(or(cmp(o.sortCol, v), and(eq(o.sortCol, v), cmp(o.idCol, id))));
  }
  const dir = o.order === "asc" ? asc : desc;
  const rows = await query
    .where(and(...conds))
    .orderBy(dir(o.sortCol), dir(o.idCol))
    .limit(o.limit + 1);
  const more = rows.length > o.limit;
  const items = more ? rows.slice(0, o.limit) : rows;
  const last = items[items.length - 1];
  return { items, next_cursor: more && last ? encode(o.sortKey(last), last.id) : null };
}
