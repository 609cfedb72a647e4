import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresTestUrl, withPostgres } from "@hivematrix/lib/testing";
import { openCodexDb, type CodexDb } from "../../src/db/open.ts";

/** The engines a database test runs on: SQLite always, Postgres when the test server is configured. */
export const ENGINES: ("sqlite" | "postgres")[] = postgresTestUrl() ? ["sqlite", "postgres"] : ["sqlite"];

export interface OpenedDb {
  db: CodexDb;
  close(): Promise<void>;
}

/** A fresh, migrated Codex database on `engine`; close() removes it. */
export async function freshDb(engine: "sqlite" | "postgres"): Promise<OpenedDb> {
  if (engine === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "codex-int-"));
    const db = await openCodexDb({ databaseUrl: null, sqlitePath: join(dir, "codex.db") });
    return { db, close: () => db.close() };
  }
  const pg = await withPostgres("codex_int");
  const db = await openCodexDb({ databaseUrl: pg.url, sqlitePath: "" });
  return {
    db,
    async close() {
      await db.close();
      await pg.drop();
    },
  };
}
