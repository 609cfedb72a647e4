/**
 * Codex's database at a seed scale on either engine, for the benchmarks: seeded when empty
 * (`bun run seed` does the same). `at` names one (a SQLite file or a postgres:// URL); with
 * `reuse` it is a fixed SQLite file in the temp folder or a fixed PostgreSQL database; either is
 * seeded once and kept for the next run (the large scale takes minutes to seed). Otherwise it is
 * a fresh one, removed by `release`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";
import { DEFAULT_DATABASE_TIMEOUTS } from "@hivematrix/lib/config";
import { postgresTestUrl, withPostgres } from "@hivematrix/lib/testing";
import { openCodexDb } from "@hivematrix/codex/deps";
import { isEmpty, type Scale, seed } from "@hivematrix/codex/seed";

export type Engine = "sqlite" | "postgres";

export interface SeededCodex {
  engine: Engine;
  /** Where Codex finds it: CODEX_DATABASE_URL, or the SQLite file. */
  databaseUrl: string | null;
  sqlitePath: string;
  release(): Promise<void>;
}

/** The PostgreSQL server the benchmarks use: the tests' (HIVEMATRIX_TEST_POSTGRES_URL). */
export function benchPostgresUrl(): string {
  const url = postgresTestUrl();
  if (!url)
    throw new Error(
      "--engine postgres needs a server where the user may create databases: set HIVEMATRIX_TEST_POSTGRES_URL " +
        "(e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres)",
    );
  return url;
}

async function kept(name: string): Promise<string> {
  const base = benchPostgresUrl();
  const admin = new SQL(base, { max: 1 });
  try {
    const [found] = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (!found) await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function location(engine: Engine, scale: Scale, reuse: boolean, at?: string) {
  if (at?.startsWith("postgres")) return { databaseUrl: at, sqlitePath: "", release: async () => {} };
  if (at) return { databaseUrl: null, sqlitePath: at, release: async () => {} };
  if (engine === "postgres") {
    if (reuse) return { databaseUrl: await kept(`hm_bench_codex_${scale}`), sqlitePath: "", release: async () => {} };
    const database = await withPostgres("hm_bench_codex");
    return { databaseUrl: database.url, sqlitePath: "", release: database.drop };
  }
  if (reuse)
    return { databaseUrl: null, sqlitePath: join(tmpdir(), `hm-bench-codex-${scale}.db`), release: async () => {} };
  const folder = mkdtempSync(join(tmpdir(), "hm-bench-codex-"));
  return {
    databaseUrl: null,
    sqlitePath: join(folder, "codex.db"),
    release: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** Codex's database seeded at `scale` on `engine`; `say` is told when seeding starts and ends. */
export async function seededCodex(
  engine: Engine,
  scale: Scale,
  keep: { reuse?: boolean; at?: string },
  say: (line: string) => void,
): Promise<SeededCodex> {
  const where = await location(engine, scale, keep.reuse ?? false, keep.at);
  // Seeding a large scale runs statements far longer than a request may.
  const db = await openCodexDb({ ...where, databaseTimeouts: { ...DEFAULT_DATABASE_TIMEOUTS, statementMs: 0 } });
  try {
    if (await isEmpty(db)) {
      say(`seeding Codex at the ${scale} scale on ${engine} (bun run seed --scale ${scale})…`);
      const summary = await seed(db, scale);
      say(
        `  ${summary.companies} companies, ${summary.contacts} contacts, ${summary.assets} assets, ` +
          `${summary.tickets} tickets in ${(summary.ms / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    await db.close();
  }
  return { engine: where.databaseUrl ? "postgres" : "sqlite", ...where };
}
