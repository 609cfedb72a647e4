import { join } from "node:path";
import { openDatabase, openDatabaseWhenReachable, type DbHandle, type OpenOptions } from "@hivematrix/lib/db";
import type { AppConfig } from "@hivematrix/lib/config";
import type { Logger } from "@hivematrix/lib/log";
import * as schema from "./schema.ts";

export type HelmDb = DbHandle<typeof schema>;

type Location = Pick<AppConfig, "databaseUrl" | "sqlitePath"> & Partial<Pick<AppConfig, "databaseTimeouts">>;

function options(config: Location): OpenOptions<typeof schema> {
  return {
    schema,
    databaseUrl: config.databaseUrl,
    sqlitePath: config.sqlitePath,
    migrationsDir: join(import.meta.dir, "migrations"),
    timeouts: config.databaseTimeouts,
  };
}

/** Opens and migrates Helm's database; fails when it cannot be reached (tests, CLIs). */
export function openHelmDb(config: Location): Promise<HelmDb> {
  return openDatabase(options(config));
}

/** For the server: returns at once and waits for the database in the background (see lib/db). */
export function openHelmDbWhenReachable(config: Location, logger: Logger): HelmDb {
  return openDatabaseWhenReachable(options(config), logger);
}
