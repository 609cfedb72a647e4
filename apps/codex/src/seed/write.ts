import { readFileSync } from "node:fs";
import { join } from "node:path";
import type postgres from "postgres";
import { MIGRATIONS_DIR } from "../db/migrations.ts";
import type { CodexDb } from "../deps.ts";

/** Where bulk rows go: the SQLite connection, or a Postgres transaction. */
export interface Target {
  engine: CodexDb["engine"];
  sqlite: CodexDb["sqlite"];
  /** postgres.js's client or transaction (both accept the bulk-insert helper). */
  pg: postgres.Sql | postgres.TransactionSql | null;
}

/** A row keyed by database column names. */
export type RawRow = Record<string, string | number | boolean | Date | null | object>;

function sqliteValue(v: RawRow[string]): string | number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "object") return JSON.stringify(v);
  return v;
}

/** Dates go as ISO text: drizzle sets the shared postgres.js client's date serialisers to pass strings through. */
function pgValue(v: RawRow[string]): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v !== "object") return v;
  return JSON.stringify(v);
}

/**
 * Inserts many rows fast, bypassing the ORM: multi-row INSERTs through prepared statements on
 * SQLite, postgres.js's bulk insert on Postgres. For seeding only: it writes no audit rows.
 * Call inside `inTransaction` so millions of rows commit in a few large transactions.
 */
export async function insertRows(h: Target, table: string, rows: RawRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  if (h.engine === "sqlite") {
    const per = Math.max(1, Math.floor(30_000 / columns.length));
    const statements = new Map<number, ReturnType<NonNullable<CodexDb["sqlite"]>["prepare"]>>();
    for (let i = 0; i < rows.length; i += per) {
      const part = rows.slice(i, i + per);
      let stmt = statements.get(part.length);
      if (!stmt) {
        const tuple = `(${columns.map(() => "?").join(",")})`;
        stmt = h.sqlite!.prepare(
          `INSERT INTO ${table} (${columns.join(",")}) VALUES ${Array.from({ length: part.length }, () => tuple).join(",")}`,
        );
        statements.set(part.length, stmt);
      }
      const values: (string | number | null)[] = [];
      for (const r of part) for (const c of columns) values.push(sqliteValue(r[c] ?? null));
      stmt.run(...values);
    }
    return;
  }
  const sql = h.pg as unknown as postgres.Sql;
  const per = Math.max(1, Math.floor(30_000 / columns.length));
  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per).map((r) => Object.fromEntries(columns.map((c) => [c, pgValue(r[c] ?? null)])));
    await sql`INSERT INTO ${sql(table)} ${sql(part as never, columns)}`;
  }
}

/** Runs `fn` in one transaction on either engine (raw connections, for the seed's bulk writes). */
export async function inTransaction(h: CodexDb, fn: (tx: Target) => Promise<void>): Promise<void> {
  if (h.engine === "sqlite") {
    h.sqlite!.exec("BEGIN");
    try {
      await fn(h as unknown as Target);
      h.sqlite!.exec("COMMIT");
    } catch (e) {
      h.sqlite!.exec("ROLLBACK");
      throw e;
    }
    return;
  }
  await h.pg!.begin((tx) => fn({ engine: "postgres", sqlite: null, pg: tx as unknown as Target["pg"] }));
}

/** After explicit ids were inserted, moves Postgres's serial sequences past them. */
export async function syncSequences(h: CodexDb, tables: string[]): Promise<void> {
  if (h.engine !== "postgres") return;
  for (const t of tables)
    await h.pg!.unsafe(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), GREATEST((SELECT max(id) FROM ${t}), 1))`);
}

/** The migration that last defined the search triggers. */
const SEARCH_MIGRATION = join(MIGRATIONS_DIR, "sqlite", "0002_search_prefixes.sql");

/**
 * On SQLite, full-text triggers make a million-row load several times slower: drop them, load,
 * then rebuild the indexes once and put the triggers back (from the migration's own SQL).
 */
export async function withoutSearchTriggers(h: CodexDb, fn: () => Promise<void>): Promise<void> {
  if (h.engine !== "sqlite") return fn();
  const statements = readFileSync(SEARCH_MIGRATION, "utf8")
    .split("--> statement-breakpoint")
    .map((s) => s.trim().replace(/^--.*\n/gm, ""))
    .filter((s) => s.startsWith("CREATE TRIGGER"));
  for (const s of statements) h.sqlite!.exec(`DROP TRIGGER IF EXISTS ${/CREATE TRIGGER (\w+)/.exec(s)![1]}`);
  try {
    await fn();
  } finally {
    for (const t of ["companies", "contacts", "assets", "tickets"])
      h.sqlite!.exec(`INSERT INTO ${t}_fts(${t}_fts) VALUES ('rebuild')`);
    for (const s of statements) h.sqlite!.exec(s);
  }
}
