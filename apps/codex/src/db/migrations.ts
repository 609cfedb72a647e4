import { join } from "node:path";

/** Codex's migrations, one folder per engine (`bun run db:generate <name>` writes both). */
export const MIGRATIONS_DIR = join(import.meta.dir, "migrations");
