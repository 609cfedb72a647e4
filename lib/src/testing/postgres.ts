import postgres from "postgres";

/**
 * The server Postgres tests use: HIVEMATRIX_TEST_POSTGRES_URL (CI sets it). Without it those
 * tests are skipped, unless HIVEMATRIX_REQUIRE_POSTGRES=1 makes that an error.
 */
export function postgresTestUrl(): string | null {
  const url = process.env.HIVEMATRIX_TEST_POSTGRES_URL || null;
  if (!url && process.env.HIVEMATRIX_REQUIRE_POSTGRES === "1") {
    throw new Error("HIVEMATRIX_REQUIRE_POSTGRES=1 but HIVEMATRIX_TEST_POSTGRES_URL is not set");
  }
  return url;
}

/** Creates an empty database for one test file; `drop()` removes it. */
export async function withPostgres(prefix = "hm_test"): Promise<{ url: string; drop(): Promise<void> }> {
  const base = postgresTestUrl();
  if (!base) throw new Error("HIVEMATRIX_TEST_POSTGRES_URL is not set");
  const name = `${prefix}_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
