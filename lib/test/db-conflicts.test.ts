import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { createBaseApp } from "../src/app.ts";
import { lockKey, openDatabase, transaction, type DbHandle } from "../src/db.ts";
import { createLogger } from "../src/log.ts";
import { postgresTestUrl, tempHome, withPostgres } from "../src/testing/index.ts";
import * as schema from "./fixture/src/db/schema.ts";

type H = DbHandle<typeof schema>;
const migrationsDir = join(import.meta.dir, "fixture/src/db/migrations");
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
}, 60_000);

const engines: { name: "sqlite" | "postgres"; open(): Promise<H> }[] = [
  {
    name: "sqlite",
    async open() {
      const h = await openDatabase({ schema, databaseUrl: null, sqlitePath: join(tempHome(), "t.db"), migrationsDir });
      cleanups.push(() => h.close());
      return h;
    },
  },
];
if (postgresTestUrl())
  engines.push({
    name: "postgres",
    async open() {
      const pg = await withPostgres("hm_conflict");
      const h = await openDatabase({ schema, databaseUrl: pg.url, sqlitePath: "", migrationsDir });
      cleanups.push(async () => {
        await h.close();
        await pg.drop();
      });
      return h;
    },
  });

/** An app whose route inserts an owner with no check of its own, as a racing create would. */
function ownersApp(h: H) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: "t", level: "debug", write: (l) => lines.push(JSON.parse(l)) });
  const app = createBaseApp({ logger, service: "t" });
  app.post("/api/owners", async (c) => {
    const body = (await c.req.json()) as { name: string; email: string };
    const [row] = await h.db.insert(h.t.owners).values(body).returning();
    return c.json(row, 201);
  });
  const post = async (email: string): Promise<Response> =>
    app.fetch(
      new Request("http://t/api/owners", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Ann", email }),
      }),
    );
  return { post, lines };
}

for (const engine of engines) {
  describe(`unique-key conflicts on ${engine.name}`, () => {
    test("a duplicate is a 409 naming the constraint's fields, and the log keeps the database's cause", async () => {
      const h = await engine.open();
      const { post, lines } = ownersApp(h);
      expect((await post("ann@x")).status).toBe(201);
      const dup = await post("ann@x");
      expect(dup.status).toBe(409);
      const body = (await dup.json()) as { error: { code: string; details: Record<string, unknown> } };
      expect(body.error.code).toBe("conflict");
      expect(body.error.details).toMatchObject({ table: "owners", fields: ["email"] });
      if (engine.name === "postgres") expect(body.error.details.constraint).toBe("owners_email_uq");
      const logged = lines.find((l) => String(l.message).includes("conflict")) as {
        error: { message: string; code?: string; cause?: Record<string, unknown> };
      };
      if (engine.name === "postgres") {
        // drizzle's own message is "Failed query: …"; the database's answer is underneath.
        expect(logged.error.message).toContain("Failed query");
        expect(logged.error.cause).toMatchObject({ code: "23505", constraint_name: "owners_email_uq" });
        expect(String(logged.error.cause!.detail)).toContain("(email)=(ann@x)");
      } else {
        expect(logged.error).toMatchObject({ code: "SQLITE_CONSTRAINT_UNIQUE" });
        expect(logged.error.message).toContain("owners.email");
      }
    });

    test("50 racing creates of one key: one 201, 49 409s, never a 500", async () => {
      const h = await engine.open();
      const { post } = ownersApp(h);
      const statuses = await Promise.all(Array.from({ length: 50 }, () => post("race@x").then((r) => r.status)));
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(49);
      const [{ n }] = (await h.db.select({ n: count() }).from(h.t.owners)) as [{ n: number }];
      expect(Number(n)).toBe(1);
    });
  });

  describe(`read-modify-write inside lib's transaction on ${engine.name}`, () => {
    test("handle.db inside a transaction is that transaction: it sees its writes and rolls back with it", async () => {
      const h = await engine.open();
      await expect(
        transaction(h, async (tx) => {
          await tx.insert(h.t.owners).values({ name: "Bo", email: "bo@x" });
          const seen = await h.db.select().from(h.t.owners).where(eq(h.t.owners.email, "bo@x"));
          expect(seen).toHaveLength(1);
          await h.db.insert(h.t.owners).values({ name: "Cy", email: "cy@x" });
          throw new Error("undo");
        }),
      ).rejects.toThrow("undo");
      expect(await h.db.select().from(h.t.owners)).toEqual([]);
    });

    test("50 writers that look a key up, then create it, under lockKey: one row, every writer answered", async () => {
      const h = await engine.open();
      const created = await Promise.all(
        Array.from({ length: 50 }, () =>
          transaction(h, async (tx): Promise<number> => {
            await lockKey(h, "owners:lock@x");
            const [found] = await tx.select().from(h.t.owners).where(eq(h.t.owners.email, "lock@x"));
            if (found) return 0;
            // Widens the gap between look-up and insert that other writers could slip into.
            if (engine.name === "postgres") await tx.execute(sql`SELECT pg_sleep(0.02)`);
            await tx.insert(h.t.owners).values({ name: "Lock", email: "lock@x" });
            return 1;
          }),
        ),
      );
      expect(created.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await h.db.select().from(h.t.owners)).toHaveLength(1);
    });
  });
}
