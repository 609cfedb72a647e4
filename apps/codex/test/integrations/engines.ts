import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresTestUrl, withPostgres } from "@hivematrix/lib/testing";
import { openCodexDb, type CodexDb } from "../../src/deps.ts";

/** The engines a database test runs on: SQLite always, Postgres when the test server is configured. */
export const ENGINES: ("sqlite" | "postgres")[] = postgresTestUrl() ? ["sqlite", "postgres"] : ["sqlite"];

export interface OpenedDb {
  db: CodexDb;
  /** Where it lives, to open a second connection as another process would. */
  location: { databaseUrl: string | null; sqlitePath: string };
  close(): Promise<void>;
}

/** A second, independent handle on the same database. */
export function reopen(h: OpenedDb): Promise<CodexDb> {
  return openCodexDb(h.location);
}

/** A fresh, migrated Codex database on `engine`; close() removes it. */
export async function freshDb(engine: "sqlite" | "postgres"): Promise<OpenedDb> {
  if (engine === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "codex-int-"));
    const location = { databaseUrl: null, sqlitePath: join(dir, "codex.db") };
    const db = await openCodexDb(location);
    return {
      db,
      location,
      async close() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pg = await withPostgres("codex_int");
  const location = { databaseUrl: pg.url, sqlitePath: "" };
  const db = await openCodexDb(location);
  return {
    db,
    location,
    async close() {
      await db.close();
      await pg.drop();
    },
  };
}
