import { join } from "node:path";
import { openDatabase, type DbHandle } from "@hivematrix/lib/db";
import type { AppConfig } from "@hivematrix/lib/config";
import * as schema from "./schema.ts";

export type HelmDb = DbHandle<typeof schema>;

export function openHelmDb(config: Pick<AppConfig, "databaseUrl" | "sqlitePath">): Promise<HelmDb> {
  return openDatabase({
    schema,
    databaseUrl: config.databaseUrl,
    sqlitePath: config.sqlitePath,
    migrationsDir: join(import.meta.dir, "migrations"),
  });
}
