import { existsSync } from "node:fs";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { readMigrationFiles } from "drizzle-orm/migrator";

/**
 * A dev-idp.db written before the dev IdP's tables came from db/schema.ts holds the tables of
 * migration 0000, made by hand (the same columns; only the unique indexes are named otherwise).
 * Recording 0000 as applied, as drizzle's migrator records it, lets the migrator go on from 0001,
 * so every user, group and signed-in session of that file is kept. True when it did.
 */
export function adoptPreMigrationFile(sqlitePath: string, migrationsDir: string): boolean {
  if (!existsSync(sqlitePath)) return false;
  const file = new Database(sqlitePath, { strict: true });
  try {
    const table = (name: string) =>
      file.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== null;
    if (!table("users") || !table("oidc") || table("__drizzle_migrations")) return false;
    const [first] = readMigrationFiles({ migrationsFolder: join(migrationsDir, "sqlite") });
    file.transaction(() => {
      file.exec("CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)");
      file
        .query("INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)")
        .run(first!.hash, first!.folderMillis);
    })();
    return true;
  } finally {
    file.close();
  }
}
