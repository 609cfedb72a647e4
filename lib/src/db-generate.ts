/**
 * Generates an app's checked-in migrations for both engines from its one pg-core schema:
 * run `bun run db:generate [name]` inside apps/<app> (or set HM_SCHEMA_DIR). Writes
 * src/db/migrations/{pg,sqlite} next to src/db/schema.ts. `--custom` makes an empty migration
 * per engine to write by hand (data repairs, partial indexes).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";

const appDir = process.env.HM_SCHEMA_DIR ? resolve(process.env.HM_SCHEMA_DIR) : process.cwd();
const schemaPath = resolve(appDir, "src/db/schema.ts");
const custom = process.argv.includes("--custom");
const name = process.argv.slice(2).find((a) => !a.startsWith("--"));
const schema = (await import(schemaPath)) as Record<string, unknown>;
const tables = Object.entries(schema)
  .filter(([, v]) => is(v, PgTable))
  .map(([k]) => k);

const tmp = mkdtempSync(join(tmpdir(), "hm-dbgen-"));
const sqliteSchema = join(tmp, "schema.sqlite.ts");
writeFileSync(
  sqliteSchema,
  [
    `import * as pg from ${JSON.stringify(schemaPath)};`,
    `import { toSqliteSchema } from ${JSON.stringify(resolve(import.meta.dir, "db-schema.ts"))};`,
    `const s = toSqliteSchema(pg);`,
    ...tables.map((t) => `export const ${t} = s.${t};`),
  ].join("\n"),
);

const kit = resolve(import.meta.dir, "../node_modules/.bin/drizzle-kit");
function generate(dialect: "postgresql" | "sqlite", schemaFile: string, out: string) {
  const args = [kit, "generate", `--dialect=${dialect}`, `--schema=${schemaFile}`, `--out=${out}`];
  if (name) args.push(`--name=${name}`);
  if (custom) args.push("--custom");
  const r = Bun.spawnSync(args, { cwd: appDir, stdout: "inherit", stderr: "inherit" });
  if (r.exitCode !== 0) throw new Error(`drizzle-kit generate (${dialect}) failed`);
}
try {
  generate("postgresql", schemaPath, "src/db/migrations/pg");
  generate("sqlite", sqliteSchema, "src/db/migrations/sqlite");
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
