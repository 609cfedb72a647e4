import { getTableColumns } from "drizzle-orm";
import type { Database, Statement } from "bun:sqlite";

/**
 * Writes bulk updates and audit rows straight through bun:sqlite: building one drizzle query
 * per row costs more than running it, and a 10,000-row sync must take seconds, not tens of
 * them. Values are stored exactly as lib/db's SQLite twin stores them (dates as epoch ms,
 * booleans as 0/1, JSON as text), so the ORM reads them back unchanged.
 */
export function sqliteValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "object") return JSON.stringify(v);
  return v as string | number;
}

const statements = new WeakMap<Database, Map<string, Statement>>();

function cached(db: Database, sql: string): Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

/** Column names of a drizzle table by property key. */
function columnNames(table: object): Map<string, string> {
  return new Map(
    Object.entries(getTableColumns(table as never)).map(([key, col]) => [key, (col as { name: string }).name]),
  );
}

/** UPDATE <table> SET <changed columns> WHERE id = ? for one row, with a cached statement per column set. */
export function updateRow(
  db: Database,
  table: object,
  tableName: string,
  id: number,
  changes: Record<string, unknown>,
): void {
  const names = columnNames(table);
  const keys = Object.keys(changes).sort();
  const sql = `UPDATE ${tableName} SET ${keys.map((k) => `${names.get(k)} = ?`).join(", ")} WHERE id = ?`;
  cached(db, sql).run(...keys.map((k) => sqliteValue(changes[k])), id);
}

/**
 * A new row as the ORM would insert it: every column, with the schema's $defaultFn values for
 * those not given (the tables declare no SQL defaults).
 */
export function completeRow(table: object, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(getTableColumns(table as never))) {
    const c = col as { primary: boolean; defaultFn?: () => unknown; default?: unknown };
    if (c.primary && values[key] === undefined) continue;
    out[key] =
      values[key] !== undefined
        ? values[key]
        : c.defaultFn
          ? c.defaultFn()
          : c.default !== undefined
            ? c.default
            : null;
  }
  return out;
}

/**
 * INSERT of many rows that all have the same keys, in multi-row statements; returns their new
 * ids in order. Within one statement on one connection holding the write lock, SQLite gives new
 * rows consecutive ids ending at last_insert_rowid().
 */
export function insertMany(db: Database, table: object, tableName: string, rows: Record<string, unknown>[]): number[] {
  const ids: number[] = [];
  const names = columnNames(table);
  const keys = Object.keys(rows[0] ?? {});
  const per = Math.max(1, Math.floor(30_000 / Math.max(1, keys.length)));
  const tuple = `(${keys.map(() => "?").join(",")})`;
  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per);
    const columns = keys.map((key) => names.get(key)).join(",");
    const sql = `INSERT INTO ${tableName} (${columns}) VALUES ${part.map(() => tuple).join(",")}`;
    const values: (string | number | null)[] = [];
    for (const r of part) for (const k of keys) values.push(sqliteValue(r[k]));
    const { lastInsertRowid } = cached(db, sql).run(...values);
    const last = Number(lastInsertRowid);
    for (let k = part.length - 1; k >= 0; k--) ids.push(last - k);
  }
  return ids;
}
