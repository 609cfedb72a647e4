import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import { createBaseApp } from "@hivematrix/lib/app";
import { idempotent, purgeIdempotencyKeys } from "@hivematrix/lib/idempotency";
import { createLogger } from "@hivematrix/lib/log";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";

for (const engine of ENGINES) {
  describe(`Idempotency-Key on ${engine}`, () => {
    let codex: CodexUnderTest;
    let ticketId: number;
    const withKey = (
      key: string,
      method: string,
      path: string,
      body: unknown,
      level: "technician" | "admin" = "technician",
    ) => codex.call(level, method, path, body, { "idempotency-key": key });
    const rows = async (table: "ticketTimeEntries" | "ticketEntries" | "companies" | "assets") => {
      const db = codex.deps.db;
      const [{ n }] = (await db.db.select({ n: count() }).from(db.t[table])) as [{ n: number }];
      return Number(n);
    };

    beforeAll(async () => {
      codex = await startCodex(engine);
      await codex.call("technician", "POST", "/api/companies", { account_number: "IDEM-1", name: "Idem" });
      ticketId = (
        await (await codex.call("technician", "POST", "/api/tickets", { company: "IDEM-1", subject: "S" })).json()
      ).id;
    });
    afterAll(() => codex.stop());

    test("a retry with the same key gets the first answer and writes nothing", async () => {
      for (const [path, body, table] of [
        [`/api/tickets/${0}/time-entries`, { minutes: 15 }, "ticketTimeEntries"],
        [`/api/tickets/${0}/replies`, { body: "On my way" }, "ticketEntries"],
        [`/api/tickets/${0}/notes`, { body: "Private" }, "ticketEntries"],
        ["/api/companies", { account_number: "IDEM-2", name: "Two" }, "companies"],
        ["/api/assets", { company: "IDEM-1", hostname: "IDEM-WS" }, "assets"],
      ] as const) {
        const url = path.replace("/0/", `/${ticketId}/`);
        const key = crypto.randomUUID();
        const before = await rows(table);
        const first = await withKey(key, "POST", url, body);
        expect(first.status).toBe(201);
        const firstBody = await first.text();
        const again = await withKey(key, "POST", url, body);
        expect(again.status).toBe(201);
        expect(again.headers.get("idempotent-replayed")).toBe("true");
        expect(await again.text()).toBe(firstBody);
        expect(await rows(table)).toBe(before + 1);
      }
      const ticket = await (await codex.call("technician", "GET", `/api/tickets/${ticketId}`)).json();
      expect(ticket.total_minutes).toBe(15);
    });

    test("the same key with a different body is a 422 and writes nothing", async () => {
      const key = crypto.randomUUID();
      const url = `/api/tickets/${ticketId}/time-entries`;
      expect((await withKey(key, "POST", url, { minutes: 5 })).status).toBe(201);
      const before = await rows("ticketTimeEntries");
      const other = await withKey(key, "POST", url, { minutes: 50 });
      expect(other.status).toBe(422);
      expect((await other.json()).error.code).toBe("idempotency_key_reused");
      expect(await rows("ticketTimeEntries")).toBe(before);
    });

    test("concurrent requests with one key: one runs, every other gets its answer or a 409, one row written", async () => {
      const key = crypto.randomUUID();
      const before = await rows("ticketTimeEntries");
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => withKey(key, "POST", `/api/tickets/${ticketId}/time-entries`, { minutes: 7 })),
      );
      const bodies = await Promise.all(answers.map((r) => r.json()));
      const created = answers.flatMap((r, i) => (r.status === 201 ? [bodies[i].id] : []));
      expect(answers.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      expect(created.length).toBeGreaterThan(0);
      expect(new Set(created).size).toBe(1);
      expect(await rows("ticketTimeEntries")).toBe(before + 1);
    });

    test("keys belong to their caller: another user's request with the same key runs on its own", async () => {
      const key = crypto.randomUUID();
      const body = { company: "IDEM-1", hostname: "SHARED-KEY" };
      const mine = await withKey(key, "POST", "/api/assets", body);
      expect(mine.status).toBe(201);
      const theirs = await withKey(key, "POST", "/api/assets", body, "admin");
      // A new request from someone else: it ran (and found the hostname taken), it did not replay mine.
      expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    });

    test("a key is refused when it is not 1–255 visible characters", async () => {
      const res = await withKey("x".repeat(256), "POST", `/api/tickets/${ticketId}/notes`, { body: "n" });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("invalid_idempotency_key");
    });

    test("an answer of 4xx is kept, a 5xx is not: its retry runs again", async () => {
      const key = crypto.randomUUID();
      expect((await withKey(key, "POST", "/api/tickets/999999/time-entries", { minutes: 3 })).status).toBe(404);
      const replay = await withKey(key, "POST", "/api/tickets/999999/time-entries", { minutes: 3 });
      expect([replay.status, replay.headers.get("idempotent-replayed")]).toEqual([404, "true"]);

      // A route that fails on its first run, behind the same middleware and database.
      const app = createBaseApp({ logger: createLogger({ service: "t", level: "error" }), service: "t" });
      let runs = 0;
      app.post(
        "/api/flaky",
        async (c, next) => {
          c.set("user", { sub: "flaky-user" } as never);
          await next();
        },
        idempotent(codex.deps.db),
        (c) => {
          runs++;
          if (runs === 1) throw new Error("the first run fails");
          return c.json({ run: runs }, 201);
        },
      );
      const flaky = () =>
        app.fetch(
          new Request("http://t/api/flaky", {
            method: "POST",
            headers: { "content-type": "application/json", "idempotency-key": key },
            body: "{}",
          }),
        );
      expect((await flaky()).status).toBe(500);
      const retried = await flaky();
      expect([retried.status, await retried.json()]).toEqual([201, { run: 2 }]);
      expect((await flaky()).headers.get("idempotent-replayed")).toBe("true");
      expect(runs).toBe(2);
    });

    test("keys expire after 24 h and are purged", async () => {
      const key = crypto.randomUUID();
      const url = `/api/tickets/${ticketId}/notes`;
      expect((await withKey(key, "POST", url, { body: "old" })).status).toBe(201);
      const db = codex.deps.db;
      const before = await rows("ticketEntries");
      expect(await purgeIdempotencyKeys(db, new Date(Date.now() + 24 * 3600_000 + 1000))).toBeGreaterThan(0);
      expect(await db.db.select().from(db.t.idempotencyKeys).where(eq(db.t.idempotencyKeys.key, key))).toEqual([]);
      // Past its expiry the key starts afresh: the request runs again.
      expect((await withKey(key, "POST", url, { body: "old" })).headers.get("idempotent-replayed")).toBeNull();
      expect(await rows("ticketEntries")).toBe(before + 1);
    });
  });
}
