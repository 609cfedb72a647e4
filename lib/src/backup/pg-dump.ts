import { statSync } from "node:fs";
import { OperationRefused } from "./errors.ts";
import type { AppDatabase } from "./layout.ts";
import { describeDatabase, libpqTarget, type PgTool, runTool, serverVersion, withClient } from "./pg-tools.ts";

export interface PgDumpResult {
  bytes: number;
  serverVersion: string;
  schema: { migrations: number; latest: number | null } | null;
}

export interface PgDumpProgress {
  tablesDone: number;
  tables: number;
  bytes: number;
}

/**
 * Dumps an app's PostgreSQL database with pg_dump (custom format: compressed, one consistent
 * snapshot, restored table by table by pg_restore). A pg_dump older than the server cannot read
 * it: that is refused before anything is written, naming the versions and the fix.
 */
export async function dumpPostgres(
  db: AppDatabase,
  target: string,
  pgDump: PgTool,
  onProgress: (p: PgDumpProgress) => void,
): Promise<PgDumpResult> {
  const what = describeDatabase(db);
  const facts = await withClient(db.url!, what, async (sql) => {
    const version = await serverVersion(sql);
    if (version.major > pgDump.major)
      throw new OperationRefused(
        `pg_dump ${pgDump.version} (${pgDump.path}) cannot dump ${what}, a PostgreSQL ${version.major} server: ` +
          `install postgresql-client-${version.major} and set ` +
          `HIVEMATRIX_PG_BIN=/usr/lib/postgresql/${version.major}/bin`,
      );
    const [tables] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`;
    const [migrations] = await sql<{ present: boolean }[]>`
      SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`;
    let schema: PgDumpResult["schema"] = null;
    if (migrations!.present) {
      const [row] = await sql<{ n: number; latest: string | null }[]>`
        SELECT count(*)::int AS n, max(created_at)::text AS latest FROM drizzle.__drizzle_migrations`;
      schema = { migrations: row!.n, latest: row!.latest === null ? null : Number(row!.latest) };
    }
    return { version, tables: tables!.n, schema };
  });
  const { dbname, env } = libpqTarget(db.url!);
  let tablesDone = 0;
  const bytes = () => statSync(target, { throwIfNoEntry: false })?.size ?? 0;
  const timer = setInterval(() => onProgress({ tablesDone, tables: facts.tables, bytes: bytes() }), 250);
  try {
    const run = await runTool(
      [pgDump.path, "--format=custom", "--verbose", "--no-password", `--file=${target}`, `--dbname=${dbname}`],
      env,
      (line) => {
        if (/dumping contents of table/.test(line)) tablesDone++;
      },
    );
    if (!run.ok) throw new OperationRefused(`pg_dump of ${what} failed: ${run.error}`);
  } finally {
    clearInterval(timer);
  }
  onProgress({ tablesDone: facts.tables, tables: facts.tables, bytes: bytes() });
  return { bytes: bytes(), serverVersion: facts.version.text, schema: facts.schema };
}
