import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { Database } from "bun:sqlite";
import { sql } from "drizzle-orm";
import { drizzle as drizzleSqlite } from "drizzle-orm/bun-sqlite";
import { migrate as migrateSqlite } from "drizzle-orm/bun-sqlite/migrator";
import { drizzle as drizzlePg, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePg } from "drizzle-orm/postgres-js/migrator";
import type postgres from "postgres";
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from "./config.ts";
import { databaseCause, isDatabaseUnavailable, isUnknownHost } from "./db-errors.ts";
import { describeTarget, pgClient } from "./db-postgres.ts";
import { toSqliteSchema } from "./db-schema.ts";
import type { Logger } from "./log.ts";

export { toSqliteSchema };
export {
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  isDataException,
  isForeignKeyViolation,
  isUniqueViolation,
} from "./db-errors.ts";

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
  timeouts: DatabaseTimeouts;
  /** False until the database answered and was migrated and prepared (see openDatabaseWhenReachable). */
  readonly ready: boolean;
  /** Resolves once `ready`; rejects when the database refused for good (wrong password, migration failed). */
  whenReady: Promise<void>;
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
  /** Defaults to DEFAULT_DATABASE_TIMEOUTS; apps pass their config's `databaseTimeouts`. */
  timeouts?: DatabaseTimeouts;
}

/** Where an app's configuration puts its database (its SQLite file, or `<APP>_DATABASE_URL`) and how long it may take. */
export interface DatabaseLocation {
  databaseUrl: string | null;
  sqlitePath: string;
  databaseTimeouts?: DatabaseTimeouts;
}

/** The options to open an app's database with: its configuration, its schema and its migrations folder. */
export function appDatabase<S extends Record<string, unknown>>(
  config: DatabaseLocation,
  schema: S,
  migrationsDir: string,
): OpenOptions<S> {
  return {
    schema,
    databaseUrl: config.databaseUrl,
    sqlitePath: config.sqlitePath,
    migrationsDir,
    timeouts: config.databaseTimeouts,
  };
}

/** Opens an app's database and applies its migrations; fails when the database cannot be reached. */
export async function openDatabase<S extends Record<string, unknown>>(options: OpenOptions<S>): Promise<DbHandle<S>> {
  const handle = createHandle(options);
  if (handle.engine === "postgres") await migratePostgres(options, handle);
  readiness.set(handle, true);
  return handle;
}

/**
 * Opens an app's database without waiting for it: the handle is returned at once, not `ready`.
 * While the server cannot be reached the connection is retried with backoff (1 s doubling to
 * 30 s), logged in one line when the wait starts and one when it ends; as soon as it answers the
 * migrations run, then `prepare` (start-up work that must finish before requests are served),
 * and the handle becomes `ready`. A refusal that waiting cannot cure (wrong password, no such
 * database or host, a failing migration) rejects `whenReady`.
 */
export function openDatabaseWhenReachable<S extends Record<string, unknown>>(
  options: OpenOptions<S>,
  logger: Logger,
  prepare: (handle: DbHandle<S>) => Promise<void> = async () => {},
): DbHandle<S> {
  const handle = createHandle(options);
  const where = options.databaseUrl ? describeTarget(options.databaseUrl) : options.sqlitePath;
  handle.whenReady = (async () => {
    const since = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        if (handle.engine === "postgres") await migratePostgres(options, handle);
        await prepare(handle);
        readiness.set(handle, true);
        if (attempt > 0)
          logger.info(`the database at ${where} answers again; migrations applied`, {
            waited_s: Math.round((Date.now() - since) / 1000),
          });
        return;
      } catch (e) {
        if (!isDatabaseUnavailable(e) || isUnknownHost(e)) throw e;
        if (attempt === 0)
          logger.warn(`waiting for the database at ${where}; retrying until it answers`, {
            cause: databaseCause(e) ?? { message: (e as Error).message },
          });
        await Bun.sleep(Math.min(1000 * 2 ** attempt, 30_000));
      }
    }
  })();
  return handle;
}

// Handles whose database answered, was migrated and prepared.
const readiness = new WeakMap<object, boolean>();
// A connection without the statement timeout, for transactions declared long-running.
const unlimitedDbs = new WeakMap<object, () => Db<Record<string, unknown>>>();

function createHandle<S extends Record<string, unknown>>(options: OpenOptions<S>): DbHandle<S> {
  const timeouts = options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
  if (options.databaseUrl) {
    const url = options.databaseUrl;
    const client = pgClient(url, timeouts, options.poolSize ?? 10, true);
    const db = routedThroughTransactions(drizzlePg(client, { schema: options.schema }));
    let unlimited: { client: postgres.Sql; db: Db<S> } | null = null;
    const handle: DbHandle<S> = {
      engine: "postgres",
      db,
      t: options.schema,
      sqlite: null,
      pg: client,
      timeouts,
      get ready() {
        return readiness.get(handle) === true;
      },
      whenReady: Promise.resolve(),
      async close() {
        await Promise.all([client.end({ timeout: 5 }), unlimited?.client.end({ timeout: 5 })]);
      },
    };
    unlimitedDbs.set(handle, () => {
      if (!unlimited) {
        const c = pgClient(url, timeouts, 1, false);
        unlimited = { client: c, db: drizzlePg(c, { schema: options.schema }) as Db<S> };
      }
      return unlimited.db as Db<Record<string, unknown>>;
    });
    return handle;
  }
  if (options.sqlitePath !== ":memory:") mkdirSync(dirname(options.sqlitePath), { recursive: true });
  const sqlite = new Database(options.sqlitePath, { create: true, strict: true });
  sqlite.exec("PRAGMA journal_mode = WAL");
  // Another process holding the write lock longer than a statement may take is a 503, not a hang.
  sqlite.exec(`PRAGMA busy_timeout = ${timeouts.statementMs || 5000}`);
  sqlite.exec("PRAGMA foreign_keys = ON");
  sqlite.exec("PRAGMA synchronous = NORMAL");
  const t = toSqliteSchema(options.schema);
  const db = drizzleSqlite(sqlite, { schema: t });
  migrateSqlite(db, { migrationsFolder: join(options.migrationsDir, "sqlite") });
  const handle: DbHandle<S> = {
    engine: "sqlite",
    db: db as unknown as Db<S>,
    t,
    sqlite,
    pg: null,
    timeouts,
    get ready() {
      return readiness.get(handle) === true;
    },
    whenReady: Promise.resolve(),
    close: async () => sqlite.close(),
  };
  return handle;
}

/**
 * Applies the migrations on a connection of their own, without the statement timeout (an index
 * over a big table may take longer than any request should). Instances starting together take
 * turns under an advisory lock held by that connection: the first migrates, the others find
 * nothing left to apply (instead of racing to create drizzle's schema and tables).
 */
async function migratePostgres<S extends Record<string, unknown>>(options: OpenOptions<S>, handle: DbHandle<S>) {
  const client = pgClient(options.databaseUrl!, handle.timeouts, 1, false);
  try {
    await client`SELECT pg_advisory_lock(hashtext('hivematrix:migrations'))`;
    await migratePg(drizzlePg(client), { migrationsFolder: join(options.migrationsDir, "pg") });
  } finally {
    await client.end({ timeout: 5 }).catch(() => {});
  }
}

/**
 * `handle.db` inside `transaction(handle, fn)` is that transaction on Postgres too, as it is on
 * SQLite's single connection: a query written against `h.db` in code a transaction calls then
 * sees the transaction's own writes and takes part in its locks, instead of running on another
 * pooled connection (where it could wait on those very locks forever).
 */
function routedThroughTransactions<S extends Record<string, unknown>>(base: PostgresJsDatabase<S>): Db<S> {
  return new Proxy(base, {
    get(target, prop, receiver) {
      const current = (pgTx.getStore()?.get(receiver) as object | undefined) ?? target;
      const value = Reflect.get(current, prop, current);
      return typeof value === "function" ? value.bind(current) : value;
    },
  });
}

/**
 * Makes the rest of the current transaction wait for any other transaction holding `key`, until
 * one of them ends: for writes that first look up whether a record exists (a row lock cannot
 * lock a row that is not there yet). On SQLite a transaction already holds the database's write
 * lock, so there is nothing more to take. Call it inside `transaction`.
 */
export async function lockKey<S extends Record<string, unknown>>(handle: DbHandle<S>, key: string): Promise<void> {
  if (handle.engine !== "postgres") return;
  await handle.db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/**
 * `SELECT … FOR UPDATE` on Postgres: the rows read stay locked until the transaction ends, so
 * what is written next is computed from their current values. SQLite's transactions already
 * hold the write lock. Call it inside `transaction`.
 */
export function forUpdate<Q>(handle: { engine: "sqlite" | "postgres" }, query: Q): Q {
  return handle.engine === "postgres" ? (query as unknown as { for(s: "update"): Q }).for("update") : query;
}

const sqliteTx = new AsyncLocalStorage<{ depth: number }>();
// The open Postgres transaction of each handle (keyed by its `db`) in the current async context.
const pgTx = new AsyncLocalStorage<Map<object, unknown>>();
const sqliteLocks = new WeakMap<Database, Promise<unknown>>();

export class TransactionLeakError extends Error {
  override name = "TransactionLeakError";
}

export interface TransactionOptions {
  /**
   * Maintenance that may take longer than the statement timeout (clearing every ticket): on
   * Postgres it runs on a connection of its own without that limit.
   */
  longRunning?: boolean;
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
  options: TransactionOptions = {},
): Promise<T> {
  if (handle.engine === "postgres") {
    const open = pgTx.getStore();
    const outer = open?.get(handle.db) as Db<S> | undefined;
    const runner = outer ?? (options.longRunning ? (unlimitedDbs.get(handle)!() as Db<S>) : handle.db);
    return runner.transaction((tx) => pgTx.run(new Map(open).set(handle.db, tx), () => fn(tx as unknown as Db<S>)));
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
