import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { openDatabase } from "@hivematrix/lib/db";
import { createLogger } from "@hivematrix/lib/log";
import { upsertAssets } from "../src/assets/data.ts";
import { reportDataRepairs } from "../src/data/repairs.ts";
import { MIGRATIONS_DIR } from "../src/db/migrations.ts";
import { openCodexDb } from "../src/deps.ts";
import * as schema from "../src/db/schema.ts";
import { postgresTestUrl, tempHome, withPostgres } from "@hivematrix/lib/testing";

const MIGRATION = "unique_asset_hostnames";

/** The migrations up to (not including) the one that merges duplicate assets. */
function migrationsBefore(): string {
  const dir = mkdtempSync(join(tmpdir(), "codex-migrations-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const engine of ["pg", "sqlite"]) {
    const file = join(dir, engine, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(file, "utf8")) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag.endsWith(MIGRATION));
    journal.entries = journal.entries.slice(0, at);
    writeFileSync(file, JSON.stringify(journal));
  }
  return dir;
}

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

/** Where an empty database of `engine` lives. */
async function emptyDatabase(engine: "sqlite" | "postgres") {
  if (engine === "sqlite") return { databaseUrl: null, sqlitePath: join(tempHome(), "codex.db") };
  const pg = await withPostgres("hm_codex_merge");
  drops.push(pg.drop);
  return { databaseUrl: pg.url, sqlitePath: "" };
}

for (const engine of postgresTestUrl() ? (["sqlite", "postgres"] as const) : (["sqlite"] as const)) {
  describe(`the migration making company + hostname unique, on ${engine}`, () => {
    test("merges the copies concurrent upserts made into the oldest, moves their links, and reports it once", async () => {
      // An empty database at the migration before, filled as the racing upserts left it.
      const location = await emptyDatabase(engine);
      const old = await openDatabase({ schema, ...location, migrationsDir: migrationsBefore() });
      const t = old.t;
      const [company] = await old.db.insert(t.companies).values({ accountNumber: "DUP-1", name: "Dup" }).returning();
      const asset = (hostname: string, extra: Partial<typeof t.assets.$inferInsert> = {}) =>
        old.db
          .insert(t.assets)
          .values({ companyId: company!.id, hostname, assetType: "workstation", ...extra })
          .returning()
          .then((r) => r[0]!);
      const ws1 = [await asset("WS-1"), await asset("WS-1"), await asset("WS-1")];
      const ws2 = [await asset("WS-2"), await asset("WS-2")];
      await asset("WS-3");
      const synced = [
        await asset("WS-1", { externalSource: "datto", externalId: "a" }),
        await asset("WS-1", { externalSource: "datto", externalId: "b" }),
      ];
      // Written out: today's contacts table has columns this migration's database does not.
      const contactId = old.sqlite
        ? (
            old.sqlite
              .query(
                "INSERT INTO contacts (name, email, secondary_emails, active, vip, created_at, updated_at)" +
                  " VALUES ('Ann', 'ann@dup.example', '[]', 1, 0, ?1, ?1) RETURNING id",
              )
              .get(Date.now()) as { id: number }
          ).id
        : (
            await old.pg!`INSERT INTO contacts (name, email, secondary_emails, active, vip, created_at, updated_at)
              VALUES ('Ann', 'ann@dup.example', '[]'::jsonb, true, false, now(), now()) RETURNING id`
          )[0]!.id;
      await old.db.insert(t.assetContacts).values({ assetId: ws1[2]!.id, contactId });
      await old.db
        .insert(t.assetBillingOverrides)
        .values({ assetId: ws2[1]!.id, billingType: "custom", customCents: 1234 });
      await old.close();

      const h = await openCodexDb(location);
      const left = await h.db.select().from(h.t.assets).where(isNull(h.t.assets.externalId)).orderBy(h.t.assets.id);
      expect(left.map((a) => [a.id, a.hostname])).toEqual([
        [ws1[0]!.id, "WS-1"],
        [ws2[0]!.id, "WS-2"],
        [ws2[1]!.id + 1, "WS-3"],
      ]);
      // Synced devices may share a hostname: they are not touched.
      expect(
        (await h.db.select().from(h.t.assets).where(eq(h.t.assets.externalSource, "datto"))).map((a) => a.id),
      ).toEqual(synced.map((a) => a.id));
      expect(await h.db.select().from(h.t.assetContacts)).toEqual([{ assetId: ws1[0]!.id, contactId }]);
      expect(
        (await h.db.select().from(h.t.assetBillingOverrides)).map((o) => [o.assetId, o.billingType, o.customCents]),
      ).toEqual([[ws2[0]!.id, "custom", 1234]]);
      const audits = await h.db
        .select()
        .from(h.t.auditLog)
        .where(and(eq(h.t.auditLog.actor, `migration:${MIGRATION}`), eq(h.t.auditLog.action, "delete")));
      expect(audits.map((a) => Number(a.entityId)).sort((a, b) => a - b)).toEqual([ws1[1]!.id, ws1[2]!.id, ws2[1]!.id]);

      const lines: Record<string, unknown>[] = [];
      const logger = createLogger({ service: "codex", write: (l) => lines.push(JSON.parse(l)) });
      expect(await reportDataRepairs(h, logger)).toBe(2);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: "WARNING",
        message: "database repair: 3 duplicate asset records merged into 2",
        migration: MIGRATION,
        merges: [
          { kept_id: ws1[0]!.id, removed: 2, detail: "company DUP-1, hostname WS-1" },
          { kept_id: ws2[0]!.id, removed: 1, detail: "company DUP-1, hostname WS-2" },
        ],
      });
      expect(await reportDataRepairs(h, logger)).toBe(0);

      // From now on a row by hostname updates the one asset no sync owns, never makes another.
      const result = await upsertAssets(h, [{ company: "DUP-1", hostname: "WS-1", description: "kept" }], {
        name: "test",
      });
      expect(result.results[0]).toMatchObject({ status: "updated", id: ws1[0]!.id });
      await h.close();
    });
  });
}
