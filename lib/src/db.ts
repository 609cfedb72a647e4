import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { Database } from "bun:sqlite";
import { drizzle as drizzleSqlite } from "drizzle-orm/bun-sqlite";
import { migrate as migrateSqlite } from "drizzle-orm/bun-sqlite/migrator";
import { drizzle as drizzlePg, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePg } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { toSqliteSchema } from "./db-schema.ts";

export { toSqliteSchema };
export { isDataException, isForeignKeyViolation, isUniqueViolation } from "./db-errors.ts";

/**
 * The query API apps write against. It is drizzle's Postgres API; on SQLite the same calls run
 * on the derived SQLite tables. Use only `await query` (never `.get()`, `.all()` or `.run()`).
 */
export type Db<S extends Record<string, unknown>> = PostgresJsDatabase<S>;

export interface DbHandle<S extends Record<string, unknown>> {
  engine: "sqlite" | "postgres";
  db: Db<S>;
  /** The tables to query: `handle.t.companies` is the right table for this engine. */
  t: S;
  /** The raw bun:sqlite connection (SQLite only): FTS5 and pragmas. */
  sqlite: Database | null;
  /** The raw postgres.js client (Postgres only). */
  pg: postgres.Sql | null;
  close(): Promise<void>;
}

export interface OpenOptions<S extends Record<string, unknown>> {
  schema: S;
  /** postgres:// URL, or null for SQLite at `sqlitePath`. */
  databaseUrl: string | null;
  sqlitePath: string;
  /** Folder holding `sqlite/` and `pg/` drizzle-kit migration folders. */
  migrationsDir: string;
  /** Max Postgres connections for this process. */
  poolSize?: number;
}

/** Opens an app's database and applies its migrations. */
export async function openDatabase<S extends Record<string, unknown>>(options: OpenOptions<S>): Promise<DbHandle<S>> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, { max: options.poolSize ?? 10, onnotice: () => {} });
    const db = drizzlePg(client, { schema: options.schema });
    await migratePg(db, { migrationsFolder: join(options.migrationsDir, "pg") });
    return {
      engine: "postgres",
      db,
      t: options.schema,
      sqlite: null,
      pg: client,
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.sqlitePath !== ":memory:") mkdirSync(dirname(options.sqlitePath), { recursive: true });
  const sqlite = new Database(options.sqlitePath, { create: true, strict: true });
  sqlite.exec("PRAGMA journal_mode = WAL");
  sqlite.exec("PRAGMA busy_timeout = 5000");
  sqlite.exec("PRAGMA foreign_keys = ON");
  sqlite.exec("PRAGMA synchronous = NORMAL");
  const t = toSqliteSchema(options.schema);
  const db = drizzleSqlite(sqlite, { schema: t });
  migrateSqlite(db, { migrationsFolder: join(options.migrationsDir, "sqlite") });
  return {
    engine: "sqlite",
    db: db as unknown as Db<S>,
    t,
    sqlite,
    pg: null,
    close: async () => sqlite.close(),
  };
}

const sqliteTx = new AsyncLocalStorage<{ depth: number }>();
const pgTx = new AsyncLocalStorage<unknown>();
const sqliteLocks = new WeakMap<Database, Promise<unknown>>();

export class TransactionLeakError extends Error {
  override name = "TransactionLeakError";
}

/**
 * Runs `fn` in a transaction that commits when it resolves and rolls back when it throws,
 * on both engines. On SQLite the connection is shared by every request, so `fn` must await
 * only database work: awaiting anything else (fetch, timers, files) would let other requests'
 * statements into this transaction, so it is detected, rolled back and reported.
 */
export async function transaction<S extends Record<string, unknown>, T>(
  handle: DbHandle<S>,
  fn: (tx: Db<S>) => Promise<T>,
): Promise<T> {
  if (handle.engine === "postgres") {
    const outerPg = pgTx.getStore() as Db<S> | undefined;
    const runner = outerPg ?? handle.db;
    return runner.transaction((tx) => pgTx.run(tx as unknown as Db<S>, () => fn(tx as unknown as Db<S>)));
  }
  const sqlite = handle.sqlite!;
  const outer = sqliteTx.getStore();
  if (outer) {
    const name = `sp${outer.depth + 1}`;
    sqlite.exec(`SAVEPOINT ${name}`);
    try {
      const result = await sqliteTx.run({ depth: outer.depth + 1 }, () => fn(handle.db));
      sqlite.exec(`RELEASE ${name}`);
      return result;
    } catch (e) {
      sqlite.exec(`ROLLBACK TO ${name}`);
      sqlite.exec(`RELEASE ${name}`);
      throw e;
    }
  }
  const previous = sqliteLocks.get(sqlite) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  sqliteLocks.set(
    sqlite,
    previous.then(() => mine),
  );
  await previous;
  let finished = false;
  let leaked = false;
  const guard = setImmediate(() => {
    if (!finished) leaked = true;
  });
  sqlite.exec("BEGIN IMMEDIATE");
  try {
    const result = await sqliteTx.run({ depth: 0 }, () => fn(handle.db));
    if (leaked) throw new TransactionLeakError("a SQLite transaction awaited non-database work; it was rolled back");
    sqlite.exec("COMMIT");
    return result;
  } catch (e) {
    sqlite.exec("ROLLBACK");
    throw e;
  } finally {
    finished = true;
    clearImmediate(guard);
    release();
  }
}
