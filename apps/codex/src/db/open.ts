import { join } from "node:path";
import { openDatabase, type DbHandle } from "@hivematrix/lib/db";
import type { AppConfig } from "@hivematrix/lib/config";
import * as schema from "./schema.ts";

export type CodexDb = DbHandle<typeof schema>;

export const MIGRATIONS_DIR = join(import.meta.dir, "migrations");

export function openCodexDb(config: Pick<AppConfig, "databaseUrl" | "sqlitePath">): Promise<CodexDb> {
  return openDatabase({
    schema,
    databaseUrl: config.databaseUrl,
    sqlitePath: config.sqlitePath,
    migrationsDir: MIGRATIONS_DIR,
  });
}
