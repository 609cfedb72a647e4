import type postgres from "postgres";
import { OperationRefused } from "./errors.ts";
import type { AppDatabase } from "./layout.ts";
import { databaseName, describeDatabase, libpqTarget, type PgTool, runTool, urlFor, withClient } from "./pg-tools.ts";

/** A target database's state before a restore: whether it exists, and who is connected to it. */
export interface PgTarget {
  db: AppDatabase;
  name: string;
  exists: boolean;
  /** The database CREATE and RENAME run from (the server's `postgres` database). */
  maintenanceUrl: string;
}

function maintenanceUrl(url: string): string {
  return urlFor(url, "postgres");
}

/**
 * Checks a PostgreSQL target can be restored into: reachable, and (unless only looking) nobody
 * connected to it, since a database in use cannot be renamed.
 */
export async function inspectTarget(
  db: AppDatabase,
  pgRestore: PgTool,
  dumpVersion: string,
  requireIdle: boolean,
): Promise<PgTarget> {
  const what = describeDatabase(db);
  if (pgRestore.major < Number(dumpVersion.split(".")[0]))
    throw new OperationRefused(
      `pg_restore ${pgRestore.version} (${pgRestore.path}) cannot read ${db.app}'s dump, written by pg_dump ` +
        `${dumpVersion}: ` +
        "install a newer PostgreSQL client or set HIVEMATRIX_PG_BIN",
    );
  const name = databaseName(db.url!);
  const url = maintenanceUrl(db.url!);
  return withClient(url, what, async (sql) => {
    const [row] = await sql<{ exists: boolean; sessions: number }[]>`
      SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ${name}) AS exists,
             (SELECT count(*)::int FROM pg_stat_activity
               WHERE datname = ${name} AND pid <> pg_backend_pid()) AS sessions`;
    if (requireIdle && row!.sessions > 0)
      throw new OperationRefused(
        `${what} has ${row!.sessions} open connection(s): stop whatever uses it (HiveMatrix on another ` +
          `machine?) and try again`,
      );
    return { db, name, exists: row!.exists, maintenanceUrl: url };
  });
}

/** Runs `fn` on the target's server, from its maintenance database. */
export function onServer<T>(target: PgTarget, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  return withClient(target.maintenanceUrl, describeDatabase(target.db), fn);
}

/**
 * Restores a dump into a new database `staging` on the target's server (pg_restore in one
 * transaction, owned by the URL's user): the target itself is untouched until the swap renames.
 */
export async function restoreIntoStaging(target: PgTarget, staging: string, dump: string, pgRestore: PgTool) {
  await onServer(target, (sql) => sql`CREATE DATABASE ${sql(staging)}`).catch((e: Error) => {
    if (!e.message.endsWith("[42501]")) throw e;
    throw new OperationRefused(
      `${e.message}: the user of ${target.db.variable} must be allowed to create databases (CREATEDB) to ` +
        `stage a restore`,
    );
  });
  const { dbname, env } = libpqTarget(urlFor(target.db.url!, staging));
  const run = await runTool(
    [
      pgRestore.path,
      "--no-owner",
      "--no-privileges",
      "--exit-on-error",
      "--single-transaction",
      "--no-password",
      `--dbname=${dbname}`,
      dump,
    ],
    env,
  );
  if (!run.ok) {
    await dropDatabase(target, staging);
    throw new OperationRefused(`pg_restore of ${target.db.app}'s database failed: ${run.error}`);
  }
}

export function dropDatabase(target: PgTarget, name: string): Promise<unknown> {
  return onServer(target, (sql) => sql`DROP DATABASE IF EXISTS ${sql(name)}`).catch(() => {});
}

export function renameDatabase(target: PgTarget, from: string, to: string): Promise<unknown> {
  return onServer(target, (sql) => sql`ALTER DATABASE ${sql(from)} RENAME TO ${sql(to)}`);
}

/** A database name with a suffix, within PostgreSQL's 63-byte limit. */
export function suffixed(name: string, suffix: string): string {
  return `${name.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}
