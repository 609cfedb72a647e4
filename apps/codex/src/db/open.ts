import { join } from "node:path";
import { openDatabase, openDatabaseWhenReachable, type DbHandle, type OpenOptions } from "@hivematrix/lib/db";
import type { AppConfig } from "@hivematrix/lib/config";
import type { Logger } from "@hivematrix/lib/log";
import * as schema from "./schema.ts";

export type CodexDb = DbHandle<typeof schema>;

export const MIGRATIONS_DIR = join(import.meta.dir, "migrations");

type Location = Pick<AppConfig, "databaseUrl" | "sqlitePath"> & Partial<Pick<AppConfig, "databaseTimeouts">>;

function options(config: Location): OpenOptions<typeof schema> {
  return {
    schema,
    databaseUrl: config.databaseUrl,
    sqlitePath: config.sqlitePath,
    migrationsDir: MIGRATIONS_DIR,
    timeouts: config.databaseTimeouts,
  };
}

/** Opens and migrates Codex's database; fails when it cannot be reached (tests, CLIs). */
export function openCodexDb(config: Location): Promise<CodexDb> {
  return openDatabase(options(config));
}

/** For the server: returns at once and waits for the database in the background (see lib/db). */
export function openCodexDbWhenReachable(
  config: Location,
  logger: Logger,
  prepare: (h: CodexDb) => Promise<void>,
): CodexDb {
  return openDatabaseWhenReachable(options(config), logger, prepare);
}
