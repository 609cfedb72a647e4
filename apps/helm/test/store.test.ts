import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { rmSync } from "node:fs";
import { postgresTestUrl, tempHome, withPostgres } from "@hivematrix/lib/testing";
import { type HelmDb, openHelmDb } from "../src/deps.ts";
import { cleanupLogs, countLogs, insertLines, missedLines, queryLogs } from "../src/logs/data.ts";
import type { NewLogLine } from "../src/logs/json.ts";
import { decodeCursor } from "../src/logs/query.ts";
import { metricPointsStore } from "../src/metrics/data.ts";

const line = (at: Date, message: string, extra: Partial<NewLogLine> = {}): NewLogLine => ({
  at,
  service: "core",
  level: "INFO",
  message,
  requestId: null,
  user: null,
  context: null,
  ...extra,
});

/** The same storage behaviour on SQLite and, when a server is configured, on Postgres. */
function storeSuite(engine: "sqlite" | "postgres") {
  let db: HelmDb;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (engine === "sqlite") {
      const home = tempHome("hm-helm-store-");
      db = await openHelmDb({ databaseUrl: null, sqlitePath: join(home, "data", "helm.db") });
      cleanup = async () => rmSync(home, { recursive: true, force: true });
    } else {
      const pg = await withPostgres("hm_helm");
      db = await openHelmDb({ databaseUrl: pg.url, sqlitePath: "" });
      cleanup = pg.drop;
    }
  });

  afterAll(async () => {
    await db?.close();
    await cleanup?.();
  });

  test("filters by service, minimum level, text (any case, wildcards literal), request id, user and time", async () => {
    const t0 = Date.parse("2030-01-01T00:00:00Z");
    await insertLines(db, [
      line(new Date(t0), "Disk 100% full", { level: "ERROR", service: "codex", requestId: "r1", user: "alice" }),
      line(new Date(t0 + 1000), "disk check ok", { service: "codex", user: "bob" }),
      line(new Date(t0 + 2000), "boom", {
        level: "CRITICAL",
        service: "core",
        requestId: "r1",
        context: { stack: "x" },
      }),
      line(new Date(t0 + 3000), "slow disk", { level: "WARNING", service: "core" }),
    ]);
    const q = async (f: Parameters<typeof queryLogs>[1]) => (await queryLogs(db, f)).rows.map((r) => r.message);
    const from = new Date(t0);
    expect(await q({ from, limit: 10 })).toEqual(["slow disk", "boom", "disk check ok", "Disk 100% full"]);
    expect(await q({ from, level: "ERROR", limit: 10 })).toEqual(["boom", "Disk 100% full"]);
    expect(await q({ from, level: "WARNING", service: "core", limit: 10 })).toEqual(["slow disk", "boom"]);
    expect(await q({ from, text: "DISK", limit: 10 })).toEqual(["slow disk", "disk check ok", "Disk 100% full"]);
    expect(await q({ from, text: "100%", limit: 10 })).toEqual(["Disk 100% full"]);
    expect(await q({ from, text: "_", limit: 10 })).toEqual([]);
    expect(await q({ requestId: "r1", limit: 10 })).toEqual(["boom", "Disk 100% full"]);
    expect(await q({ user: "bob", limit: 10 })).toEqual(["disk check ok"]);
    expect(await q({ from: new Date(t0 + 1000), to: new Date(t0 + 2000), limit: 10 })).toEqual([
      "boom",
      "disk check ok",
    ]);
    expect(await countLogs(db, { from, level: "ERROR" })).toBe(2);
    const [boom] = (await queryLogs(db, { text: "boom", limit: 1 })).rows;
    expect(boom!.context).toEqual({ stack: "x" });
  });

  test("lines come back with ids, in order; a reconnecting tail gets the newest missed, the rest counted", async () => {
    const at = new Date("2032-02-01T00:00:00Z");
    const stored = await insertLines(
      db,
      Array.from({ length: 8 }, (_, i) =>
        line(at, `missed ${i}`, { service: "resumer", level: i % 2 ? "ERROR" : "INFO" }),
      ),
    );
    expect(stored.map((l) => l.message)).toEqual(Array.from({ length: 8 }, (_, i) => `missed ${i}`));
    const ids = stored.map((l) => l.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(8);
    expect(await insertLines(db, [])).toEqual([]);

    const all = await missedLines(db, ids[1]!, { service: "resumer" }, 100);
    expect(all).toMatchObject({ skipped: 0 });
    expect(all.rows.map((r) => r.message)).toEqual([
      "missed 2",
      "missed 3",
      "missed 4",
      "missed 5",
      "missed 6",
      "missed 7",
    ]);
    const capped = await missedLines(db, ids[1]!, { service: "resumer" }, 4);
    expect(capped.rows.map((r) => r.message)).toEqual(["missed 4", "missed 5", "missed 6", "missed 7"]);
    expect(capped.skipped).toBe(2);
    const errors = await missedLines(db, 0, { service: "resumer", level: "ERROR" }, 100);
    expect(errors.rows.map((r) => r.message)).toEqual(["missed 1", "missed 3", "missed 5", "missed 7"]);
    expect((await missedLines(db, ids[7]!, { service: "resumer" }, 100)).rows).toEqual([]);
  });

  test("chart points are kept per service, read back newest last, and trimmed by age", async () => {
    const points = metricPointsStore(db);
    const at = (s: number) => new Date(Date.parse("2033-01-01T00:00:00Z") + s * 1000).toISOString();
    const process = { p50Ms: 1.5, cpuPct: 12.5, rssBytes: 52_428_800 };
    const unknown = { p50Ms: null, cpuPct: null, rssBytes: null };
    for (let i = 0; i < 5; i++)
      await points.save("core", {
        at: at(i * 15),
        rate: i,
        p95Ms: i === 2 ? null : i * 1.5,
        errorPct: i / 10,
        ...(i === 2 ? unknown : process),
      });
    await points.save("codex", { at: at(0), rate: 9, p95Ms: 4, errorPct: 0, ...process });
    const recent = await points.recent(["core", "codex", "nexus"], 3);
    expect(recent.get("core")).toEqual([
      { at: at(30), rate: 2, p95Ms: null, errorPct: 0.2, ...unknown },
      { at: at(45), rate: 3, p95Ms: 4.5, errorPct: 0.3, ...process },
      { at: at(60), rate: 4, p95Ms: 6, errorPct: 0.4, ...process },
    ]);
    expect(recent.get("codex")).toEqual([{ at: at(0), rate: 9, p95Ms: 4, errorPct: 0, ...process }]);
    expect(recent.get("nexus")).toEqual([]);
    expect(await points.trim(new Date(at(30)))).toBe(3);
    expect((await points.recent(["core"], 10)).get("core")!.map((p) => p.rate)).toEqual([2, 3, 4]);
  });

  test("pages forward and back by (time, id) even when many lines share a timestamp", async () => {
    const at = new Date("2031-06-01T00:00:00Z");
    await insertLines(
      db,
      Array.from({ length: 25 }, (_, i) => line(at, `same-time ${String(i).padStart(2, "0")}`, { service: "pager" })),
    );
    const f = { service: "pager", limit: 10 };
    const p1 = await queryLogs(db, f);
    const p2 = await queryLogs(db, { ...f, before: decodeCursor(p1.older!)! });
    const p3 = await queryLogs(db, { ...f, before: decodeCursor(p2.older!)! });
    const all = [...p1.rows, ...p2.rows, ...p3.rows].map((r) => r.message);
    expect(all).toHaveLength(25);
    expect(new Set(all).size).toBe(25);
    expect(all[0]).toBe("same-time 24");
    expect(p1.newer).toBeNull();
    expect(p3.older).toBeNull();
    const back = await queryLogs(db, { ...f, after: decodeCursor(p2.newer!)! });
    expect(back.rows.map((r) => r.message)).toEqual(p1.rows.map((r) => r.message));
    expect(back.newer).toBeNull();
  });

  test("retention deletes lines older than the period, then the oldest beyond the row cap", async () => {
    const now = new Date("2032-01-20T00:00:00Z");
    const day = 86_400_000;
    await insertLines(db, [
      ...Array.from({ length: 30 }, (_, i) =>
        line(new Date(now.getTime() - 20 * day + i), `old ${i}`, { service: "retain" }),
      ),
      ...Array.from({ length: 40 }, (_, i) =>
        line(new Date(now.getTime() - day + i), `new ${i}`, { service: "retain" }),
      ),
    ]);
    const before = await countLogs(db);
    const first = await cleanupLogs(db, { retentionDays: 14, maxRows: 1_000_000 }, now);
    // Everything stamped before 2032-01-06 goes, the earlier tests' lines included.
    expect(first.overCap).toBe(0);
    expect(await countLogs(db, { service: "retain" })).toBe(40);
    expect(await countLogs(db)).toBe(before - first.expired);
    const total = await countLogs(db);
    const second = await cleanupLogs(db, { retentionDays: 14, maxRows: total - 15 }, now);
    expect(second).toEqual({ expired: 0, overCap: 15 });
    const left = (await queryLogs(db, { service: "retain", limit: 100 })).rows.map((r) => r.message);
    expect(left).toHaveLength(25);
    expect(left.at(-1)).toBe("new 15");
  });
}

describe("log store on SQLite", () => storeSuite("sqlite"));
describe.skipIf(!postgresTestUrl())("log store on Postgres", () => storeSuite("postgres"));
