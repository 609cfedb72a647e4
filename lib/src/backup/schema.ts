import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { OperationRefused } from "./errors.ts";
import type { Manifest } from "./manifest.ts";

const journalSchema = z.object({ entries: z.array(z.object({ when: z.number(), tag: z.string() })) });

/**
 * The migrations this code ships for an app and engine (drizzle-kit's journal, DESIGN.md "Inside
 * an app": src/db/migrations/{sqlite,pg}); null when the app has none. drizzle records each
 * applied one by its journal time, so a database that has a later one was made by newer code.
 */
export function codeMigrations(root: string, app: string, engine: "sqlite" | "postgres") {
  const file = join(
    root,
    "apps",
    app,
    "src",
    "db",
    "migrations",
    engine === "postgres" ? "pg" : "sqlite",
    "meta",
    "_journal.json",
  );
  if (!existsSync(file)) return null;
  const journal = journalSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const latest = journal.entries.reduce<number | null>((max, e) => (max === null || e.when > max ? e.when : max), null);
  return { migrations: journal.entries.length, latest };
}

/** Refuses a backup any of whose databases has migrations this code does not know. */
export function checkSchemas(manifest: Manifest, root: string): void {
  for (const db of manifest.databases) {
    if (!db.schema || db.schema.latest === null) continue;
    const code = codeMigrations(root, db.app, db.engine);
    if (!code) continue;
    if (code.latest === null || db.schema.latest > code.latest || db.schema.migrations > code.migrations)
      throw new OperationRefused(
        `${db.app}'s database in this backup has a newer schema than this code (migration of ` +
          `${new Date(db.schema.latest).toISOString()}; the backup was made by HiveMatrix ${manifest.version}): ` +
          "update the code to that version first",
      );
  }
}
