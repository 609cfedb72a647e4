import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import {
  isDataException,
  isForeignKeyViolation,
  isUniqueViolation,
  openDatabase,
  transaction,
  TransactionLeakError,
  type DbHandle,
} from "../src/db.ts";
import { postgresTestUrl, tempHome, withPostgres } from "../src/testing/index.ts";
import * as schema from "./fixture/src/db/schema.ts";

type H = DbHandle<typeof schema>;
const migrationsDir = join(import.meta.dir, "fixture/src/db/migrations");
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
}, 60_000);

const engines: { name: string; open(): Promise<H> }[] = [
  {
    name: "SQLite",
    open: async () => {
      const h = await openDatabase({
        schema,
        databaseUrl: null,
        sqlitePath: join(tempHome(), "data", "t.db"),
        migrationsDir,
      });
      cleanups.push(() => h.close());
      return h;
    },
  },
];
if (postgresTestUrl()) {
  engines.push({
    name: "Postgres",
    open: async () => {
      const pg = await withPostgres("hm_lib");
      const h = await openDatabase({ schema, databaseUrl: pg.url, sqlitePath: "", migrationsDir });
      cleanups.push(async () => {
        await h.close();
        await pg.drop();
      });
      return h;
    },
  });
}

const count = async (h: H) => (await h.db.select().from(h.t.owners)).length;

for (const engine of engines) {
  describe(`lib/db on ${engine.name}`, () => {
    test("stores and returns every portable column kind identically", async () => {
      const h = await engine.open();
      const created = new Date("2026-01-02T03:04:05.678Z");
      const [row] = await h.db
        .insert(h.t.owners)
        .values({ name: "Ann", email: "ann@x", score: 1.5, big: 2 ** 40, tags: ["a", "b"], createdAt: created })
        .returning();
      expect(row).toEqual({
        id: row!.id,
        name: "Ann",
        email: "ann@x",
        tier: "silver",
        active: true,
        score: 1.5,
        big: 2 ** 40,
        tags: ["a", "b"],
        createdAt: created,
      });
      const [back] = await h.db.select().from(h.t.owners).where(eq(h.t.owners.id, row!.id));
      expect(back).toEqual(row!);
    });

    if (engine.name === "Postgres") {
      test("a value a column cannot hold (NUL in text, an integer out of range) is told apart as bad input", async () => {
        const h = await engine.open();
        const nul = await h.db
          .insert(h.t.owners)
          .values({ name: "a\u0000b", email: "nul@x" })
          .catch((e: unknown) => e);
        expect(isDataException(nul)).toBe(true);
        const [owner] = await h.db.insert(h.t.owners).values({ name: "Ok", email: "ok@x" }).returning();
        const overflow = await h.db
          .insert(h.t.pets)
          .values({ ownerId: owner!.id, name: "x" })
          .then(() =>
            h.db
              .select()
              .from(h.t.pets)
              .where(eq(h.t.pets.ownerId, 2 ** 40)),
          )
          .catch((e: unknown) => e);
        expect(isDataException(overflow)).toBe(true);
        const duplicate = await h.db
          .insert(h.t.owners)
          .values({ name: "Ok", email: "ok@x" })
          .catch((e: unknown) => e);
        expect([isUniqueViolation(duplicate), isDataException(duplicate)]).toEqual([true, false]);
      });
    }

    test("a transaction that throws after writing leaves nothing behind", async () => {
      const h = await engine.open();
      await expect(
        transaction(h, async (tx) => {
          await tx.insert(h.t.owners).values({ name: "Bob", email: "bob@x" });
          await tx.insert(h.t.owners).values({ name: "Cy", email: "cy@x" });
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await count(h)).toBe(0);
    });

    test("a transaction that succeeds commits everything", async () => {
      const h = await engine.open();
      const id = await transaction(h, async (tx) => {
        const [o] = await tx.insert(h.t.owners).values({ name: "Dee", email: "dee@x" }).returning();
        await tx.insert(h.t.pets).values({ ownerId: o!.id, name: "Rex" });
        return o!.id;
      });
      expect(await count(h)).toBe(1);
      expect((await h.db.select().from(h.t.pets).where(eq(h.t.pets.ownerId, id))).length).toBe(1);
    });

    test("a failing nested transaction rolls back only its own part", async () => {
      const h = await engine.open();
      await transaction(h, async (tx) => {
        await tx.insert(h.t.owners).values({ name: "Eve", email: "eve@x" });
        await expect(
          transaction(h, async (inner) => {
            await inner.insert(h.t.owners).values({ name: "Fay", email: "fay@x" });
            throw new Error("inner");
          }),
        ).rejects.toThrow("inner");
      });
      expect((await h.db.select().from(h.t.owners)).map((o) => o.name)).toEqual(["Eve"]);
    });

    test("a constraint violation inside a transaction rolls back the earlier writes", async () => {
      const h = await engine.open();
      await h.db.insert(h.t.owners).values({ name: "Gil", email: "gil@x" });
      let caught: unknown;
      try {
        await transaction(h, async (tx) => {
          await tx.insert(h.t.owners).values({ name: "Hal", email: "hal@x" });
          await tx.insert(h.t.owners).values({ name: "Gil again", email: "gil@x" });
        });
      } catch (e) {
        caught = e;
      }
      expect(isUniqueViolation(caught)).toBe(true);
      expect(isForeignKeyViolation(caught)).toBe(false);
      expect((await h.db.select().from(h.t.owners)).map((o) => o.name)).toEqual(["Gil"]);
    });

    test("foreign keys are enforced and cascade", async () => {
      const h = await engine.open();
      let caught: unknown;
      try {
        await h.db.insert(h.t.pets).values({ ownerId: 999_999, name: "Orphan" });
      } catch (e) {
        caught = e;
      }
      expect(isForeignKeyViolation(caught)).toBe(true);
      const [o] = await h.db.insert(h.t.owners).values({ name: "Ivy", email: "ivy@x" }).returning();
      const [p] = await h.db.insert(h.t.pets).values({ ownerId: o!.id, name: "Tom" }).returning();
      await h.db.insert(h.t.tagsOnPets).values({ petId: p!.id, tag: "cat" });
      await h.db.delete(h.t.owners).where(eq(h.t.owners.id, o!.id));
      expect(await h.db.select().from(h.t.tagsOnPets)).toEqual([]);
    });
  });
}

describe("lib/db on SQLite only", () => {
  test("a transaction that awaits non-database work is rolled back and reported", async () => {
    const h = await engines[0]!.open();
    await expect(
      transaction(h, async (tx) => {
        await tx.insert(h.t.owners).values({ name: "Jo", email: "jo@x" });
        await Bun.sleep(5);
      }),
    ).rejects.toBeInstanceOf(TransactionLeakError);
    expect(await count(h)).toBe(0);
  });

  test("concurrent transactions run one after another", async () => {
    const h = await engines[0]!.open();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        transaction(h, async (tx) => {
          await tx.insert(h.t.owners).values({ name: `n${i}`, email: `n${i}@x` });
        }),
      ),
    );
    expect(await count(h)).toBe(20);
  });

  test("the database runs in WAL mode with foreign keys on", async () => {
    const h = await engines[0]!.open();
    expect(h.sqlite!.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    expect(h.sqlite!.query("PRAGMA foreign_keys").get()).toEqual({ foreign_keys: 1 });
    expect(h.sqlite!.query("PRAGMA busy_timeout").get()).toEqual({ timeout: h.timeouts.statementMs });
  });
});
